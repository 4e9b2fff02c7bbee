import fs from 'node:fs';
import path from 'node:path';
import { config } from '../src/config';
import { logger } from '../src/core/logger';
import { now } from '../src/core/time';
import {
  claimRoomMessage,
  getRoomMessage,
  markRoomMessage,
  parseRoomKey,
  pendingRoomMessages,
  requeueRoomMessage,
  type RoomMessagePart,
  type RoomRef,
} from '../src/modules/rooms';
import { Pacer } from './send-queue';
import { poller } from '../src/core/poller';

/** One part to post into a room: text, or a file's bytes (an image when its name ends in .png/.jpg). */
export type RoomPost = { kind: 'text'; text: string } | { kind: 'file'; file: Buffer; name: string };

export interface RoomQueueOptions {
  /** posts into a room; throws when the room is unknown to this bot or the post failed */
  deliver: (room: RoomRef, post: RoomPost) => Promise<void>;
  pacer?: Pacer;
  pollMs?: number;
  /** older messages are no longer posted (the office still sees them, and the brief stays downloadable) */
  maxAgeMs?: number;
}

const MAX_ATTEMPTS = 3;

function load(part: RoomMessagePart): RoomPost {
  if (part.kind === 'text') return { kind: 'text', text: part.text ?? '' };
  // Paths are written by the service (briefs), always relative to DATA_DIR; never outside it.
  const root = config().dataDir;
  const file = path.resolve(root, part.path ?? '');
  if (!file.startsWith(root + path.sep)) throw new Error(`file outside DATA_DIR: ${part.path}`);
  return { kind: 'file', file: fs.readFileSync(file), name: part.name ?? path.basename(file) };
}

/**
 * Posts the room outbox (src/modules/rooms): the daily question to rooms that subscribed, the weekly
 * brief to the office's room. Through the bot's one pacer, like every other send.
 */
export function createRoomQueue(opts: RoomQueueOptions) {
  const pacer = opts.pacer ?? new Pacer();
  const maxAgeMs = opts.maxAgeMs ?? 2 * 24 * 3600_000;

  async function drainOnce(): Promise<{ sent: number; failed: number; dropped: number }> {
    const report = { sent: 0, failed: 0, dropped: 0 };
    for (const p of await pendingRoomMessages(50)) {
      const msg = await getRoomMessage(p._id);
      if (!msg || msg.status === 'sent' || now().getTime() - p.createdAt.getTime() > maxAgeMs) {
        if ((await claimRoomMessage(p._id)) && msg && msg.status !== 'sent') await markRoomMessage(p._id, 'unsent', '超过时限未能发送');
        report.dropped++;
        continue;
      }
      if (!(await claimRoomMessage(p._id))) continue;
      try {
        const room = parseRoomKey(msg.room);
        for (const part of msg.parts) {
          const post = load(part);
          await pacer.run(() => opts.deliver(room, post));
        }
        await markRoomMessage(p._id, 'sent', null, (p.attempts ?? 0) + 1);
        report.sent++;
      } catch (err) {
        const error = String((err as Error).message ?? err).slice(0, 300);
        logger.warn({ err, messageId: p._id }, 'room post failed');
        if ((p.attempts ?? 0) + 1 < MAX_ATTEMPTS) await requeueRoomMessage(p, error);
        else await markRoomMessage(p._id, 'failed', error, (p.attempts ?? 0) + 1);
        report.failed++;
      }
    }
    return report;
  }

  return { drainOnce, ...poller('room queue', drainOnce, opts.pollMs ?? 10_000) };
}

export type RoomQueue = ReturnType<typeof createRoomQueue>;
