import type { AppModule } from '../types';
import { jobsRouter } from './jobs.routes';

/** The job runner: schedules every module's jobs once per cluster; admin listing and run-now. */
export const jobsModule: AppModule = { name: 'jobs', routers: [jobsRouter] };

export { jobRunner } from './jobs.service';
