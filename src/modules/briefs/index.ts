import type { AppModule } from '../types';
import { briefJobs } from './briefs.jobs';
import { briefsRouter } from './briefs.routes';

/** 工作周报: the weekly brief to the office's group room, kept as xlsx + chart for download. */
export const briefsModule: AppModule = { name: 'briefs', routers: [briefsRouter], jobs: briefJobs };
