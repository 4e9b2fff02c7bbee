import { z } from 'zod';
import { outboxStatuses } from '../outbox/outbox.model';
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
});
