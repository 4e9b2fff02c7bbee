import type { AppModule } from '../types';
import { outboxRouter } from './outbox.routes';

/** Messages to residents: shown in H5 "消息", pushed by the bot (bots/send-queue.ts) when it runs. */
export const outboxModule: AppModule = { name: 'outbox', routers: [outboxRouter] };
