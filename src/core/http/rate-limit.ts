import type { Context } from 'koa';
import { trusted } from 'mongoose';
import { config } from '../../config';
import type { Principal } from '../auth';
import { defineModel } from '../db/model';
import { AppError } from '../errors';
import { logger } from '../logger';
import { claimOnce } from '../store';

export interface RateLimitRule {
  /** bucket name, so routes can share a budget */
  name: string;
  max: number;
  windowMs: number;
  /** whose budget: the signed-in principal when there is one, else the client IP */
  by?: 'principal' | 'ip';
  /** the 429 message, told how long to wait (e.g. "5 分钟"); default: a generic one */
  message?: (wait: string) => string;
}

/** A wait in words: seconds under a minute, else whole minutes rounded up. */
export function waitInWords(seconds: number): string {
  return seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
}

/**
 * One spent unit of a budget, shared by every instance on the database:
 * `_id = <rule>:<who>:<window>:<n>` for n = 1..max. Taking a unit is a unique-_id insert, so two
 * instances can never both take the n-th; nothing is ever incremented (FerretDB's updates are not
 * atomic under concurrency, a shared `$inc` would lose hits).
 */
export const RateLimitSlot = defineModel(
  'RateLimitSlot',
  'rate_limit_slots',
  { _id: String, expiresAt: { type: Date, required: true } },
  { indexes: [[{ expiresAt: 1 }]] },
);

/** Fixed windows aligned to the epoch, so every instance agrees on which window a hit falls in. */
function windowOf(rule: RateLimitRule, at: number): { index: number; resetAt: number } {
  const index = Math.floor(at / rule.windowMs);
  return { index, resetAt: (index + 1) * rule.windowMs };
}

/**
 * What this process knows of each window: the highest unit it saw taken. Units are never given
 * back within a window, so once it reaches the budget the answer is 429 without asking the
 * database; below it, the database decides.
 */
const known = new Map<string, { taken: number; resetAt: number }>();
let shared = false;
/** bumped by resetRateLimits (tests): a new generation starts every budget afresh */
let generation = 0;

/**
 * Where budgets live: in the database when several instances may share it (an external
 * MONGODB_URI), in this process's memory when the database is the embedded one it started alone.
 */
export function useSharedRateLimits(on: boolean): void {
  shared = on;
}

/** Takes one unit of the window's budget; false when the budget is spent. */
async function take(key: string, max: number, resetAt: number): Promise<boolean> {
  let w = known.get(key);
  if (!w) {
    known.set(key, (w = { taken: 0, resetAt }));
    if (known.size > 50_000) sweepKnown(Date.now());
  }
  if (!shared) return ++w.taken <= max;
  while (w.taken < max) {
    // Claimed here before the insert, so concurrent requests of this process try different units.
    const n = ++w.taken;
    if (await claimOnce({ collection: RateLimitSlot.collection }, { _id: `${key}:${n}`, expiresAt: new Date(resetAt) })) {
      scheduleSweep();
      return true;
    } // else another instance took unit n: try the next one
  }
  return false;
}

/**
 * Fixed-window limiter. Exact across instances when shared (see RateLimitSlot), memory only when
 * this process is alone on its database. Client IP is trusted from X-Forwarded-For only when
 * TRUST_PROXY is set (app.proxy).
 */
export function rateLimit(rule: RateLimitRule) {
  return async (ctx: Context, auth: Principal | undefined): Promise<void> => {
    const who = rule.by !== 'ip' && auth ? (auth.kind === 'resident' ? auth.residentId : auth.staffId) : ctx.ip;
    const now = Date.now();
    const { index, resetAt } = windowOf(rule, now);
    const max = Math.floor(rule.max * config().RATE_LIMIT_SCALE);
    if (await take(`${rule.name}:${who}:${index}${generation ? `.${generation}` : ''}`, max, resetAt)) return;
    const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
    ctx.set('Retry-After', String(seconds));
    throw new AppError('RATE_LIMITED', rule.message ? rule.message(waitInWords(seconds)) : '操作太频繁，请稍后再试', {
      retryAfterSeconds: seconds,
    });
  };
}

function sweepKnown(now: number): void {
  for (const [k, w] of known) if (w.resetAt <= now) known.delete(k);
}

/**
 * Units of windows that are over are deleted about once a minute by whichever instance used the
 * shared limiter lately. The scan is of this small collection only (what the current windows
 * hold), and two instances deleting the same units at once is harmless.
 */
const SWEEP_MS = 60_000;
let sweepTimer: NodeJS.Timeout | undefined;

function scheduleSweep(): void {
  if (sweepTimer) return;
  sweepTimer = setTimeout(() => {
    sweepTimer = undefined;
    sweepKnown(Date.now());
    RateLimitSlot.deleteMany({ expiresAt: trusted({ $lte: new Date() }) }).catch((err: unknown) =>
      logger.debug({ err }, 'rate limit sweep failed'),
    );
  }, SWEEP_MS);
  sweepTimer.unref();
}

/** Tests: every budget starts afresh (in memory and in the database, by a new generation of keys). */
export function resetRateLimits(): void {
  known.clear();
  generation += 1;
}
