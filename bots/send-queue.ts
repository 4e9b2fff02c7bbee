import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../src/config';
import { logger } from '../src/core/logger';
import { poller } from '../src/core/poller';
import { dayKey, now } from '../src/core/time';
import {
  type PushChannel,
  claimPush,
  countPush,
  getOutboxMessage,
  markPushed,
  markPushFailed,
  markUnpushed,
  pendingPushes,
  pushesToday,
  pushTargetOf,
  type OutboxPendingDoc,
  type PushTargetDoc,
} from '../src/modules/outbox';

/**
 * One lane of sends, each at least intervalMs after the previous one ended: WeChat bans accounts
 * that send in bursts. Replies and pushes of one bot share its pacer.
 */
export class Pacer {
  private lane: Promise<unknown> = Promise.resolve();
  private last = 0;

  constructor(private readonly intervalMs = config().BOT_SEND_INTERVAL_MS) {}

  run<T>(send: () => Promise<T>): Promise<T> {
    const next = this.lane
      .catch(() => undefined)
      .then(async () => {
        const wait = this.last + this.intervalMs - Date.now();
        if (wait > 0) await sleep(wait);
        try {
          return await send();
        } finally {
          this.last = Date.now();
        }
      });
    this.lane = next;
    return next;
  }
}

export interface SendQueueOptions {
  channel: PushChannel;
  /** sends one text to a contact of the channel; throws when it could not */
  deliver: (contactId: string, text: string) => Promise<void>;
  pacer?: Pacer;
  dailyLimit?: number;
  pollMs?: number;
  /** older messages are no longer pushed (they stay in H5) */
  maxAgeMs?: number;
  batch?: number;
}

export interface DrainReport {
  sent: number;
  deferred: number;
  dropped: number;
  failed: number;
}

const MAX_ATTEMPTS = 3;

/**
 * Pushes the outbox (src/modules/outbox) to residents who talk to this bot. One queue per bot
 * process (one per WeChat account), so the per-contact daily counters have a single writer.
 */
export function createSendQueue(opts: SendQueueOptions) {
  const pacer = opts.pacer ?? new Pacer();
  const dailyLimit = opts.dailyLimit ?? config().BOT_DAILY_LIMIT_PER_CONTACT;
  const maxAgeMs = opts.maxAgeMs ?? 3 * 24 * 3600_000;

  async function drainOnce(): Promise<DrainReport> {
    const report: DrainReport = { sent: 0, deferred: 0, dropped: 0, failed: 0 };
    const day = dayKey(now());
    const counts = new Map<string, number>();
    const targets = new Map<string, PushTargetDoc | undefined>();
    for (const p of await pendingPushes(opts.batch ?? 200)) {
      if (!targets.has(p.residentId)) targets.set(p.residentId, await pushTargetOf(p.residentId));
      const outcome = await pushOne(p, targets.get(p.residentId), day, counts);
      report[outcome]++;
    }
    return report;
  }

  async function pushOne(
    p: OutboxPendingDoc,
    target: PushTargetDoc | undefined,
    day: string,
    counts: Map<string, number>,
  ): Promise<keyof DrainReport> {
    const msg = await getOutboxMessage(p._id);
    const tooOld = now().getTime() - p.createdAt.getTime() > maxAgeMs;
    if (!msg || msg.status === 'sent' || tooOld || target?.channel !== opts.channel) {
      if ((await claimPush(p._id)) && msg && msg.status !== 'sent') await markUnpushed(p._id);
      return 'dropped';
    }
    const sentToday = counts.get(target.contactId) ?? (await pushesToday(opts.channel, target.contactId, day));
    counts.set(target.contactId, sentToday);
    if (sentToday >= dailyLimit) return 'deferred'; // stays queued for tomorrow
    if (!(await claimPush(p._id))) return 'dropped';
    try {
      await pacer.run(() => opts.deliver(target.contactId, `【通知】${msg.text}`));
    } catch (err) {
      logger.warn({ err, messageId: p._id }, 'bot push failed');
      await markPushFailed(p, (p.attempts ?? 0) + 1 < MAX_ATTEMPTS);
      return 'failed';
    }
    await markPushed(p._id, now());
    await countPush(opts.channel, target.contactId, day);
    counts.set(target.contactId, sentToday + 1);
    return 'sent';
  }

  return { drainOnce, ...poller('bot send queue', drainOnce, opts.pollMs ?? 5_000) };
}

export type SendQueue = ReturnType<typeof createSendQueue>;
