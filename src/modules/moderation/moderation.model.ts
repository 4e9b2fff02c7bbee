import { defineModel, type DocOf } from '../../core/db/model';
import { moderationKinds, moderationStatuses } from './moderation.schema';

/**
 * One piece of resident content that was flagged, or whose photos wait for WeChat's verdict.
 * `_id` is `<kind>:<ref>` (tipoff:T2612…, nickname:<residentId>:<n>, survey-answer:<response>:<q>):
 * the insert is the guard that a piece of content is queued once. Clean text makes no item.
 */
export const ModerationItem = defineModel('ModerationItem', 'moderation_items', {
  _id: String,
  kind: { type: String, enum: moderationKinds, required: true },
  ref: { type: String, required: true },
  /** what the content belongs to, for owners that read their hidden items together (survey:<id>) */
  scope: { type: String, default: null },
  status: { type: String, enum: moderationStatuses, required: true },
  /** whom to tell; null for an anonymous survey's answer (nothing may join it to a person) */
  residentId: { type: String, default: null },
  /** the flagged text (for a nickname: the name asked for, applied on approval) */
  text: { type: String, default: '' },
  photos: { type: [String], default: [] },
  /** Chinese: 辱骂：傻逼, 微信：色情, 图片审核超时… */
  label: { type: String, default: '' },
  source: { type: String, default: null },
  /** WeChat's trace_ids of the photos' checks, once every check has been started */
  traces: { type: [String], default: [] },
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
  decidedAt: { type: Date, default: null },
  decidedBy: { type: String, default: null },
  reason: { type: String, default: null },
});
export type ModerationItemDoc = DocOf<typeof ModerationItem>;

/**
 * The office's queue: one small document per item that is held or pending, deleted when decided,
 * so the queue page reads a collection as small as the work in hand (never every item ever made).
 */
export const ModerationQueue = defineModel('ModerationQueue', 'moderation_queue', {
  _id: String,
  kind: { type: String, required: true },
  status: { type: String, required: true },
  createdAt: { type: Date, required: true },
});
export type ModerationQueueDoc = DocOf<typeof ModerationQueue>;

/** An asynchronous image check: `_id` WeChat's trace_id, so its verdict finds its item by one point read. */
export const ModerationTrace = defineModel('ModerationTrace', 'moderation_traces', {
  _id: String,
  itemId: { type: String, required: true },
  mediaId: { type: String, required: true },
  createdAt: { type: Date, required: true },
  suggest: { type: String, default: null },
});
export type ModerationTraceDoc = DocOf<typeof ModerationTrace>;

/** The office's decision on an item's case, `_id` `<item id>:<case opened ms>`: of two staff deciding at once, one insert wins (409 for the other). */
export const ModerationDecision = defineModel('ModerationDecision', 'moderation_decisions', {
  _id: String,
  action: { type: String, required: true },
  staffId: { type: String, required: true },
  at: { type: Date, required: true },
});

/**
 * A resident's Official Account openid for WeChat's checks (`_id` residentId; openid null: none
 * found at `checkedAt`). Identities are keyed by openid, so finding one by resident is a query:
 * this keeps it to once per resident (a day, for residents without one) and point reads after.
 */
export const ModerationOpenid = defineModel('ModerationOpenid', 'moderation_openids', {
  _id: String,
  openid: { type: String, default: null },
  checkedAt: { type: Date, required: true },
});
