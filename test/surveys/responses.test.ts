import { startTestApp, type TestApp } from '../harness/app';
import { COMMUNITIES, residentSession } from '../factories';
import { openSurvey, respond, validAnswers } from './factories';
import { setClock } from '../../src/core/time';
import { Participation } from '../../src/modules/counters/stats.model';
import { SurveyGuard, SurveyResponse } from '../../src/modules/surveys/surveys.model';

let app: TestApp;
let survey: string;
beforeAll(async () => {
  app = await startTestApp();
  survey = (await openSurvey(app)).id;
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

describe('answering a survey', () => {
  it('lists open surveys with whether the resident has answered, and shows the definition with its marks', async () => {
    const r = await residentSession(app);
    const list = await app.get('/api/v1/surveys', { token: r.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: survey, open: true, responded: false })]));
    const def = await app.get(`/api/v1/surveys/${survey}`, { token: r.token });
    expect(def.status).toBe(200);
    expect(def.body.questions[0]).toMatchObject({
      id: 'aware',
      type: 'single',
      required: true,
      indicator: 'aw-campaign',
      options: [{ key: 'A', aware: true }, { key: 'B' }],
    });
    expect(def.body.questions[2].options[0]).toMatchObject({ positive: true, score: 100 });
  });

  it('stores a response, awards points and counts one participation', async () => {
    const r = await residentSession(app, { regionCode: COMMUNITIES[0] });
    const res = await respond(app, survey, r.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: `${survey}:${r.id}`, anonymous: false, pointsAwarded: 5 });
    const stored = await SurveyResponse.findById(res.body.id).lean();
    expect(stored).toMatchObject({ surveyId: survey, residentId: r.id, regionCode: COMMUNITIES[0] });
    expect(stored!.answers).toEqual(
      expect.arrayContaining([
        { q: 'problems', v: ['A', 'C'] },
        { q: 'overall', v: 4 },
      ]),
    );
    const me = await app.get('/api/v1/me', { token: r.token });
    expect(me.body).toMatchObject({ points: 5, participation: { surveys: 1 } });
    expect((await app.get(`/api/v1/surveys/${survey}`, { token: r.token })).body.responded).toBe(true);
  });
});

describe('one response per resident', () => {
  it('answers a second response with 409 ALREADY_RESPONDED', async () => {
    const r = await residentSession(app);
    expect((await respond(app, survey, r.token)).status).toBe(201);
    const again = await respond(app, survey, r.token, validAnswers({ aware: 'B' }));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_RESPONDED');
    expect(again.body.error.message).toMatch(/已经填写过/);
  });

  it('accepts exactly one of 20 concurrent responses by the same resident', async () => {
    const r = await residentSession(app, { regionCode: COMMUNITIES[1] });
    const results = await Promise.all(Array.from({ length: 20 }, () => respond(app, survey, r.token)));
    const statuses = results.map((x) => x.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const x of results.filter((y) => y.status === 409)) expect(x.body.error.code).toBe('ALREADY_RESPONDED');
    expect(await SurveyResponse.countDocuments({ surveyId: survey, residentId: r.id })).toBe(1);
    expect(await Participation.countDocuments({ residentId: r.id, kind: 'survey' })).toBe(1);
    expect((await app.get('/api/v1/me', { token: r.token })).body).toMatchObject({ points: 5, participation: { surveys: 1 } });
  });

  it('returns the first result to a retry with the same Idempotency-Key', async () => {
    const r = await residentSession(app);
    const first = await respond(app, survey, r.token, validAnswers(), { 'idempotency-key': 'retry-1' });
    const retry = await respond(app, survey, r.token, validAnswers(), { 'idempotency-key': 'retry-1' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replay')).toBe('true');
  });

  it('lets different residents each answer once', async () => {
    const [a, b] = await Promise.all([residentSession(app), residentSession(app)]);
    const [ra, rb] = await Promise.all([respond(app, survey, a.token), respond(app, survey, b.token)]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
  });
});

describe('validation against the definition', () => {
  async function reject(answers: Record<string, unknown>) {
    const r = await residentSession(app);
    const res = await respond(app, survey, r.token, answers);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    // nothing was stored: the resident may still answer
    expect(await SurveyGuard.exists({ _id: `${survey}:${r.id}` })).toBeNull();
    return res.body.error as { message: string; details: Array<{ path: string; questionId: string; message: string }> };
  }

  it('rejects a missing required answer, naming the question', async () => {
    const { aware: _omit, ...rest } = validAnswers();
    const err = await reject(rest);
    expect(err.details).toEqual([
      {
        path: 'answers.aware',
        questionId: 'aware',
        message: expect.stringMatching(/^第 1 题「您是否知道我市正在创建全国文明城市？」为必答题/),
      },
    ]);
    expect(err.message).toMatch(/第 1 题.*必答/);
  });

  it('rejects an unknown option, naming the question and the option', async () => {
    const err = await reject(validAnswers({ support: 'E' }));
    expect(err.details).toEqual([
      { path: 'answers.support', questionId: 'support', message: expect.stringMatching(/第 2 题.*没有选项 E/) },
    ]);
  });

  it('rejects a scale answer out of range, two choices on a single question, too long a text and an unknown question', async () => {
    const err = await reject(validAnswers({ overall: 6, env: ['A', 'B'], suggestion: '字'.repeat(51), bogus: 'A' }));
    const byQ = Object.fromEntries(err.details.map((d) => [d.questionId, d.message]));
    expect(byQ.overall).toMatch(/第 4 题.*1–5/);
    expect(byQ.env).toMatch(/第 3 题.*只能选一个/);
    expect(byQ.suggestion).toMatch(/第 6 题.*最多 50 个字/);
    expect(byQ.bogus).toMatch(/没有编号为 bogus 的题目/);
    expect(err.message).toMatch(/有 4 道题需要修改/);
  });

  it('accepts a response without the optional questions', async () => {
    const r = await residentSession(app);
    const { suggestion: _s, ...rest } = validAnswers();
    expect((await respond(app, survey, r.token, rest)).status).toBe(201);
  });
});

describe('the answering window', () => {
  it('refuses responses before the start, after the end and once closed', async () => {
    const { id, office } = await openSurvey(app);
    const r = await residentSession(app);
    await app.patch(`/api/v1/surveys/${id}`, { closesAt: '2030-01-01' }, { token: office });
    setClock(() => new Date('2030-01-02T00:00:00+08:00'));
    const late = await respond(app, id, r.token);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'SURVEY_CLOSED', message: expect.stringMatching(/已结束/) });
    setClock(undefined);

    await app.patch(`/api/v1/surveys/${id}`, { opensAt: '2030-01-01', closesAt: null }, { token: office });
    const early = await respond(app, id, r.token);
    expect(early.body.error).toMatchObject({ code: 'SURVEY_CLOSED', message: expect.stringMatching(/尚未开始/) });

    await app.post(`/api/v1/surveys/${id}/open`, {}, { token: office });
    await app.post(`/api/v1/surveys/${id}/close`, {}, { token: office });
    expect((await respond(app, id, r.token)).status).toBe(409);
    expect((await app.get(`/api/v1/surveys/${id}`)).body.open).toBe(false);
    await app.post(`/api/v1/surveys/${id}/open`, {}, { token: office });
    expect((await respond(app, id, r.token)).status).toBe(201);
  });

  it('hides a draft from residents (404) and refuses responses to it', async () => {
    const office = (await openSurvey(app)).office;
    const draft = await app.post(
      '/api/v1/surveys',
      { title: '草稿问卷', questions: [{ id: 'q', type: 'text', text: '随便说说' }] },
      { token: office },
    );
    expect(draft.status).toBe(201);
    const r = await residentSession(app);
    expect((await app.get(`/api/v1/surveys/${draft.body.id}`, { token: r.token })).status).toBe(404);
    expect((await respond(app, draft.body.id, r.token, { q: '你好' })).status).toBe(404);
    expect((await app.get('/api/v1/surveys', { token: r.token })).body.items.map((i: { id: string }) => i.id)).not.toContain(draft.body.id);
    expect((await app.get(`/api/v1/surveys/${draft.body.id}`, { token: office })).status).toBe(200);
  });

  it('requires a resident session to answer', async () => {
    expect((await app.post(`/api/v1/surveys/${survey}/responses`, { answers: validAnswers() })).status).toBe(401);
  });
});
