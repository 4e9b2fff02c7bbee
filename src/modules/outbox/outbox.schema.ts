import { z } from 'zod';
import { outboxStatuses } from './outbox.model';
import { text } from '../../core/text';

export const outboxMessageSchema = z.object({
  id: z.string(),
  text: z.string(),
  /** pending: waiting for the bot; sent: pushed by the bot; unsent/failed: only shown here */
  status: z.enum(outboxStatuses),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxMessageView = z.infer<typeof outboxMessageSchema>;

export const messageListSchema = z.object({ items: z.array(outboxMessageSchema), nextCursor: z.string().nullable() });
export type MessageList = z.infer<typeof messageListSchema>;

/** A caller's dedupe key: the cause of the notification, e.g. `tipoff:<id>:rectified`. */
export const dedupeKeySchema = z.string().min(1).max(160).regex(/^[\w:.-]+$/, '不是有效的去重键');
export const notificationTextSchema = text().min(1).max(1000);

export const pushChannels = ['wechaty'] as const;
export type PushChannel = (typeof pushChannels)[number];
