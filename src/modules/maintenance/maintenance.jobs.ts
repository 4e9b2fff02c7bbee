import type { JobDefinition } from '../types';
import { reconcileCounters } from './maintenance.reconcile';

export const maintenanceJobs: JobDefinition[] = [
  {
    name: 'stats.reconcile',
    schedule: '30 2 * * *',
    description: '夜间对账：由原始记录重算统计计数，记录并修正偏差',
    run: reconcileCounters,
  },
];
