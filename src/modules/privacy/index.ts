import type { AppModule } from '../types';
import { privacyJobs } from './privacy.jobs';
import { privacyRouter } from './privacy.routes';

export { runErasures } from './privacy.sweep';
export { closeAccount } from './privacy.close';

/** 个人信息 (PIPL art. 45, 47): see and export one's data, withdraw consents, close the account. */
export const privacyModule: AppModule = { name: 'privacy', routers: [privacyRouter], jobs: privacyJobs };
