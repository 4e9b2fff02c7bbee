import type { AppModule } from '../types';
import { noticeJobs } from './notices.jobs';
import { noticesRetention } from './notices.retention';
import { noticesRouter } from './notices.routes';

/** Staff inbox (工作通知) for units and the office, and the tip-off escalation that fills it. */
export const noticesModule: AppModule = { name: 'notices', routers: [noticesRouter], jobs: noticeJobs, retention: noticesRetention };

export { startWecomSender } from './wecom';
