import type { Context } from 'koa';
import { config } from '../../config';
import type { Principal } from '../auth';
import { AppError } from '../errors';

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

const windows = new Map<string, { count: number; resetAt: number }>();

/**
 * Fixed-window limiter in process memory: enough for one instance; behind a load balancer each
 * instance limits on its own (documented). Client IP is trusted from X-Forwarded-For only when
 * TRUST_PROXY is set (app.proxy).
 */
export function rateLimit(rule: RateLimitRule) {
  return (ctx: Context, auth: Principal | undefined): void => {
    const who = rule.by !== 'ip' && auth ? (auth.kind === 'resident' ? auth.residentId : auth.staffId) : ctx.ip;
    const key = `${rule.name}:${who}`;
    const now = Date.now();
    let w = windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + rule.windowMs };
      windows.set(key, w);
      if (windows.size > 50_000) sweep(now);
    }
    w.count += 1;
    if (w.count > rule.max * config().RATE_LIMIT_SCALE) {
      const seconds = Math.max(1, Math.ceil((w.resetAt - now) / 1000));
      ctx.set('Retry-After', String(seconds));
      throw new AppError('RATE_LIMITED', rule.message ? rule.message(waitInWords(seconds)) : '操作太频繁，请稍后再试', { retryAfterSeconds: seconds });
    }
  };
}

function sweep(now: number): void {
  for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
}

export function resetRateLimits(): void {
  windows.clear();
}
