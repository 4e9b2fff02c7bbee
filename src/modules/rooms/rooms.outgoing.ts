import { keysetPage } from '../../core/store';
import { config } from '../../config';
import { isoLocal } from '../../core/time';
import { OutboxMessage, OutboxPending, type OutboxMessageDoc } from '../outbox/outbox.model';
import { RoomPending } from './rooms.model';
import type { DeliveryChannel } from '../outbox/outbox.schema';
import type { OutgoingSummary, ResidentMessageView } from './rooms.schema';

/**
 * What the office sees of outgoing messages: queue sizes, and recent messages to residents by status
 * (undelivered = unsent/failed). Scans outbox_messages on FerretDB (a console page; retention keeps it
 * to RETENTION_DAYS_PERSONAL); MongoDB uses the createdAt order of the (residentId, createdAt) index poorly,
 * so keep `limit` small.
 */
export async function outgoingSummary(): Promise<OutgoingSummary> {
  const [residentQueue, roomQueue] = await Promise.all([OutboxPending.estimatedDocumentCount(), RoomPending.estimatedDocumentCount()]);
  const cfg = config();
  return {
    residentQueue,
    roomQueue,
    botConfigured: Boolean(cfg.WECHATY_PUPPET),
    officialAccount: Boolean(cfg.WECHAT_MP_APP_ID),
    miniProgram: Boolean(cfg.WECHAT_MINI_APP_ID),
    wecomRobot: Boolean(cfg.WECOM_WEBHOOK_URL),
  };
}

export async function listResidentMessages(q: {
  status?: string;
  limit: number;
  cursor?: string;
}): Promise<{ items: ResidentMessageView[]; nextCursor: string | null }> {
  const filter = q.status ? { status: q.status } : {};
  const { items, nextCursor } = await keysetPage<OutboxMessageDoc>(OutboxMessage, {
    filter,
    by: 'createdAt',
    limit: q.limit,
    cursor: q.cursor,
  });
  return {
    items: items.map((d) => ({
      id: d._id,
      residentId: d.residentId,
      text: d.text,
      status: d.status,
      channel: (d.channel as DeliveryChannel | null) ?? null,
      createdAt: isoLocal(d.createdAt),
      sentAt: d.sentAt ? isoLocal(d.sentAt) : null,
      attempts: d.attempts ?? 0,
    })),
    nextCursor,
  };
}
