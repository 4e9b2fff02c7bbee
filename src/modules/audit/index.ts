import { observeStaffWrites } from '../../core/http/route';
import type { AppModule } from '../types';
import { auditJobs } from './audit.jobs';
import { auditRouter } from './audit.routes';
import { recordWrite } from './audit.service';

// Every staff write through the route helper, in any module, lands in the log.
observeStaffWrites(recordWrite);

/** 操作日志: who changed what, from the route helper's write hook; admin reads and exports it. */
export const auditModule: AppModule = { name: 'audit', routers: [auditRouter], jobs: auditJobs };
export { flushAudit } from './audit.service';
