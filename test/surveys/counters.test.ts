import { startTestApp, type TestApp } from '../harness/app';
import { COMMUNITIES, residentSession } from '../factories';
import { openSurvey, respond, validAnswers } from './factories';
import { setClock } from '../../src/core/time';
import { Counter } from '../../src/modules/counters/stats.model';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

/** A deterministic pseudo-random generator, so a failing run can be replayed. */
function rng(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

// What each indicator question of surveyDefinition() yields per answer.
const MARKS: Record<string, { indicator: string; value: (v: any) => { positive: boolean; score: number | null } }> = {
  aware: { indicator: 'aw-campaign', value: (v) => ({ positive: v === 'A', score: null }) },
  support: { indicator: 'sp-campaign', value: (v) => ({ positive: v === 'A' || v === 'B', score: null }) },
  env: { indicator: 'sa-environment', value: (v) => ({ positive: v === 'A', score: { A: 100, B: 50, C: 0 }[v as 'A'] }) },
  overall: { indicator: 'sa-overall', value: (v) => ({ positive: v >= 4, score: (v - 1) * 25 }) },
};

type Sums = { n: number; k: number; s: number; sn: number };
const zero = (): Sums => ({ n: 0, k: 0, s: 0, sn: 0 });

async function counter(id: string): Promise<Record<string, any>> {
  await app.flush();
  return ((await Counter.findById(id).lean()) as { c?: Record<string, any> } | null)?.c ?? {};
}

describe.each([
  ['a named', false],
  ['an anonymous', true],
])('indicator and result counters of %s survey', (_label, anonymous) => {
  it('match the responses, per community and per question, and survive a rebuild', async () => {
    const day = anonymous ? '2026-03-16' : '2026-03-15';
    setClock(() => new Date(`${day}T10:00:00+08:00`));
    const { id, office } = await openSurvey(app, { anonymous });
    const targets = { [COMMUNITIES[0]]: 5, [COMMUNITIES[1]]: 3, [COMMUNITIES[3]]: 2 };
    expect((await app.patch(`/api/v1/surveys/${id}`, { targets }, { token: office })).status).toBe(200);

    const next = rng(anonymous ? 7 : 42);
    const expected = new Map<string, Sums>(); // `${indicator}:${community}`
    const options = { aware: ['A', 'B'], support: ['A', 'B', 'C'], env: ['A', 'B', 'C'], overall: [1, 2, 3, 4, 5] } as const;
    const choices: Array<Record<string, any>> = [];
    const perCommunity = new Map<string, number>();
    for (let i = 0; i < 14; i++) {
      const community = pick(next, [...COMMUNITIES.slice(0, 3), undefined]);
      const r = await residentSession(app, { regionCode: community });
      const answers: Record<string, any> = validAnswers({
        aware: pick(next, options.aware),
        support: pick(next, options.support),
        env: pick(next, options.env),
        overall: pick(next, options.overall),
        problems: next() < 0.5 ? ['A'] : ['B', 'C'],
      });
      expect((await respond(app, id, r.token, answers)).status).toBe(201);
      choices.push(answers);
      const region = community ?? '-';
      perCommunity.set(region, (perCommunity.get(region) ?? 0) + 1);
      for (const [qid, mark] of Object.entries(MARKS)) {
        const v = mark.value(answers[qid]);
        const key = `${mark.indicator}:${region}`;
        const e = expected.get(key) ?? zero();
        e.n += 1;
        e.k += v.positive ? 1 : 0;
        if (v.score !== null) [e.s, e.sn] = [e.s + v.score, e.sn + 1];
        expected.set(key, e);
      }
    }

    // The statistics core's per-indicator counters: each response answered each indicator once, on the day.
    for (const [key, want] of expected) {
      const [indicator, region] = key.split(':');
      const c = (await counter(`rsi:survey:${indicator}:${region}:2026`))[day] ?? {};
      expect({ key, m: c.m ?? 0, n: c.n ?? 0, k: c.k ?? 0, s: c.ss ?? 0, sn: c.sm ?? 0 }).toEqual({ key, m: want.n, ...want });
    }

    // The office's per-question results.
    const results = await app.get(`/api/v1/surveys/${id}/results`, { token: office });
    expect(results.status).toBe(200);
    expect(results.body.responses).toBe(14);
    const q = Object.fromEntries(results.body.questions.map((x: { id: string }) => [x.id, x]));
    const count = (qid: string, key: unknown) =>
      choices.filter((a) => (Array.isArray(a[qid]) ? a[qid].includes(key) : a[qid] === key)).length;
    for (const key of options.support) {
      const opt = q.support.options.find((o: { key: string }) => o.key === key);
      expect(opt).toMatchObject({ count: count('support', key), percent: Math.round((count('support', key) / 14) * 1000) / 10 });
    }
    for (const key of ['A', 'B', 'C'])
      expect(q.problems.options.find((o: { key: string }) => o.key === key).count).toBe(count('problems', key));
    expect(q.overall.values.map((v: { count: number }) => v.count)).toEqual([1, 2, 3, 4, 5].map((v) => count('overall', v)));
    const sum = (ind: string, f: keyof Sums) => [...expected].filter(([k]) => k.startsWith(`${ind}:`)).reduce((t, [, e]) => t + e[f], 0);
    expect(q.overall.mean).toBe(Math.round((choices.reduce((t, a) => t + a.overall, 0) / 14) * 10) / 10);
    expect(q.aware.positive.count).toBe(sum('aw-campaign', 'k'));
    expect(q.env.meanScore).toBe(Math.round((sum('sa-environment', 's') / 14) * 10) / 10);
    expect(q.suggestion).toMatchObject({ answered: 14, positive: null });

    // Sample progress per community, against the targets.
    const sample = await app.get(`/api/v1/surveys/${id}/sample`, { token: office });
    expect(sample.body).toMatchObject({ responses: 14, target: 10, noCommunity: perCommunity.get('-') ?? 0 });
    for (const code of [COMMUNITIES[0], COMMUNITIES[1], COMMUNITIES[3]]) {
      const item = sample.body.items.find((x: { code: string }) => x.code === code);
      const achieved = perCommunity.get(code) ?? 0;
      expect(item).toMatchObject({ target: targets[code], achieved, met: achieved >= targets[code]! });
    }

    // Counters are caches: the rebuild recomputes them exactly from the responses.
    const incremental = await counter(`svy:${id}`);
    await rebuildCounters();
    expect(await counter(`svy:${id}`)).toEqual(incremental);
    const key = [...expected.keys()][0]!;
    const [indicator, region] = key.split(':');
    expect((await counter(`rsi:survey:${indicator}:${region}:2026`))[day]).toMatchObject({ m: expected.get(key)!.n });
  });
});
