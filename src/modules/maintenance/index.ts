import type { AppModule } from '../types';
import { maintenanceJobs } from './maintenance.jobs';

/** Nightly housekeeping across modules: counter reconciliation and data retention (PIPL). */
export const maintenanceModule: AppModule = { name: 'maintenance', jobs: maintenanceJobs };

export { recoverCounters } from './maintenance.recover';
