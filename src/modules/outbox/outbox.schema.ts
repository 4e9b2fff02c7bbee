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
  /** the notice kind (tipoff-status, activity-reminder, survey-invitation) when it has one: H5 links it to its page */
  kind: z.string().nullable(),
});
export type OutboxMessageView = z.infer<typeof outboxMessageSchema>;

export const messageListSchema = z.object({ items: z.array(outboxMessageSchema), nextCursor: z.string().nullable() });
export type MessageList = z.infer<typeof messageListSchema>;

/** The 消息 badge: messages created since the resident last opened 消息. */
export const unreadSchema = z.object({ unread: z.number().int().min(0) });
export type Unread = z.infer<typeof unreadSchema>;

/** A caller's dedupe key: the cause of the notification, e.g. `tipoff:<id>:rectified`. */
export const dedupeKeySchema = z
  .string()
  .min(1)
  .max(160)
  .regex(/^[\w:.-]+$/, '不是有效的去重键');
export const notificationTextSchema = text(1000).min(1);

export const pushChannels = ['wechaty'] as const;
export type PushChannel = (typeof pushChannels)[number];

/**
 * Notices that can go as a WeChat template (公众号模板消息, 小程序订阅消息) besides their text: each
 * kind names the values it carries, which content/mp-templates.yaml maps to template fields.
 */
export const noticeFields = {
  'tipoff-status': ['id', 'category', 'status', 'unit', 'note', 'time', 'text'],
  'activity-reminder': ['title', 'time', 'place', 'text'],
  'survey-invitation': ['title', 'deadline', 'text'],
} as const;
export type NoticeKind = keyof typeof noticeFields;
export const noticeKinds = Object.keys(noticeFields) as [NoticeKind, ...NoticeKind[]];
export const residentNoticeSchema = z.object({ kind: z.enum(noticeKinds), data: z.record(z.string(), z.string().max(500)) });
export type ResidentNotice = z.infer<typeof residentNoticeSchema>;

/** How a message reached (or is to reach) the resident, in the order tried; h5: only in "消息". */
export const deliveryChannels = ['mp', 'mini', 'wechaty', 'h5'] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];
