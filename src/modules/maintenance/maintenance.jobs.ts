import type { JobDefinition } from '../types';
import { reconcileCounters } from './maintenance.reconcile';
import { applyRetention } from './maintenance.retention';

export const maintenanceJobs: JobDefinition[] = [
  {
    name: 'stats.reconcile',
    schedule: '30 2 * * *',
    description: '夜间对账：由原始记录重算统计计数，记录并修正偏差',
    run: reconcileCounters,
  },
  {
    name: 'privacy.retention',
    schedule: '50 3 * * *',
    description: '数据保存期限：删除到期的随手拍照片，匿名化到期的个人信息，清理过期记录',
    run: applyRetention,
  },
];
