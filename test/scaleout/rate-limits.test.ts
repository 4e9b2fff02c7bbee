import { useCluster } from '../harness/cluster';
import type { ApiResponse } from '../harness/app';
import { residentSession } from '../factories';

/**
 * Rate limits at production scale (RATE_LIMIT_SCALE = 1) on three instances behind round-robin:
 * a budget is one budget for the whole cluster, not one per instance, because its spent units
 * live in the database (src/core/http/rate-limit.ts).
 */
const cluster = useCluster({ instances: 3, env: { RATE_LIMIT_SCALE: '1' } });

/**
 * Budgets are fixed one-minute windows on the clock: a burst that straddles the minute would be
 * split over two budgets, so a test starts with at least 20 s of its window left.
 */
async function roomInWindow(windowMs = 60_000, needMs = 20_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}

const limited = (rs: ApiResponse[]) => rs.filter((r) => r.status === 429);

describe('rate limits shared through the database', () => {
  it('holds one resident to one budget of survey responses, whichever instance answers', async () => {
    const a = await residentSession(cluster.current.client);
    const b = await residentSession(cluster.current.client);
    await roomInWindow();
    // 30 at once, ten to each instance: the budget is 20 a minute (empty bodies: the limiter runs first).
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        cluster.current.on(i % 3).post('/api/v1/surveys/pulse-weekly/responses', {}, { token: a.token }),
      ),
    );
    expect(burst.length - limited(burst).length).toBe(20);
    for (const n of [0, 1, 2]) {
      const over = await cluster.current.on(n).post('/api/v1/surveys/pulse-weekly/responses', {}, { token: a.token });
      expect({ instance: n, status: over.status, code: over.body.error?.code }).toEqual({ instance: n, status: 429, code: 'RATE_LIMITED' });
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Another resident's budget is their own.
    expect((await cluster.current.on(1).post('/api/v1/surveys/pulse-weekly/responses', {}, { token: b.token })).status).not.toBe(429);
  }, 120_000);

  it('holds one network to one budget of staff sign-in attempts across instances', async () => {
    await roomInWindow();
    const attempt = (n: number) =>
      cluster.current.on(n % 3).post('/api/v1/staff/sessions', { username: 'nobody', password: 'wrong-password' });
    const burst = await Promise.all(Array.from({ length: 15 }, (_, i) => attempt(i)));
    expect(burst.length - limited(burst).length).toBe(10);
    for (const r of limited(burst)) expect(r.body.error.message).toMatch(/^登录尝试过多，请 (\d+ 秒|1 分钟)后再试$/);
  }, 120_000);
});
