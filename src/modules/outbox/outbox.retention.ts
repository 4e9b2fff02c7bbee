import { trusted } from 'mongoose';
import { config } from '../../config';
import { addDays, dayKey, daysBefore } from '../../core/time';
import type { RetentionRule } from '../types';
import { OutboxMessage, OutboxPending, PushDaily } from './outbox.model';

/** Day-keyed push counters `<channel>:<contact>:<day>` are operational: kept 30 days. */
const PUSH_COUNT_DAYS = 30;

/** Push counters have no date field, so the day is read from the id. */
async function prunePushCounts(at: Date): Promise<number> {
  const oldest = addDays(dayKey(at), -PUSH_COUNT_DAYS);
  const ids = (await PushDaily.find({}, { _id: 1 }).lean<Array<{ _id: string }>>())
    .map((d) => d._id)
    .filter((id) => (id.match(/(\d{4}-\d{2}-\d{2})$/)?.[1] ?? '9999') < oldest);
  if (!ids.length) return 0;
  return (await PushDaily.deleteMany({ _id: trusted({ $in: ids }) })).deletedCount;
}

export const outboxRetention: RetentionRule[] = [
  {
    name: 'outbox.messages',
    // Messages to residents are personal data: kept RETENTION_DAYS_PERSONAL.
    apply: async (at) => {
      const older = { createdAt: trusted({ $lt: daysBefore(at, config().RETENTION_DAYS_PERSONAL) }) };
      return {
        messagesDeleted: (await OutboxMessage.deleteMany(older)).deletedCount,
        queuedMessagesDeleted: (await OutboxPending.deleteMany(older)).deletedCount,
      };
    },
    labels: { messagesDeleted: '条居民消息', queuedMessagesDeleted: '条待推送消息' },
  },
  {
    name: 'outbox.push-counts',
    apply: async (at) => ({ pushCountsDeleted: await prunePushCounts(at) }),
    labels: { pushCountsDeleted: '条推送计数' },
  },
];
