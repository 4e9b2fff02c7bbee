import type { AppModule } from '../types';
import { maintenanceJobs } from './maintenance.jobs';
import { conversationRetention } from './maintenance.retention';

/** Nightly housekeeping across modules: counter reconciliation and data retention (PIPL). */
export const maintenanceModule: AppModule = { name: 'maintenance', jobs: maintenanceJobs, retention: conversationRetention };

export { recoverCounters } from './maintenance.recover';
