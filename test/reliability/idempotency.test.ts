import mongoose from 'mongoose';
import { setClock } from '../../src/core/time';
import { registry } from '../../src/core/http/route';
import { startTestApp, type ApiResponse, type TestApp } from '../harness/app';
import { residentSession } from '../factories';
import { LIUAN, uploadPhoto } from '../tipoffs/factories';
import { createActivity, volunteerSession } from '../volunteers/factories';
import { visitBody } from '../fieldwork/factories';
import { assignedFieldwork } from '../h5/fieldwork-factories';
import { writeFindings } from './artifacts';

/**
 * Every route that honours `Idempotency-Key` (found in the route registry, so a new one without a
 * recipe here fails): the same submission sent five times at once and then once more creates one
 * record, and every success carries the same response; a retry racing the first attempt may only
 * be told 409 IDEMPOTENCY_IN_PROGRESS.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  setClock(undefined);
  await app.close();
});

interface Submission {
  path: string;
  token: string;
  body: unknown;
  /** how many records the submission made (1 expected) */
  count(): Promise<number>;
}

const QUIZ = 'wenming-basics';
const countIn = (collection: string, filter: Record<string, unknown>) =>
  mongoose.connection.db!.collection(collection).countDocuments(filter);

async function quizAttempt(token: string): Promise<{ attemptId: string; questions: Array<{ id: string }> }> {
  const res = await app.post(`/api/v1/quizzes/${QUIZ}/attempts`, {}, { token });
  if (res.status !== 201) throw new Error(`attempt: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** How to make one valid submission for each idempotent route ("METHOD /path" as registered). */
const recipes: Record<string, () => Promise<Submission>> = {
  'POST /api/v1/quizzes/:id/attempts': async () => {
    const r = await residentSession(app);
    return {
      path: `/api/v1/quizzes/${QUIZ}/attempts`,
      token: r.token,
      body: {},
      count: () => countIn('quiz_attempts', { residentId: r.id }),
    };
  },
  'POST /api/v1/quiz-attempts/:attemptId/answers': async () => {
    const r = await residentSession(app);
    const a = await quizAttempt(r.token);
    return {
      path: `/api/v1/quiz-attempts/${a.attemptId}/answers`,
      token: r.token,
      body: { questionId: a.questions[0]!.id, choice: ['A'] },
      count: () => countIn('quiz_answers', { attemptId: a.attemptId }),
    };
  },
  'POST /api/v1/quiz-attempts/:attemptId/finish': async () => {
    const r = await residentSession(app);
    const a = await quizAttempt(r.token);
    await app.post(`/api/v1/quiz-attempts/${a.attemptId}/answers`, { questionId: a.questions[0]!.id, choice: ['A'] }, { token: r.token });
    return {
      path: `/api/v1/quiz-attempts/${a.attemptId}/finish`,
      token: r.token,
      body: {},
      count: () => countIn('quiz_results', { _id: a.attemptId }),
    };
  },
  'POST /api/v1/surveys/:id/responses': async () => {
    const r = await residentSession(app, { regionCode: '330201001001' });
    const body = { answers: { 'report-channel': ['A'], 'environment-change': 4, 'volunteer-willing': ['A'], 'first-fix': '乱停车' } };
    return {
      path: '/api/v1/surveys/pulse-weekly/responses',
      token: r.token,
      body,
      count: () => countIn('participations', { residentId: r.id, kind: 'survey' }),
    };
  },
  'POST /api/v1/fieldwork/visits': async () => {
    const f = await assignedFieldwork(app);
    const household = f.households.find((h) => h.role === 'sample')!;
    const body = visitBody(f.surveyId, household.id, f.community, { outcome: 'not_home' });
    return {
      path: '/api/v1/fieldwork/visits',
      token: f.enumerator.token,
      body,
      count: () => countIn('fieldwork_visits', { householdId: household.id }),
    };
  },
  'POST /api/v1/tipoffs': async () => {
    const r = await residentSession(app);
    const photo = await uploadPhoto(app, r.token);
    const body = { categoryCode: 'littering', description: '小区门口垃圾堆放多日无人清理', ...LIUAN, photoIds: [photo] };
    return {
      path: '/api/v1/tipoffs',
      token: r.token,
      body,
      count: async () => (await app.get('/api/v1/tipoffs/mine', { token: r.token })).body.items.length,
    };
  },
  'POST /api/v1/activities/:id/signups': async () => {
    const v = await volunteerSession(app);
    const { id } = await createActivity(app, { capacity: 5 });
    return {
      path: `/api/v1/activities/${id}/signups`,
      token: v.token,
      body: {},
      count: () => countIn('activity_roster_events', { activityId: id }),
    };
  },
  'POST /api/v1/activities/:id/checkins': async () => {
    const { v, a } = await onSite();
    return {
      path: `/api/v1/activities/${a.id}/checkins`,
      token: v.token,
      body: { code: a.checkinCode },
      count: () => countIn('activity_attendance', { activityId: a.id, kind: 'in' }),
    };
  },
  'POST /api/v1/activities/:id/checkouts': async () => {
    const { v, a } = await onSite();
    const inRes = await app.post(`/api/v1/activities/${a.id}/checkins`, { code: a.checkinCode }, { token: v.token });
    if (inRes.status !== 201) throw new Error(`check-in: ${inRes.status} ${JSON.stringify(inRes.body)}`);
    setClock(() => new Date(Date.now() + 2 * 3_600_000)); // two hours of service later
    return {
      path: `/api/v1/activities/${a.id}/checkouts`,
      token: v.token,
      body: { code: a.checkinCode },
      count: () => countIn('activity_attendance', { activityId: a.id, kind: 'out' }),
    };
  },
};

/** A signed-up volunteer at an activity that started 30 minutes ago (check-in is open). */
async function onSite() {
  setClock(undefined);
  const v = await volunteerSession(app);
  const start = Date.now() + 3_600_000;
  const a = await createActivity(app, {
    capacity: 5,
    startAt: new Date(start).toISOString(),
    endAt: new Date(start + 3 * 3_600_000).toISOString(),
  });
  const s = await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: v.token });
  if (s.status !== 201) throw new Error(`sign-up: ${s.status}`);
  setClock(() => new Date(Date.now() + 1.5 * 3_600_000));
  return { v, a };
}

const idempotentRoutes = () => registry.filter((r) => r.spec.idempotent).map((r) => `${r.method.toUpperCase()} ${r.path}`);
const ok = (r: ApiResponse) => r.status >= 200 && r.status < 300;

describe('retried submissions with the same Idempotency-Key', () => {
  it('has a recipe for every route that honours Idempotency-Key', () => {
    expect(idempotentRoutes().length).toBeGreaterThan(0);
    expect(idempotentRoutes().filter((r) => !recipes[r])).toEqual([]);
  });

  const findings: Record<string, unknown> = {};
  afterAll(() => writeFindings('idempotency', { routes: findings }));

  for (const [route, recipe] of Object.entries(recipes)) {
    it(`${route}: one record and the same response`, async () => {
      setClock(undefined);
      const s = await recipe();
      const key = `retry-${Math.random().toString(36).slice(2)}`;
      const send = () => app.post(s.path, s.body, { token: s.token, headers: { 'idempotency-key': key } });
      const burst = await Promise.all(Array.from({ length: 5 }, send));
      const last = await send();
      setClock(undefined);
      const all = [...burst, last];
      const first = all.find(ok);
      expect(first).toBeDefined();
      for (const r of all.filter(ok)) expect({ status: r.status, body: r.body }).toEqual({ status: first!.status, body: first!.body });
      for (const r of all.filter((x) => !ok(x)))
        expect({ status: r.status, code: r.body.error?.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_IN_PROGRESS' });
      expect(ok(last)).toBe(true);
      expect(last.headers.get('idempotent-replay')).toBe('true');
      expect(await s.count()).toBe(1);
      findings[route] = { sent: all.length, successes: all.filter(ok).length, inProgress: all.filter((x) => !ok(x)).length, records: 1 };
    });
  }
});
