import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';
import { config } from '../../config';
import { isDuplicateKey } from '../../core/errors';
import { loadSharp } from '../../core/lazy';
import { logger } from '../../core/logger';
import { now } from '../../core/time';
import { poller } from '../../core/poller';

/**
 * The 企业微信 group robot (WECOM_WEBHOOK_URL): office notices (督办, the weekly brief and its chart)
 * go to the office's 企业微信 group too, besides the Wechaty room and the console inbox. A queue in
 * the database (`wecom_queue`, _id = the notice's cause) so a failed post is tried again and each
 * cause posts once; a sender claims a document by deleting it (put back on failure), so the queue
 * stays short and two instances never post the same notice.
 */
const partSchema = new Schema(
  { kind: { type: String, enum: ['text', 'image'], required: true }, text: String, path: String },
  { _id: false },
);
const WecomQueue = defineModel('WecomQueue', 'wecom_queue', {
  _id: String,
  parts: { type: [partSchema], required: true },
  /** parts already posted (a retry resumes after them) */
  done: { type: Number, default: 0 },
  attempts: { type: Number, default: 0 },
  createdAt: { type: Date, required: true },
  retryAt: { type: Date, default: null },
});
type WecomQueueDoc = DocOf<typeof WecomQueue>;

/** Text, or an image file under DATA_DIR. */
export type WecomPart = { kind: 'text'; text: string } | { kind: 'image'; path: string };

/** Queues an office notice for the robot, once per cause; nothing when WECOM_WEBHOOK_URL is unset. */
export async function queueWecom(cause: string, parts: WecomPart[]): Promise<boolean> {
  if (!config().WECOM_WEBHOOK_URL) return false;
  try {
    await WecomQueue.create({ _id: cause, parts, createdAt: now() });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** WeCom's limits: markdown content 4096 bytes, an image 2 MB before base64, 20 messages a minute. */
export const WECOM_LIMITS = { textBytes: 4096, imageBytes: 2 * 1024 * 1024, perMinute: 20 };

/**
 * A text too long for one message, cut at line breaks into parts of at most `max` bytes, each after
 * the first marked （续）; a single giant line is cut by characters. Nothing is lost.
 */
export function splitText(text: string, max = WECOM_LIMITS.textBytes): string[] {
  const MARK = '（续）\n';
  const room = max - Buffer.byteLength(MARK);
  if (Buffer.byteLength(text) <= max) return [text];
  const lines = text.split('\n').flatMap((l) => (Buffer.byteLength(l) <= room ? [l] : cutByBytes(l, room)));
  const parts: string[] = [];
  let part = '';
  for (const line of lines) {
    const next = part ? `${part}\n${line}` : line;
    if (Buffer.byteLength(next) > room && part) {
      parts.push(part);
      part = line;
    } else part = next;
  }
  if (part) parts.push(part);
  return parts.map((p, i) => (i ? MARK + p : p));
}

function cutByBytes(line: string, max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of line) {
    if (Buffer.byteLength(cur + ch) > max) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
  }
  return cur ? [...out, cur] : out;
}

/** An image within 2 MB: as it is, or re-encoded smaller (JPEG, shrinking until it fits). */
export async function fitImage(file: Buffer, max = WECOM_LIMITS.imageBytes): Promise<Buffer> {
  if (file.length <= max) return file;
  const sharp = await loadSharp();
  const meta = await sharp(file).metadata();
  let width = meta.width ?? 2000;
  for (let quality = 85; ; quality = Math.max(40, quality - 15), width = Math.round(width * 0.75)) {
    const out = await sharp(file)
      .resize({ width, withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality })
      .toBuffer();
    if (out.length <= max || width < 200) return out;
  }
}

export class WecomError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`wecom robot errcode ${errcode}: ${errmsg}`);
  }
}

/** The robot's webhook with WeCom's rate: at most 20 posts in any minute (a sliding window). */
export function createWecomRobot(url: string, o: { perMinute?: number; windowMs?: number } = {}) {
  const perMinute = o.perMinute ?? WECOM_LIMITS.perMinute;
  const windowMs = o.windowMs ?? 60_000;
  const sentAt: number[] = [];
  let lane: Promise<unknown> = Promise.resolve();

  async function slot(): Promise<void> {
    for (;;) {
      while (sentAt.length && Date.now() - sentAt[0]! >= windowMs) sentAt.shift();
      if (sentAt.length < perMinute) break;
      await sleep(windowMs - (Date.now() - sentAt[0]!) + 5);
    }
  }

  async function post(body: unknown): Promise<void> {
    const run = lane
      .catch(() => undefined)
      .then(async () => {
        await slot();
        let res: Response;
        try {
          res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(10_000),
          });
        } finally {
          // Counted from when WeCom has surely seen it (the answer), never earlier than WeCom counts it.
          sentAt.push(Date.now());
        }
        const answer = (await res.json().catch(() => ({ errcode: -2, errmsg: `unreadable answer (HTTP ${res.status})` }))) as {
          errcode?: number;
          errmsg?: string;
        };
        if (answer.errcode) throw new WecomError(answer.errcode, answer.errmsg ?? '');
      });
    lane = run;
    return run;
  }

  return {
    /** A text as markdown messages of at most 4096 bytes each. */
    async sendText(text: string): Promise<void> {
      for (const content of splitText(text)) await post({ msgtype: 'markdown', markdown: { content } });
    },
    async sendImage(file: Buffer): Promise<void> {
      const img = await fitImage(file);
      await post({ msgtype: 'image', image: { base64: img.toString('base64'), md5: crypto.createHash('md5').update(img).digest('hex') } });
    },
  };
}

export type WecomRobot = ReturnType<typeof createWecomRobot>;

const RETRY_AFTER_MS = [60_000, 5 * 60_000, 30 * 60_000];

/** Posts the queue, oldest first; a failed post is retried later from the part it stopped at. */
export function createWecomSender(robot: WecomRobot) {
  /** Claimed by deleting it (one instance wins); a failure puts it back with where it stopped. */
  async function postOne(doc: WecomQueueDoc): Promise<'sent' | 'retried' | 'dropped'> {
    if ((await WecomQueue.deleteOne({ _id: doc._id })).deletedCount !== 1) return 'dropped';
    let done = doc.done ?? 0;
    try {
      for (const part of doc.parts.slice(done)) {
        if (part.kind === 'text') await robot.sendText(part.text ?? '');
        else await robot.sendImage(fs.readFileSync(path.join(config().dataDir, part.path ?? '')));
        done++;
      }
    } catch (err) {
      const attempts = (doc.attempts ?? 0) + 1;
      logger.warn({ cause: doc._id, attempts, err: (err as Error).message }, 'wecom robot post failed');
      if (attempts > RETRY_AFTER_MS.length) {
        logger.error({ cause: doc._id }, 'wecom robot post given up (the notice stays in the console inbox)');
        return 'dropped';
      }
      await WecomQueue.create({ ...doc, done, attempts, retryAt: new Date(now().getTime() + RETRY_AFTER_MS[attempts - 1]!) });
      return 'retried';
    }
    return 'sent';
  }

  async function drainOnce(): Promise<{ sent: number; retried: number; dropped: number }> {
    const report = { sent: 0, retried: 0, dropped: 0 };
    for (const doc of await WecomQueue.find().sort({ createdAt: 1 }).limit(50).lean<WecomQueueDoc[]>()) {
      if (doc.retryAt && doc.retryAt.getTime() > now().getTime()) continue;
      report[await postOne(doc)]++;
    }
    return report;
  }

  return { drainOnce, ...poller('wecom sender', drainOnce, 10_000) };
}

/** The process's sender over WECOM_WEBHOOK_URL (main.ts starts it when the variable is set). */
export function startWecomSender(): ReturnType<typeof createWecomSender> {
  const sender = createWecomSender(createWecomRobot(config().WECOM_WEBHOOK_URL!));
  sender.start();
  logger.info('wecom group robot on: office notices go to it too');
  return sender;
}
