import { z } from 'zod';
import { outboxStatuses } from '../outbox/outbox.model';
import { deliveryChannels } from '../outbox/outbox.schema';
import { pageQuery } from '../../core/validate';
import { roomMessageStatuses } from './rooms.model';

export const roomMessageViewSchema = z.object({
  id: z.string(),
  room: z.string(),
  roomBy: z.enum(['id', 'topic']),
  kind: z.string(),
  text: z.string(),
  files: z.array(z.string()),
  status: z.enum(roomMessageStatuses),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  attempts: z.number(),
  error: z.string().nullable(),
});
export type RoomMessageView = z.infer<typeof roomMessageViewSchema>;

/** A resident message as the office sees it: never the resident's identity beyond the internal id. */
export const residentMessageViewSchema = z.object({
  id: z.string(),
  residentId: z.string(),
  text: z.string(),
  status: z.enum(outboxStatuses),
  /** the channel that delivered it (公众号 mp, 小程序 mini, bot wechaty), h5 when only in "消息"; null while queued */
  channel: z.enum(deliveryChannels).nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  attempts: z.number(),
});
export type ResidentMessageView = z.infer<typeof residentMessageViewSchema>;

export const outgoingQuery = pageQuery.extend({
  status: z.enum(['pending', 'sent', 'failed', 'unsent']).optional(),
});

export const outgoingSummarySchema = z.object({
  /** messages to residents still queued for the bot */
  residentQueue: z.number(),
  /** room messages still queued for the bot */
  roomQueue: z.number(),
  /** whether this process runs the WeChat bot (else queued messages wait, residents read theirs in H5) */
  botConfigured: z.boolean(),
  /** whether residents' notices also go as 公众号模板消息 / 小程序订阅消息, and office notices to a 企业微信 robot */
  officialAccount: z.boolean(),
  miniProgram: z.boolean(),
  wecomRobot: z.boolean(),
});
export type OutgoingSummary = z.infer<typeof outgoingSummarySchema>;
