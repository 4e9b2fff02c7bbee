import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../../config';
import { logger } from '../../core/logger';
import { dayKey, now } from '../../core/time';
import { mpApi, MpApiError, type MpApi } from '../mp/mp.api';
import { followerLeft } from '../mp/mp.service';
import { dropSubscriptions, miniApi, miniSubscribeMessage, unusedSubscriptions, useSubscription } from '../mp/mp.subscribe';
import { oaTemplateMessage } from '../mp/mp.templates';
import type { OutboxMessageDoc, OutboxPendingDoc } from './outbox.model';
import { routeNotice } from './outbox.routing';
import type { DeliveryChannel, ResidentNotice } from './outbox.schema';
import {
  claimPush,
  countPush,
  getOutboxMessage,
  markPushed,
  markUnpushed,
  pendingPushes,
  pushesToday,
  reachOf,
  requeuePush,
} from './outbox.service';
import { poller } from '../../core/poller';

/** WeChat's answers that mean "not by this channel for this user": the next channel takes the notice. */
const NOT_THIS_CHANNEL = new Set([
  43004, // the user does not follow the Official Account (any more)
  40003, // invalid openid (another account's, or a deleted user)
  43101, // the user has no subscription left for this template
  40037, // invalid template id (our content names one WeChat does not know)
  47003, // template data refused (a value WeChat's rules do not accept)
]);
/** A busy WeChat the API client already retried twice: try again later, from the outbox. */
const RETRY_AFTER_MS = [60_000, 5 * 60_000];
const MAX_ATTEMPTS = RETRY_AFTER_MS.length + 1;

export interface NoticeSenderOptions {
  oa?: MpApi;
  mini?: MpApi;
  /** pause between two sends (WeChat's template and subscribe quotas are per minute and per day) */
  intervalMs?: number;
  dailyLimit?: number;
  maxAgeMs?: number;
  batch?: number;
}

export interface DeliveryReport {
  sent: number;
  deferred: number;
  rerouted: number;
  retried: number;
  dropped: number;
}

type Outcome = keyof DeliveryReport;

/**
 * Sends the outbox's notices routed to the Official Account (模板消息) and the mini-program
 * (订阅消息), with the outbox's pacing, per-resident daily cap and retries. A channel that cannot
 * reach the user (unfollowed, no subscription left, a refused template) hands the notice to the next
 * channel (the bot, or H5 only); the message records which channel delivered it.
 */
export function createNoticeSender(opts: NoticeSenderOptions = {}) {
  const intervalMs = opts.intervalMs ?? 200;
  const dailyLimit = opts.dailyLimit ?? config().BOT_DAILY_LIMIT_PER_CONTACT;
  const maxAgeMs = opts.maxAgeMs ?? 3 * 24 * 3600_000;
  const apiFor = (c: DeliveryChannel) => (c === 'mp' ? (opts.oa ?? mpApi()) : (opts.mini ?? miniApi()));
  let lastSend = 0;

  async function paced<T>(send: () => Promise<T>): Promise<T> {
    const wait = lastSend + intervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    try {
      return await send();
    } finally {
      lastSend = Date.now();
    }
  }

  /** Hands a claimed notice to the next channel the resident has, or leaves it in H5 only. */
  async function reroute(p: OutboxPendingDoc, msg: OutboxMessageDoc, from: DeliveryChannel): Promise<Outcome> {
    const next = await routeNotice(p.residentId, (msg.kind as ResidentNotice['kind'] | null) ?? null, from);
    if (next.channel === 'h5') await markUnpushed(p._id);
    else await requeuePush(p, next.channel, { attempts: 0 });
    logger.info({ messageId: p._id, from, to: next.channel }, 'notice rerouted');
    return 'rerouted';
  }

  async function send(channel: DeliveryChannel, openid: string, notice: ResidentNotice): Promise<'sent' | 'none'> {
    const api = apiFor(channel);
    if (!api) return 'none';
    if (channel === 'mp') {
      const body = oaTemplateMessage(openid, notice);
      if (!body) return 'none';
      await paced(() => api.call('/cgi-bin/message/template/send', { json: body }));
      return 'sent';
    }
    const m = miniSubscribeMessage(openid, notice);
    if (!m || (await unusedSubscriptions(openid, m.templateId)) < 1) return 'none';
    try {
      await paced(() => api.call('/cgi-bin/message/subscribe/send', { json: m.body }));
    } catch (err) {
      if (err instanceof MpApiError && err.errcode === 43101) await dropSubscriptions(openid, m.templateId);
      throw err;
    }
    await useSubscription(openid, m.templateId); // one accepted subscription, one message
    return 'sent';
  }

  async function deliverOne(p: OutboxPendingDoc, day: string): Promise<Outcome> {
    const channel = p.channel as 'mp' | 'mini';
    if (p.retryAt && p.retryAt.getTime() > now().getTime()) return 'deferred';
    const msg = await getOutboxMessage(p._id);
    if (!msg || msg.status === 'sent' || now().getTime() - p.createdAt.getTime() > maxAgeMs) {
      if ((await claimPush(p._id)) && msg && msg.status !== 'sent') await markUnpushed(p._id);
      return 'dropped';
    }
    const reach = await reachOf(p.residentId);
    const openid = channel === 'mp' ? reach?.mp : reach?.mini;
    if (openid && (await pushesToday(channel, openid, day)) >= dailyLimit) return 'deferred'; // stays queued for tomorrow
    if (!(await claimPush(p._id))) return 'dropped';
    if (!openid || !msg.kind) return reroute(p, msg, channel);
    const notice = { kind: msg.kind, data: (msg.data ?? {}) as Record<string, string> } as ResidentNotice;
    try {
      if ((await send(channel, openid, notice)) === 'none') return reroute(p, msg, channel);
    } catch (err) {
      const errcode = err instanceof MpApiError ? err.errcode : undefined;
      if (errcode !== undefined && NOT_THIS_CHANNEL.has(errcode)) {
        logger.info({ messageId: p._id, channel, errcode }, 'notice not deliverable by this channel');
        if (errcode === 43004) await followerLeft(openid); // no more tries by the Official Account until they follow again
        return reroute(p, msg, channel);
      }
      const attempts = (p.attempts ?? 0) + 1;
      logger.warn({ messageId: p._id, channel, errcode, attempts, err: (err as Error).message }, 'notice send failed');
      if (attempts >= MAX_ATTEMPTS) return reroute(p, msg, channel);
      await requeuePush(p, channel, { attempts, retryAt: new Date(now().getTime() + RETRY_AFTER_MS[attempts - 1]!) });
      return 'retried';
    }
    await markPushed(p._id, now(), channel);
    await countPush(channel, openid, day);
    return 'sent';
  }

  async function drainOnce(): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, deferred: 0, rerouted: 0, retried: 0, dropped: 0 };
    const day = dayKey(now());
    for (const p of await pendingPushes(opts.batch ?? 200, ['mp', 'mini'])) {
      try {
        report[await deliverOne(p, day)]++;
      } catch (err) {
        // The database failed mid-way: put it back for the next round rather than lose it.
        logger.error({ err, messageId: p._id }, 'notice delivery failed');
        await requeuePush(p, p.channel as DeliveryChannel, { attempts: p.attempts ?? 0 }).catch(() => undefined);
      }
    }
    return report;
  }

  return { drainOnce, ...poller('notice sender', drainOnce, 5_000) };
}

export type NoticeSender = ReturnType<typeof createNoticeSender>;
