import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';

export const outboxStatuses = ['pending', 'sent', 'failed', 'unsent'] as const;

/**
 * A message to a resident, _id `<residentId>:<dedupeKey>`, so one cause notifies at most once.
 * It is always visible in H5 ("消息"); the bot pushes it too when the resident has a bot contact.
 */
export const OutboxMessage = defineModel(
  'OutboxMessage',
  'outbox_messages',
  {
    _id: String,
    residentId: { type: String, required: true },
    text: { type: String, required: true },
    status: { type: String, enum: outboxStatuses, required: true },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    /** the template kind and its values (content/mp-templates.yaml), for 公众号 and 小程序 sends */
    kind: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: null },
    /** the channel that delivered it (mp, mini, wechaty), or h5 when it is only in "消息" */
    channel: { type: String, default: null },
  },
  { indexes: [[{ residentId: 1, createdAt: -1 }]] },
);
export type OutboxMessageDoc = DocOf<typeof OutboxMessage>;

/**
 * The push queue: one small document per message still to push (same _id). The sender scans
 * only this collection, which stays short, never the whole message history.
 */
export const OutboxPending = defineModel('OutboxPending', 'outbox_pending', {
  _id: String,
  residentId: { type: String, required: true },
  createdAt: { type: Date, required: true },
  attempts: { type: Number, default: 0 },
  /** the channel that is to send it (mp, mini, wechaty; none: wechaty, as queued before channels) */
  channel: { type: String, default: null },
  /** a retry after WeChat was busy waits until then */
  retryAt: { type: Date, default: null },
});
export type OutboxPendingDoc = DocOf<typeof OutboxPending>;

/** Where a resident can be pushed to, _id = residentId: the bot contact they last talked from. */
export const PushTarget = defineModel('PushTarget', 'push_targets', {
  _id: String,
  channel: { type: String, required: true },
  contactId: { type: String, required: true },
  updatedAt: { type: Date, required: true },
});
export type PushTargetDoc = DocOf<typeof PushTarget>;

/** Pushes per contact and day, _id `<channel>:<contactId>:<day>`; written only by the one sender. */
export const PushDaily = defineModel('PushDaily', 'push_daily', { _id: String, n: { type: Number, default: 0 } });

/**
 * Where a resident can be reached besides the bot, _id = residentId: their Official Account openid
 * (set when they follow or write) and mini-program openid (set at its login). Read by _id when a
 * notice is routed; identities are keyed by the external id, so this is the way back.
 */
export const ResidentReach = defineModel('ResidentReach', 'resident_reach', {
  _id: String,
  mp: { type: String, default: null },
  mini: { type: String, default: null },
});
export type ResidentReachDoc = DocOf<typeof ResidentReach>;

/**
 * The 消息 badge, _id = residentId: messages created since the resident last opened 消息. Bumped by
 * a point `$inc` when a message is created and zeroed when 消息 opens, so the badge never counts
 * outbox_messages (FerretDB would scan them). Concurrent notices to one resident may lose a bump:
 * a badge that reads one short is acceptable, opening 消息 shows every message anyway.
 */
export const MessageRead = defineModel('MessageRead', 'message_reads', {
  _id: String,
  unread: { type: Number, default: 0 },
  readAt: { type: Date, default: null },
});
export type MessageReadDoc = DocOf<typeof MessageRead>;
