import { trusted } from 'mongoose';
import { isDuplicateKey } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { parse } from '../../core/validate';
import { OutboxMessage, OutboxPending, PushDaily, PushTarget, type OutboxMessageDoc, type OutboxPendingDoc, type PushTargetDoc } from './outbox.model';
import { dedupeKeySchema, notificationTextSchema, type MessageList, type OutboxMessageView, type PushChannel } from './outbox.schema';

export type { OutboxPendingDoc, PushTargetDoc };

/**
 * Sends a resident a message, at most once per dedupeKey (the cause, e.g. `tipoff:<id>:rectified`):
 * the message _id is the guard. It shows in H5 "消息" and is queued for the bot when the resident
 * has talked to it. Returns false when this cause was already notified.
 */
export async function notifyResident(residentId: string, text: string, dedupeKey: string): Promise<boolean> {
  const key = parse(dedupeKeySchema, dedupeKey, '通知去重键');
  const body = parse(notificationTextSchema, text, '通知内容');
  const _id = `${residentId}:${key}`;
  const target = await PushTarget.findById(residentId).lean<PushTargetDoc>();
  const createdAt = now();
  try {
    await OutboxMessage.create({ _id, residentId, text: body, status: target ? 'pending' : 'unsent', createdAt });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  if (target) await OutboxPending.create({ _id, residentId, createdAt }).catch((err) => (isDuplicateKey(err) ? undefined : Promise.reject(err)));
  return true;
}

function present(m: OutboxMessageDoc): OutboxMessageView {
  return { id: m._id, text: m.text, status: m.status, createdAt: isoLocal(m.createdAt), sentAt: m.sentAt ? isoLocal(m.sentAt) : null };
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
  const docs = await OutboxMessage.find(filter).sort({ createdAt: -1, _id: -1 }).limit(page.limit + 1).lean<OutboxMessageDoc[]>();
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

/** The oldest messages waiting to be pushed (a scan of the short queue collection only). */
export async function pendingPushes(limit: number): Promise<OutboxPendingDoc[]> {
  return OutboxPending.find().sort({ createdAt: 1 }).limit(limit).lean<OutboxPendingDoc[]>();
}

export async function getOutboxMessage(id: string): Promise<OutboxMessageDoc | undefined> {
  return (await OutboxMessage.findById(id).lean<OutboxMessageDoc>()) ?? undefined;
}

/** Takes a message off the push queue; false when another sender took it first. */
export async function claimPush(id: string): Promise<boolean> {
  return (await OutboxPending.deleteOne({ _id: id })).deletedCount === 1;
}

export async function markPushed(id: string, at: Date): Promise<void> {
  await OutboxMessage.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: at } });
}

/** A push failed or is given up: retried later (requeued) or left for H5 only. */
export async function markPushFailed(p: OutboxPendingDoc, retry: boolean): Promise<void> {
  const attempts = (p.attempts ?? 0) + 1;
  await OutboxMessage.updateOne({ _id: p._id }, { $set: { status: retry ? 'pending' : 'failed', attempts } });
  if (retry) await OutboxPending.create({ _id: p._id, residentId: p.residentId, createdAt: p.createdAt, attempts }).catch(() => undefined);
}

/** Leaves a message for H5 only (no bot contact, or too old to push). */
export async function markUnpushed(id: string): Promise<void> {
  await OutboxMessage.updateOne({ _id: id }, { $set: { status: 'unsent' } });
}

const dailyId = (channel: string, contactId: string, day: string) => `${channel}:${contactId}:${day}`;

export async function pushesToday(channel: string, contactId: string, day: string): Promise<number> {
  return (await PushDaily.findById(dailyId(channel, contactId, day)).lean<{ n?: number }>())?.n ?? 0;
}

export async function countPush(channel: string, contactId: string, day: string): Promise<void> {
  await PushDaily.updateOne({ _id: dailyId(channel, contactId, day) }, { $inc: { n: 1 } }, { upsert: true });
}
