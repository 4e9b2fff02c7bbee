import { loadMpTemplates } from '../mp/mp.templates';
import type { AppModule } from '../types';
import { outboxRetention } from './outbox.retention';
import { outboxRouter } from './outbox.routes';

export { createNoticeSender, type NoticeSender } from './outbox.delivery';

/**
 * Messages to residents: shown in H5 "消息", and sent by the first channel the resident has —
 * 公众号模板消息, 小程序订阅消息 (outbox.delivery.ts), the bot (bots/send-queue.ts). The templates
 * (content/mp-templates.yaml) are validated at start: a bad file stops it.
 */
export const outboxModule: AppModule = {
  name: 'outbox',
  routers: [outboxRouter],
  retention: outboxRetention,
  init: async () => void loadMpTemplates(),
};

// What the bot (bots/) uses of this module.
export { type PushChannel } from './outbox.schema';
export {
  type OutboxPendingDoc,
  type PushTargetDoc,
  claimPush,
  countPush,
  getOutboxMessage,
  markPushFailed,
  markPushed,
  markUnpushed,
  pendingPushes,
  pushTargetOf,
  pushesToday,
  registerPushTarget,
  registerReach,
} from './outbox.service';
