import { setConfig } from '../../src/config';
import { registry } from '../../src/core/http/route';
import { resetRateLimits } from '../../src/core/http/rate-limit';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession } from '../factories';
import { writeFindings } from './artifacts';

/**
 * Every rate-limited route (from the route registry) answers 429 RATE_LIMITED with Retry-After once
 * its budget is spent, at production scale (RATE_LIMIT_SCALE = 1). The limiter runs before
 * validation, so requests with an empty body spend the budget as real ones do.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  setConfig({ RATE_LIMIT_SCALE: 1000 });
  resetRateLimits();
  await app.close();
});

/** A concrete URL for a registered path: params filled with harmless placeholders. */
const concrete = (path: string) =>
  path
    .replace(/\\/g, '')
    .replace(/:format\b/g, 'json')
    .replace(/:(\w+)/g, 'x1');

describe('rate limits', () => {
  const limited = () => registry.filter((r) => r.spec.rateLimit);

  it('covers the login and submission endpoints', () => {
    const names = new Set(limited().map((r) => r.spec.rateLimit!.name));
    for (const n of ['staff-login', 'session', 'survey-response', 'tipoff-submit', 'activity-signup', 'quiz-answer'])
      expect(names).toContain(n);
  });

  it('answers 429 RATE_LIMITED with Retry-After once a budget is spent, on every limited route', async () => {
    const findings: Record<string, unknown> = {};
    const resident = await residentSession(app);
    setConfig({ RATE_LIMIT_SCALE: 1 });
    resetRateLimits();
    try {
      for (const r of limited()) {
        const rule = r.spec.rateLimit!;
        const token = r.spec.access === 'public' ? undefined : resident.token;
        const method = r.method.toUpperCase();
        const send = () => app.request(method, concrete(r.path), method === 'GET' ? undefined : {}, { token });
        resetRateLimits();
        const within = [];
        for (let i = 0; i < rule.max; i++) within.push((await send()).status);
        const over = await send();
        findings[`${method} ${r.path}`] = {
          budget: rule.max,
          windowSeconds: rule.windowMs / 1000,
          by: rule.by ?? 'principal',
          overStatus: over.status,
        };
        expect({ route: `${method} ${r.path}`, within429: within.filter((s) => s === 429).length }).toEqual({
          route: `${method} ${r.path}`,
          within429: 0,
        });
        // Open311 answers its own error array (GeoReport v2, docs/tipoffs.md); everything else the API's error body.
        const open311 = r.path.startsWith('/open311/');
        const code = open311 ? over.body?.[0]?.code : over.body?.error?.code;
        expect({ route: `${method} ${r.path}`, status: over.status, code }).toEqual({
          route: `${method} ${r.path}`,
          status: 429,
          code: open311 ? 429 : 'RATE_LIMITED',
        });
        expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    } finally {
      setConfig({ RATE_LIMIT_SCALE: 1000 });
      resetRateLimits();
    }
    writeFindings('rate-limits', { routes: findings });
  }, 120_000);

  it('keeps one resident’s budget apart from another’s', async () => {
    const a = await residentSession(app);
    const b = await residentSession(app);
    setConfig({ RATE_LIMIT_SCALE: 1 });
    resetRateLimits();
    try {
      const post = (token: string) => app.post('/api/v1/surveys/pulse-weekly/responses', {}, { token });
      for (let i = 0; i < 20; i++) await post(a.token);
      expect((await post(a.token)).status).toBe(429);
      expect((await post(b.token)).status).not.toBe(429);
    } finally {
      setConfig({ RATE_LIMIT_SCALE: 1000 });
      resetRateLimits();
    }
  });
});
