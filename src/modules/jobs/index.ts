import type { AppModule } from '../types';
import { jobsRetention } from './jobs.retention';
import { jobsRouter } from './jobs.routes';

/** The job runner: schedules every module's jobs once per cluster; admin listing and run-now. */
export const jobsModule: AppModule = { name: 'jobs', routers: [jobsRouter], retention: jobsRetention };

export { jobRunner } from './jobs.service';
