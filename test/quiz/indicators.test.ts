import { startTestApp, type TestApp } from '../harness/app';
import { COMMUNITIES, residentSession, staffSession } from '../factories';
import { createQuiz, startAttempt } from './factories';
import { setClock } from '../../src/core/time';
import { counterWriter } from '../../src/modules/counters/counter-writer';
import { Counter, IndicatorResponse } from '../../src/modules/counters/stats.model';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';

let app: TestApp;
let quizId: string;
let office: string;
beforeAll(async () => {
  app = await startTestApp();
  ({ id: quizId, token: office } = await createQuiz(app));
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

/** One resident of `community` answers the given questions of a fresh attempt (and finishes it). */
async function answer(
  community: string,
  choices: Record<string, unknown>,
  opts: { finish?: boolean; token?: string } = {},
): Promise<string> {
  const token = opts.token ?? (await residentSession(app, { regionCode: community })).token;
  const attempt = await startAttempt(app, token, quizId);
  for (const [questionId, choice] of Object.entries(choices)) {
    const res = await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId, choice }, { token });
    expect(res.status).toBe(200);
  }
  if (opts.finish !== false) expect((await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/finish`, {}, { token })).status).toBe(200);
  return attempt.attemptId;
}

/** Counter values without zeros (a rebuild writes none). */
function strip(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const entries = Object.entries(v)
    .map(([k, x]) => [k, strip(x)] as const)
    .filter(([, x]) => x !== 0 && x !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

const counter = async (id: string) => (await Counter.findById(id).lean<{ c: Record<string, any> }>())?.c;
/** One response of one tagged answer (zero fields are never written). */
const one = (k: 0 | 1) => (k ? { m: 1, n: 1, k, nn: 1, kk: k, nk: k } : { m: 1, n: 1, nn: 1 });

describe('a finished attempt is one response of 答题知晓 (aware = correct)', () => {
  it('records the attempt as a whole per community and day, with its tagged questions only', async () => {
    setClock(() => new Date('2026-04-08T10:00:00+08:00'));
    const a1 = await answer(COMMUNITIES[0], { s1: ['B'], m1: 'ABD' }); // aware
    await answer(COMMUNITIES[0], { s1: ['A'] }); // not aware
    await answer(COMMUNITIES[3], { s1: 'b' }); // aware, elsewhere
    await app.flush();
    const sum = (a: object, b: object) => Object.fromEntries(Object.keys(a).map((f) => [f, ((a as any)[f] ?? 0) + ((b as any)[f] ?? 0)]));
    expect((await counter(`rsp:quiz:awareness:${COMMUNITIES[0]}:2026`))?.['2026-04-08']).toEqual(sum(one(1), one(0)));
    expect((await counter(`rsi:quiz:aw-garbage:${COMMUNITIES[3]}:2026`))?.['2026-04-08']).toEqual(one(1));
    // the response is the attempt; the untagged m1 is not an indicator answer; nothing names the resident
    const stored = await IndicatorResponse.findById(`quiz:${a1}`).lean();
    expect(stored).toMatchObject({
      source: 'quiz',
      regionCode: COMMUNITIES[0],
      day: '2026-04-08',
      answers: [{ q: 's1', indicator: 'aw-garbage', kind: 'awareness', positive: true }],
    });
    expect(Object.keys(stored!).sort()).toEqual(['_id', 'answers', 'day', 'instrumentId', 'regionCode', 'source']);
    // survey figures are untouched: the two instruments are never pooled
    expect(await counter(`rsp:survey:awareness:${COMMUNITIES[0]}:2026`)).toBeUndefined();
  });

  it('counts an attempt only once it is finished, and each attempt of a resident as one 答题人次', async () => {
    const { token } = await residentSession(app, { regionCode: COMMUNITIES[1] });
    setClock(() => new Date('2026-04-09T10:00:00+08:00'));
    await answer(COMMUNITIES[1], { s1: ['C'] }, { token, finish: false });
    await app.flush();
    expect(await counter(`rsp:quiz:awareness:${COMMUNITIES[1]}:2026`)).toBeUndefined();
    await answer(COMMUNITIES[1], { s1: ['C'] }, { token });
    setClock(() => new Date('2026-04-10T10:00:00+08:00'));
    await answer(COMMUNITIES[1], { s1: ['B'] }, { token });
    await app.flush();
    const c = await counter(`rsp:quiz:awareness:${COMMUNITIES[1]}:2026`);
    expect(c?.['2026-04-09']).toEqual(one(0));
    expect(c?.['2026-04-10']).toEqual(one(1));
  });
});

describe('per-question accuracy by region (knowledge gaps)', () => {
  it('reports accuracy per question and per community, weakest first, for office staff', async () => {
    const quiz = await createQuiz(app, { token: office });
    const run = async (community: string, choices: Record<string, unknown>) => {
      const { token } = await residentSession(app, { regionCode: community });
      const attempt = await startAttempt(app, token, quiz.id);
      for (const [questionId, choice] of Object.entries(choices))
        await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId, choice }, { token });
    };
    await run(COMMUNITIES[0], { s1: 'B', m1: 'AB', j1: '错' });
    await run(COMMUNITIES[0], { s1: 'B', m1: 'ABD', j1: '对' });
    await run(COMMUNITIES[2], { s1: 'A', m1: 'AB', j1: '错' });
    await app.flush();
    const res = await app.get(`/api/v1/quizzes/${quiz.id}/accuracy`, { token: office });
    expect(res.status).toBe(200);
    expect(res.body.overall).toMatchObject({ n: 9, correct: 5 });
    expect(res.body.questions.map((q: { id: string; n: number; correct: number }) => [q.id, q.n, q.correct])).toEqual([
      ['m1', 3, 1],
      ['j1', 3, 2],
      ['s1', 3, 2],
    ]);
    expect(res.body.questions[0]).toMatchObject({ rate: 0.3333, lowSample: true, text: '国家层面的价值目标有？' });
    const east = res.body.byRegion.find((r: { code: string }) => r.code === COMMUNITIES[0]);
    expect(east).toMatchObject({ name: '东湖区 湖滨街道 柳岸社区', n: 6, correct: 4 });
    const west = res.body.byRegion.find((r: { code: string }) => r.code === COMMUNITIES[2]);
    expect(west.weakest.map((q: { id: string; rate: number }) => [q.id, q.rate])).toEqual([
      ['m1', 0],
      ['s1', 0],
      ['j1', 1],
    ]);
    // a district filter keeps its communities only
    const district = await app.get(`/api/v1/quizzes/${quiz.id}/accuracy?region=330202`, { token: office });
    expect(district.body.overall).toMatchObject({ n: 3, correct: 1 });
    expect(district.body.byRegion.every((r: { code: string }) => r.code.startsWith('330202'))).toBe(true);
    // residents and unit staff may not read it
    const resident = await residentSession(app);
    expect((await app.get(`/api/v1/quizzes/${quiz.id}/accuracy`, { token: resident.token })).status).toBe(403);
    const unit = await staffSession(app, 'unit', 'cgj');
    expect((await app.get(`/api/v1/quizzes/${quiz.id}/accuracy`, { token: unit.token })).status).toBe(403);
  });

  it('is recomputed exactly from the answers by the statistics rebuild', async () => {
    await counterWriter.flush();
    const ids = (await Counter.find().lean<Array<{ _id: string; c: unknown }>>()).filter((d) => /^(quiz[qd]|rsp|rsi|rsv):/.test(d._id));
    expect(ids.length).toBeGreaterThan(0);
    await rebuildCounters();
    for (const d of ids) expect([d._id, strip((await Counter.findById(d._id).lean<{ c: unknown }>())?.c)]).toEqual([d._id, strip(d.c)]);
  });
});
