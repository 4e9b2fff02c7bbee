import { registerMpEvent } from '../mp';
import type { AppModule } from '../types';
import { moderationJobs } from './moderation.jobs';
import { moderationMediaRouter, moderationRouter } from './moderation.routes';
import { onImageVerdict } from './moderation.service';
import { imageVerdict } from './moderation.wechat';

// WeChat's asynchronous photo verdict arrives as an event push to /wechat/mp.
registerMpEvent('wxa_media_check', (f) => onImageVerdict(f.trace_id ?? '', imageVerdict(f['result.suggest'], f['result.label'])));

export {
  caseState,
  flagged,
  hiddenInScope,
  imageChecker,
  isHidden,
  openCase,
  registerModerationKind,
  screenText,
  type CaseState,
  type ModerationHandler,
} from './moderation.service';
export type { ModerationItemDoc } from './moderation.model';

/** 内容安全: resident content is checked (word list, WeChat) and flagged content held for the office. */
export const moderationModule: AppModule = { name: 'moderation', routers: [moderationRouter, moderationMediaRouter], jobs: moderationJobs };
