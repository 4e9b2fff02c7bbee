import { claimOnce, keysetPage } from '../../core/store';
import { isoLocal, now } from '../../core/time';
import { parse } from '../../core/validate';
import { dedupeKeySchema } from '../outbox/outbox.schema';
import { RoomMessage, RoomPending, type RoomMessageDoc, type RoomMessagePart, type RoomPendingDoc } from './rooms.model';
import type { RoomMessageView } from './rooms.schema';

export type { RoomMessageDoc, RoomMessagePart, RoomPendingDoc };

/** How a room is named in the queue: by WeChat room id, or by topic (the group's name). */
export type RoomRef = { id: string } | { topic: string };
export const roomKey = (r: RoomRef): string => ('id' in r ? `id:${r.id}` : `topic:${r.topic}`);
export function parseRoomKey(key: string): RoomRef {
  return key.startsWith('topic:') ? { topic: key.slice(6) } : { id: key.slice(3) };
}

/** Queues a message for a group room, at most once per dedupeKey. Returns false when already queued. */
export async function queueRoomMessage(room: RoomRef, kind: string, parts: RoomMessagePart[], dedupeKey: string): Promise<boolean> {
  const key = parse(dedupeKeySchema, dedupeKey, '消息去重键');
  const _id = `${roomKey(room)}:${key}`;
  const createdAt = now();
  if (!(await claimOnce(RoomMessage, { _id, room: roomKey(room), kind, parts, status: 'pending', createdAt }))) return false;
  await claimOnce(RoomPending, { _id, createdAt }); // already there after a retry: fine
  return true;
}

/** The oldest room messages waiting for the bot (a scan of the short queue only). */
export async function pendingRoomMessages(limit: number): Promise<RoomPendingDoc[]> {
  return RoomPending.find().sort({ createdAt: 1 }).limit(limit).lean<RoomPendingDoc[]>();
}

export async function getRoomMessage(id: string): Promise<RoomMessageDoc | undefined> {
  return (await RoomMessage.findById(id).lean<RoomMessageDoc>()) ?? undefined;
}

/** Takes a message off the queue; false when another bot process took it first. */
export async function claimRoomMessage(id: string): Promise<boolean> {
  return (await RoomPending.deleteOne({ _id: id })).deletedCount === 1;
}

export async function markRoomMessage(
  id: string,
  status: 'sent' | 'failed' | 'unsent',
  error: string | null = null,
  attempts?: number,
): Promise<void> {
  await RoomMessage.updateOne(
    { _id: id },
    { $set: { status, error, ...(status === 'sent' ? { sentAt: now() } : {}), ...(attempts !== undefined ? { attempts } : {}) } },
  );
}

/** A failed post goes back on the queue for another try. */
export async function requeueRoomMessage(p: RoomPendingDoc, error: string): Promise<void> {
  const attempts = (p.attempts ?? 0) + 1;
  await RoomMessage.updateOne({ _id: p._id }, { $set: { status: 'pending', error, attempts } });
  await RoomPending.create({ _id: p._id, createdAt: p.createdAt, attempts }).catch(() => undefined);
}

export function presentRoomMessage(m: RoomMessageDoc): RoomMessageView {
  const ref = parseRoomKey(m.room);
  return {
    id: m._id,
    room: 'id' in ref ? ref.id : ref.topic,
    roomBy: 'id' in ref ? 'id' : 'topic',
    kind: m.kind,
    text: m.parts
      .filter((p) => p.kind === 'text')
      .map((p) => p.text ?? '')
      .join('\n'),
    files: m.parts.filter((p) => p.kind === 'file').map((p) => p.name ?? ''),
    status: m.status,
    createdAt: isoLocal(m.createdAt),
    sentAt: m.sentAt ? isoLocal(m.sentAt) : null,
    attempts: m.attempts ?? 0,
    error: m.error ?? null,
  };
}

/** Recent room messages for the console, newest first (scans room_messages on FerretDB: a console page). */
export async function listRoomMessages(q: {
  status?: string;
  limit: number;
  cursor?: string;
}): Promise<{ items: RoomMessageView[]; nextCursor: string | null }> {
  const filter = q.status ? { status: q.status } : {};
  const { items, nextCursor } = await keysetPage<RoomMessageDoc>(RoomMessage, {
    filter,
    by: 'createdAt',
    limit: q.limit,
    cursor: q.cursor,
  });
  return { items: items.map(presentRoomMessage), nextCursor };
}
