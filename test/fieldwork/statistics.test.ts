import mongoose from 'mongoose';
import type { TestApp } from '../harness/app';
import { COMMUNITIES, residentSession } from '../factories';
import { respond, validAnswers } from '../surveys/factories';
import { expectSame, poststratExp, ratioExp, rng, type RateExp, type UnitExp } from '../stats/expected';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';
import { assign, draw, enumerator, sampledSurvey, slot, startFramedApp, visit, visitBody } from './factories';
import { counterSnapshot } from '../stats/counters';

/**
 * 知晓率 and 满意度 by mode (self, household, all) against an independent computation from the raw
 * stored responses, and the counters rebuilt from the source records equal to the incremental ones.
 */
let app: TestApp;
let office: string;
const STREET = '330201001'; // holds COMMUNITIES[0] (population 8650) and COMMUNITIES[1] (10420)
const POPULATION: Record<string, number> = { [COMMUNITIES[0]]: 8650, [COMMUNITIES[1]]: 10420 };

/** Deterministic answers: a small LCG so the figures are not all 0 or 1. */
const rand = rng(7);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
const answers = () =>
  validAnswers({ aware: pick(['A', 'A', 'B']), env: pick(['A', 'B', 'C']), overall: pick([1, 2, 3, 4, 5, 5]), suggestion: null });

beforeAll(async () => {
  ({ app, office } = await startFramedApp());
  const surveyId = await sampledSurvey(app, office, { targets: { [COMMUNITIES[0]]: 6, [COMMUNITIES[1]]: 5 } });
  const drawn = await draw(app, office, surveyId);
  // Two enumerators, one community each.
  const team: Record<string, { token: string; id: string }> = {
    [COMMUNITIES[0]]: await enumerator(app),
    [COMMUNITIES[1]]: await enumerator(app),
  };
  for (const [c, e] of Object.entries(team)) await assign(app, office, surveyId, { enumeratorId: e.id, regionCode: c });
  const sample = drawn.filter((h) => h.role === 'sample');
  const ids: Record<string, string> = {};
  for (const [i, h] of sample.entries()) {
    // Three of them too short: one to accept, one to reject, one left pending.
    const times =
      i < 3
        ? (() => {
            const { startedAt } = slot();
            return { startedAt, endedAt: new Date(Date.parse(startedAt) + 5_000).toISOString() };
          })()
        : slot();
    const res = await visit(app, team[h.regionCode]!.token, visitBody(surveyId, h.id, h.regionCode, { answers: answers(), ...times }));
    if (res.status !== 201) throw new Error(`visit: ${res.status} ${JSON.stringify(res.body)}`);
    ids[i] = res.body.id;
  }
  expect((await app.post(`/api/v1/fieldwork/interviews/${ids[0]}/review`, { decision: 'accepted' }, { token: office })).status).toBe(200);
  expect((await app.post(`/api/v1/fieldwork/interviews/${ids[1]}/review`, { decision: 'rejected' }, { token: office })).status).toBe(200);
  for (const [c, n] of [
    [COMMUNITIES[0], 5],
    [COMMUNITIES[1], 4],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const r = await residentSession(app, { regionCode: c });
      const res = await respond(app, surveyId, r.token, answers());
      if (res.status !== 201) throw new Error(`respond: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  await app.flush();
}, 180_000);
afterAll(() => app.close());

interface Raw {
  regionCode: string;
  mode?: string;
  hold?: string;
  answers: Array<{ q: string; v: unknown }>;
}

/** The responses that count, straight from the database: held and rejected ones left out. */
async function counted(mode: 'self' | 'household' | 'all'): Promise<Raw[]> {
  const all = (await mongoose.connection.db!.collection('survey_responses').find().toArray()) as unknown as Raw[];
  return all.filter((r) => !r.hold && (mode === 'all' || (r.mode ?? 'self') === mode));
}

/** Each response as a unit of a kind, with the rules of docs/statistics.md written out again. */
function unitOf(kind: 'awareness' | 'satisfaction', r: Raw): UnitExp {
  const v = new Map(r.answers.map((a) => [a.q, a.v]));
  if (kind === 'awareness') return { n: 1, k: (v.get('aware') as string[])[0] === 'A' ? 1 : 0 };
  const envPositive = (v.get('env') as string[])[0] === 'A';
  const overallPositive = (((v.get('overall') as number) - 1) / 4) * 100 >= 75;
  return { n: 2, k: Number(envPositive) + Number(overallPositive) };
}

/** The rate's own fields equal the reference to 1e-9 (the weighted one carries more, compared elsewhere). */
const close = (got: Record<string, unknown>, want: RateExp) =>
  expectSame(Object.fromEntries(Object.keys(want).map((k) => [k, got[k]])), want);

describe('statistics by mode', () => {
  it.each([
    ['awareness', 'self'],
    ['awareness', 'household'],
    ['awareness', 'all'],
    ['satisfaction', 'self'],
    ['satisfaction', 'household'],
    ['satisfaction', 'all'],
  ] as const)('%s with mode=%s equals the computation from the raw responses to 1e-9', async (kind, mode) => {
    const rows = await counted(mode);
    expect(rows.length).toBeGreaterThan(5);
    const res = await app.get(`/api/v1/stats/${kind}?period=campaign&region=${STREET}&mode=${mode}`, { token: office });
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe(mode);
    close(res.body.overall.unweighted, ratioExp(rows.map((r) => unitOf(kind, r))));
    const strata = [COMMUNITIES[0], COMMUNITIES[1]].map((c) => ({
      pop: POPULATION[c]!,
      units: rows.filter((r) => r.regionCode === c).map((r) => unitOf(kind, r)),
    }));
    close(res.body.overall.weighted, poststratExp(strata));
  });

  it('reads the online figure when no mode is given, as before', async () => {
    const plain = await app.get(`/api/v1/stats/awareness?period=campaign&region=${STREET}`, { token: office });
    const self = await app.get(`/api/v1/stats/awareness?period=campaign&region=${STREET}&mode=self`, { token: office });
    expect(plain.body.mode).toBe('self');
    expect(plain.body.overall).toEqual(self.body.overall);
    expect(plain.body.overall.unweighted.n).toBe(9);
  });

  it('gives the household figure with its response rate and margin of error, beside the online one', async () => {
    const surveyId = (await mongoose.connection.db!.collection('fieldwork_draws').findOne({}))!.surveyId as string;
    const progress = (await app.get(`/api/v1/surveys/${surveyId}/fieldwork/progress`, { token: office })).body;
    expect(
      progress.items.map((i: { regionCode: string; completed: number; rejected: number; pendingReview: number; rr1: number }) => [
        i.regionCode,
        i.completed,
        i.rejected,
        i.pendingReview,
        i.rr1,
      ]),
    ).toEqual([
      [COMMUNITIES[0], 5, 1, 1, 5 / 6],
      [COMMUNITIES[1], 5, 0, 0, 1],
    ]);
    // Margin of error from the interviews that count (accepted or unflagged) over the frame.
    expect(progress.items[0].marginOfError).toBeCloseTo(1.96 * Math.sqrt(0.25 / 4) * Math.sqrt(36 / 39), 12);
    const household = (await app.get(`/api/v1/stats/awareness?period=campaign&mode=household`, { token: office })).body;
    const self = (await app.get(`/api/v1/stats/awareness?period=campaign`, { token: office })).body;
    expect([household.mode, household.overall.unweighted.n, self.mode, self.overall.unweighted.n]).toEqual(['household', 9, 'self', 9]);
  });

  it('leaves out the rejected and the pending interviews: 9 of the 11 count', async () => {
    const res = await app.get(`/api/v1/stats/awareness?period=campaign&region=${STREET}&mode=household`, { token: office });
    expect(res.body.overall.unweighted.n).toBe(9);
    expect((await counted('household')).length).toBe(9);
  });
});

describe('the rebuild', () => {
  it('recomputes the household and self counters to exactly what the syncs and reviews kept', async () => {
    const incremental = await counterSnapshot();
    expect(Object.keys(incremental).some((id) => id.startsWith('rsp:survey-household:'))).toBe(true);
    await rebuildCounters();
    expect(await counterSnapshot()).toEqual(incremental);
  });
});
