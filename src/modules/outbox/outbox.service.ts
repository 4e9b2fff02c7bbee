import { trusted } from 'mongoose';
import { isDuplicateKey } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { parse } from '../../core/validate';
import {
  MessageRead,
  OutboxMessage,
  OutboxPending,
  PushDaily,
  PushTarget,
  ResidentReach,
  type OutboxMessageDoc,
  type MessageReadDoc,
  type OutboxPendingDoc,
  type PushTargetDoc,
  type ResidentReachDoc,
} from './outbox.model';
import { routeNotice } from './outbox.routing';
import {
  dedupeKeySchema,
  notificationTextSchema,
  residentNoticeSchema,
  type DeliveryChannel,
  type MessageList,
  type OutboxMessageView,
  type PushChannel,
  type ResidentNotice,
  type Unread,
} from './outbox.schema';

export type { OutboxPendingDoc, PushTargetDoc };

/**
 * Sends a resident a message, at most once per dedupeKey (the cause, e.g. `tipoff:<id>:rectified`):
 * the message _id is the guard. It shows in H5 "消息" and is queued for the first channel the
 * resident has (outbox.routing.ts); `notice` (a template kind and its values) lets the Official
 * Account and the mini-program send it as a template. Returns false when this cause was already notified.
 */
export async function notifyResident(residentId: string, text: string, dedupeKey: string, notice?: ResidentNotice): Promise<boolean> {
  const key = parse(dedupeKeySchema, dedupeKey, '通知去重键');
  const body = parse(notificationTextSchema, text, '通知内容');
  const tpl = notice ? parse(residentNoticeSchema, notice, '通知模板数据') : undefined;
  const _id = `${residentId}:${key}`;
  const route = await routeNotice(residentId, tpl?.kind ?? null);
  const queued = route.channel !== 'h5';
  const createdAt = now();
  try {
    await OutboxMessage.create({
      _id,
      residentId,
      text: body,
      status: queued ? 'pending' : 'unsent',
      createdAt,
      kind: tpl?.kind ?? null,
      data: tpl ? { ...tpl.data, text: body } : null,
      channel: queued ? null : 'h5',
    });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  await MessageRead.updateOne({ _id: residentId }, { $inc: { unread: 1 } }, { upsert: true });
  if (queued)
    await OutboxPending.create({ _id, residentId, createdAt, channel: route.channel }).catch((err) =>
      isDuplicateKey(err) ? undefined : Promise.reject(err),
    );
  return true;
}

/** The 消息 badge: messages created since the resident last opened 消息 (one read by _id). */
export async function unreadMessages(residentId: string): Promise<Unread> {
  const doc = await MessageRead.findById(residentId).lean<MessageReadDoc>();
  return { unread: Math.max(0, doc?.unread ?? 0) };
}

/** The resident opened 消息: the badge clears (one point write on their own document). */
export async function markMessagesRead(residentId: string): Promise<Unread> {
  await MessageRead.updateOne({ _id: residentId }, { $set: { unread: 0, readAt: now() } }, { upsert: true });
  return { unread: 0 };
}

/** Remembers a resident's Official Account or mini-program openid, so notices can find them there. */
export async function registerReach(residentId: string, via: 'mp' | 'mini', openid: string): Promise<void> {
  const cur = await ResidentReach.findById(residentId).lean<ResidentReachDoc>();
  if (cur?.[via] === openid) return; // the common case: known already, nothing to write
  await ResidentReach.updateOne({ _id: residentId }, { $set: { [via]: openid } }, { upsert: true });
}

export async function reachOf(residentId: string): Promise<ResidentReachDoc | undefined> {
  return (await ResidentReach.findById(residentId).lean<ResidentReachDoc>()) ?? undefined;
}

function present(m: OutboxMessageDoc): OutboxMessageView {
  return {
    id: m._id,
    text: m.text,
    status: m.status,
    createdAt: isoLocal(m.createdAt),
    sentAt: m.sentAt ? isoLocal(m.sentAt) : null,
    kind: m.kind ?? null,
  };
}

/**
 * A resident's messages, newest first; the cursor is `<createdAt ms>_<id>` of the last item shown.
 * Read when a resident opens "消息", not on a hot path; the (residentId, createdAt) index serves MongoDB.
 */
export async function listMessages(residentId: string, page: { limit: number; cursor?: string }): Promise<MessageList> {
  const filter: Record<string, unknown> = { residentId };
  const m = page.cursor?.match(/^(\d{1,15})_(.+)$/);
  if (m) {
    const at = new Date(Number(m[1]));
    // Operators built here from the parsed cursor, never from client JSON: trusted past sanitizeFilter.
    filter.$or = [{ createdAt: trusted({ $lt: at }) }, { createdAt: at, _id: trusted({ $lt: m[2] }) }];
  }
  const docs = await OutboxMessage.find(filter)
    .sort({ createdAt: -1, _id: -1 })
    .limit(page.limit + 1)
    .lean<OutboxMessageDoc[]>();
  const items = docs.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items: items.map(present), nextCursor: docs.length > page.limit && last ? `${last.createdAt.getTime()}_${last._id}` : null };
}

/** Remembers the bot contact a resident talks from, so notifications can be pushed there. */
export async function registerPushTarget(residentId: string, channel: PushChannel, contactId: string): Promise<void> {
  await PushTarget.replaceOne({ _id: residentId }, { _id: residentId, channel, contactId, updatedAt: now() }, { upsert: true });
}

export async function pushTargetOf(residentId: string): Promise<PushTargetDoc | undefined> {
  return (await PushTarget.findById(residentId).lean<PushTargetDoc>()) ?? undefined;
}

/**
 * The oldest messages waiting for these channels (a scan of the short queue collection only). A
 * message queued before channels were recorded (no channel) is the bot's.
 */
export async function pendingPushes(limit: number, channels: DeliveryChannel[] = ['wechaty']): Promise<OutboxPendingDoc[]> {
  const wanted: Array<string | null> = channels.includes('wechaty') ? [...channels, null] : channels;
  // The list is built here, never from client JSON: trusted past sanitizeFilter.
  return OutboxPending.find({ channel: trusted({ $in: wanted }) })
    .sort({ createdAt: 1 })
    .limit(limit)
    .lean<OutboxPendingDoc[]>();
}

/** Puts a claimed message back on the queue: for another try later, or for the next channel. */
export async function requeuePush(p: OutboxPendingDoc, channel: DeliveryChannel, o: { attempts: number; retryAt?: Date }): Promise<void> {
  await OutboxMessage.updateOne({ _id: p._id }, { $set: { status: 'pending', attempts: o.attempts } });
  await OutboxPending.create({
    _id: p._id,
    residentId: p.residentId,
    createdAt: p.createdAt,
    attempts: o.attempts,
    channel,
    retryAt: o.retryAt ?? null,
  }).catch((err) => (isDuplicateKey(err) ? undefined : Promise.reject(err)));
}

export async function getOutboxMessage(id: string): Promise<OutboxMessageDoc | undefined> {
  return (await OutboxMessage.findById(id).lean<OutboxMessageDoc>()) ?? undefined;
}

/** Takes a message off the push queue; false when another sender took it first. */
export async function claimPush(id: string): Promise<boolean> {
  return (await OutboxPending.deleteOne({ _id: id })).deletedCount === 1;
}

export async function markPushed(id: string, at: Date, channel: DeliveryChannel = 'wechaty'): Promise<void> {
  await OutboxMessage.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: at, channel } });
}

/** A push failed or is given up: retried later (requeued) or left for H5 only. */
export async function markPushFailed(p: OutboxPendingDoc, retry: boolean): Promise<void> {
  const attempts = (p.attempts ?? 0) + 1;
  await OutboxMessage.updateOne({ _id: p._id }, { $set: { status: retry ? 'pending' : 'failed', attempts } });
  if (retry) await OutboxPending.create({ _id: p._id, residentId: p.residentId, createdAt: p.createdAt, attempts }).catch(() => undefined);
}

/** Leaves a message for H5 only (no bot contact, or too old to push). */
export async function markUnpushed(id: string): Promise<void> {
  await OutboxMessage.updateOne({ _id: id }, { $set: { status: 'unsent', channel: 'h5' } });
}

const dailyId = (channel: string, contactId: string, day: string) => `${channel}:${contactId}:${day}`;

export async function pushesToday(channel: string, contactId: string, day: string): Promise<number> {
  return (await PushDaily.findById(dailyId(channel, contactId, day)).lean<{ n?: number }>())?.n ?? 0;
}

export async function countPush(channel: string, contactId: string, day: string): Promise<void> {
  await PushDaily.updateOne({ _id: dailyId(channel, contactId, day) }, { $inc: { n: 1 } }, { upsert: true });
}
