import mongoose from 'mongoose';
import type { TestApp } from '../harness/app';
import { COMMUNITIES, staffSession } from '../factories';
import { validAnswers } from '../surveys/factories';
import { assign, draw, enumerator, sampledSurvey, slot, startFramedApp, visit, visitBody, type Drawn } from './factories';

let app: TestApp;
let office: string;
beforeAll(async () => ({ app, office } = await startFramedApp()));
afterAll(() => app.close());

/** A drawn survey with community 0 assigned to one enumerator. */
async function fieldwork(over: Record<string, unknown> = {}) {
  const surveyId = await sampledSurvey(app, office, over);
  const drawn = await draw(app, office, surveyId);
  const e = await enumerator(app);
  await assign(app, office, surveyId, { enumeratorId: e.id, regionCode: COMMUNITIES[0] });
  const inCommunity = drawn.filter((h) => h.regionCode === COMMUNITIES[0]);
  return {
    surveyId,
    e,
    sample: inCommunity.filter((h) => h.role === 'sample'),
    reserve: inCommunity.filter((h) => h.role === 'reserve'),
    drawn,
  };
}

const responses = (surveyId: string) => mongoose.connection.db!.collection('survey_responses').find({ surveyId }).toArray();

describe('assignments', () => {
  it('give the enumerator the survey and the full addresses of their households only', async () => {
    const { surveyId, e, drawn } = await fieldwork();
    const other = await enumerator(app);
    const second = drawn.filter((h) => h.regionCode === COMMUNITIES[1]);
    expect(await assign(app, office, surveyId, { enumeratorId: other.id, householdIds: second.slice(0, 2).map((h) => h.id) })).toEqual({
      assigned: 2,
      reassigned: 0,
    });

    const mine = await app.get('/api/v1/fieldwork/my-assignments', { token: e.token });
    expect(mine.status).toBe(200);
    const entry = mine.body.items.find((i: { survey: { id: string } }) => i.survey.id === surveyId);
    expect(entry.survey.questions.map((q: { id: string }) => q.id)).toEqual([
      'aware',
      'support',
      'env',
      'overall',
      'problems',
      'suggestion',
    ]);
    expect(entry.households).toHaveLength(8);
    expect(entry.households[0]).toMatchObject({
      regionCode: COMMUNITIES[0],
      role: 'sample',
      outcome: null,
      visits: 0,
      final: false,
      replacedBy: null,
    });
    expect(entry.households[0].address).toMatch(/^\d栋\d单元\d0\d室$/);
    const theirs = (await app.get('/api/v1/fieldwork/my-assignments', { token: other.token })).body.items.find(
      (i: { survey: { id: string } }) => i.survey.id === surveyId,
    );
    expect(theirs.households.map((h: { id: string }) => h.id).sort()).toEqual(
      second
        .slice(0, 2)
        .map((h) => h.id)
        .sort(),
    );
    // In the order of a walk: sample before reserve, each in address order.
    const roles = entry.households.map((h: { role: string }) => h.role);
    expect(roles).toEqual([...roles].sort((a: string, b: string) => (a === b ? 0 : a === 'sample' ? -1 : 1)));
    // The office's own view of the draw stays masked.
    const draws = await app.get(`/api/v1/surveys/${surveyId}/fieldwork/draws`, { token: office });
    expect(JSON.stringify(draws.body)).not.toMatch(/\d0\d室/);
  });

  it('refuse an account that is not an enumerator and households not drawn', async () => {
    const { surveyId } = await fieldwork();
    const officeAccount = await staffSession(app, 'office');
    const notEnumerator = await app.post(
      `/api/v1/surveys/${surveyId}/fieldwork/assignments`,
      { enumeratorId: officeAccount.username, regionCode: COMMUNITIES[0] },
      { token: office },
    );
    expect(notEnumerator.status).toBe(400);
    expect(notEnumerator.body.error.message).toContain('不是调查员');
    const e = await enumerator(app);
    const undrawn = await app.post(
      `/api/v1/surveys/${surveyId}/fieldwork/assignments`,
      { enumeratorId: e.id, householdIds: ['h0123456789abcdef0123'] },
      { token: office },
    );
    expect(undrawn.status).toBe(400);
  });
});

describe('visits', () => {
  it('record a completed interview once: a retry with the same key returns the first result', async () => {
    const { surveyId, e, sample } = await fieldwork();
    const body = visitBody(surveyId, sample[0]!.id, COMMUNITIES[0]);
    const first = await visit(app, e.token, body, 'interview-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      householdId: sample[0]!.id,
      outcome: 'completed',
      flags: [],
      review: 'none',
      household: { outcome: 'completed', visits: 1, final: true },
    });
    const retry = await visit(app, e.token, body, 'interview-1');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replay')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const stored = await responses(surveyId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ mode: 'household', regionCode: COMMUNITIES[0] });
    expect(stored[0]!.residentId).toBeUndefined();
  });

  it('answer 409 HOUSEHOLD_DONE to a second interview of a completed household, also concurrently', async () => {
    const { surveyId, e, sample } = await fieldwork();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => visit(app, e.token, visitBody(surveyId, sample[1]!.id, COMMUNITIES[0]), `same-household-${i}`)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.body.error).toMatchObject({ code: 'HOUSEHOLD_DONE', message: '该户已完成访问，不能重复提交' });
    expect(await responses(surveyId)).toHaveLength(1);
  });

  it('require an Idempotency-Key, an assigned household and the answers of a completed interview', async () => {
    const { surveyId, e, sample } = await fieldwork();
    const noKey = await app.post('/api/v1/fieldwork/visits', visitBody(surveyId, sample[0]!.id, COMMUNITIES[0]), { token: e.token });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.message).toContain('Idempotency-Key');
    const stranger = await enumerator(app);
    expect((await visit(app, stranger.token, visitBody(surveyId, sample[0]!.id, COMMUNITIES[0]))).status).toBe(403);
    const noAnswers = await visit(app, e.token, { ...visitBody(surveyId, sample[0]!.id, COMMUNITIES[0]), answers: undefined });
    expect(noAnswers.status).toBe(400);
    const badAnswer = await visit(
      app,
      e.token,
      visitBody(surveyId, sample[0]!.id, COMMUNITIES[0], { answers: validAnswers({ aware: 'Z' }) }),
    );
    expect(badAnswer.status).toBe(400);
    expect(badAnswer.body.error.details[0].path).toBe('answers.aware');
    expect(await responses(surveyId)).toHaveLength(0);
  });

  it('put the respondent demographics on the survey’s demographic questions', async () => {
    const gender = {
      id: 'gender',
      type: 'single',
      demographic: 'gender',
      text: '性别',
      options: [
        { key: 'A', text: '男' },
        { key: 'B', text: '女' },
      ],
    };
    const { surveyId, e, sample } = await fieldwork({
      questions: [...(await import('../surveys/factories')).surveyDefinition().questions, gender],
    });
    const res = await visit(app, e.token, visitBody(surveyId, sample[0]!.id, COMMUNITIES[0], { respondent: { gender: 'B' } }));
    expect(res.status).toBe(201);
    const [stored] = await responses(surveyId);
    expect(stored!.answers).toContainEqual({ q: 'gender', v: ['B'] });
    const unknown = await visit(app, e.token, visitBody(surveyId, sample[1]!.id, COMMUNITIES[0], { respondent: { income: '高' } }));
    expect(unknown.status).toBe(400);
  });
});

describe('replacements', () => {
  const outcome = (surveyId: string, h: Drawn, o: string, note?: string) => visitBody(surveyId, h.id, COMMUNITIES[0], { outcome: o, note });

  it('come from the reserve only, for a final non-completion, once, with the reason recorded', async () => {
    const { surveyId, e, sample, reserve } = await fieldwork();
    const [a, b] = sample;
    const [r1, r2] = reserve;
    // A reserve household is not visited on its own.
    const alone = await visit(app, e.token, visitBody(surveyId, r1!.id, COMMUNITIES[0]));
    expect(alone.status).toBe(409);
    expect(alone.body.error.message).toContain('备用户只能用来替换样本户');
    // Not at home once is not final: no replacement yet.
    expect((await visit(app, e.token, outcome(surveyId, a!, 'not_home'))).body.household).toMatchObject({
      outcome: 'not_home',
      final: false,
    });
    const early = await visit(
      app,
      e.token,
      visitBody(surveyId, r1!.id, COMMUNITIES[0], { replacement: { forHouseholdId: a!.id, reason: '多次无人' } }),
    );
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('尚无最终结果');
    // A sample household cannot stand in for another.
    expect((await visit(app, e.token, outcome(surveyId, b!, 'refused'))).status).toBe(201);
    const fromSample = await visit(
      app,
      e.token,
      visitBody(surveyId, sample[2]!.id, COMMUNITIES[0], { replacement: { forHouseholdId: b!.id, reason: '拒访' } }),
    );
    expect(fromSample.status).toBe(409);
    // A refusal is final: the reserve replaces it, with the reason.
    const replaced = await visit(
      app,
      e.token,
      visitBody(surveyId, r1!.id, COMMUNITIES[0], { replacement: { forHouseholdId: b!.id, reason: '户主拒绝接受访问' } }),
    );
    expect(replaced.status).toBe(201);
    expect(replaced.body.household).toMatchObject({ replacementFor: b!.id, outcome: 'completed' });
    const stored = await mongoose.connection.db!.collection('fieldwork_cases').findOne({ _id: `${surveyId}:${r1!.id}` as never });
    expect(stored).toMatchObject({ replacementFor: b!.id, replacementReason: '户主拒绝接受访问' });
    // Once only, and the replaced household is no longer visited.
    const twice = await visit(
      app,
      e.token,
      visitBody(surveyId, r2!.id, COMMUNITIES[0], { replacement: { forHouseholdId: b!.id, reason: '再换' } }),
    );
    expect(twice.status).toBe(409);
    expect((await visit(app, e.token, outcome(surveyId, b!, 'completed'))).body.error.message).toContain('已由备用户替换');
    // Three times not at home is final.
    await visit(app, e.token, outcome(surveyId, a!, 'not_home'));
    expect((await visit(app, e.token, outcome(surveyId, a!, 'not_home'))).body.household).toMatchObject({ final: true });
    expect(
      (
        await visit(
          app,
          e.token,
          visitBody(surveyId, r2!.id, COMMUNITIES[0], {
            outcome: 'not_home',
            replacement: { forHouseholdId: a!.id, reason: '三次无人在家' },
          }),
        )
      ).status,
    ).toBe(201);
    const mine = (await app.get('/api/v1/fieldwork/my-assignments', { token: e.token })).body.items.find(
      (i: { survey: { id: string } }) => i.survey.id === surveyId,
    );
    expect(mine.households.find((h: { id: string }) => h.id === a!.id)).toMatchObject({ replacedBy: r2!.id, final: true });
  });
});

describe('quality control', () => {
  const flagsOf = (res: { body: { flags: Array<{ code: string }> } }) => res.body.flags.map((f) => f.code);

  it('flags an interview too short for its questions (8 s a question)', async () => {
    const { surveyId, e, sample } = await fieldwork();
    const { startedAt } = slot();
    const quick = await visit(
      app,
      e.token,
      visitBody(surveyId, sample[0]!.id, COMMUNITIES[0], { startedAt, endedAt: new Date(Date.parse(startedAt) + 40_000).toISOString() }),
    );
    expect(flagsOf(quick)).toEqual(['too_short']);
    expect(quick.body.flags[0].message).toContain('6 道题应不少于 48 秒');
    expect(quick.body.review).toBe('pending');
    const { startedAt: s2 } = slot();
    const enough = await visit(
      app,
      e.token,
      visitBody(surveyId, sample[1]!.id, COMMUNITIES[0], { startedAt: s2, endedAt: new Date(Date.parse(s2) + 48_000).toISOString() }),
    );
    expect(flagsOf(enough)).toEqual([]);
  });

  it('flags straight-lining: the same position on every one of at least 5 scale questions', async () => {
    const scale = (id: string) => ({ id, type: 'scale', text: `满意程度 ${id}`, scale: { min: 1, max: 5 } });
    const { surveyId, e, sample } = await fieldwork({ questions: ['s1', 's2', 's3', 's4', 's5'].map(scale) });
    const same = await visit(
      app,
      e.token,
      visitBody(surveyId, sample[0]!.id, COMMUNITIES[0], { answers: { s1: 5, s2: 5, s3: 5, s4: 5, s5: 5 } }),
    );
    expect(flagsOf(same)).toEqual(['straight_lining']);
    const varied = await visit(
      app,
      e.token,
      visitBody(surveyId, sample[1]!.id, COMMUNITIES[0], { answers: { s1: 5, s2: 4, s3: 5, s4: 5, s5: 5 } }),
    );
    expect(flagsOf(varied)).toEqual([]);
  });

  it('flags the fifth interview within an hour by one enumerator', async () => {
    const { surveyId, e, sample } = await fieldwork({ targets: { [COMMUNITIES[0]]: 8 } });
    const base = Date.now() - 3 * 86_400_000;
    const at = (minutes: number) => ({
      startedAt: new Date(base + minutes * 60_000).toISOString(),
      endedAt: new Date(base + (minutes + 10) * 60_000).toISOString(),
    });
    const results = [];
    for (const [i, minutes] of [0, 12, 24, 36, 48, 130].entries())
      results.push(await visit(app, e.token, visitBody(surveyId, sample[i]!.id, COMMUNITIES[0], at(minutes))));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    // Five started within 60 minutes: the fifth is flagged; one two hours later is not.
    expect(results.map(flagsOf)).toEqual([[], [], [], [], ['too_many_per_hour'], []]);
  });

  it('flags a position farther than 1000 m from the community centre', async () => {
    const { surveyId, e, sample } = await fieldwork();
    const far = await visit(
      app,
      e.token,
      visitBody(surveyId, sample[0]!.id, COMMUNITIES[0], { position: { lat: 29.8931, lng: 121.5602 } }),
    );
    expect(flagsOf(far)).toEqual(['far_from_community']);
    expect(far.body.flags[0].message).toMatch(/距社区中心 22\d\d 米/);
    const near = await visit(
      app,
      e.token,
      visitBody(surveyId, sample[1]!.id, COMMUNITIES[0], { position: { lat: 29.8771, lng: 121.5602 } }),
    );
    expect(flagsOf(near)).toEqual([]);
  });
});

describe('review and progress', () => {
  it('counts a flagged interview only once accepted; a rejected one counts nowhere; RR1 and margin per community', async () => {
    const { surveyId, e, sample, reserve } = await fieldwork();
    const [a, b, c, d] = sample;
    const quick = (h: Drawn) => {
      const { startedAt } = slot();
      return visitBody(surveyId, h.id, COMMUNITIES[0], { startedAt, endedAt: new Date(Date.parse(startedAt) + 10_000).toISOString() });
    };
    const okVisit = await visit(app, e.token, visitBody(surveyId, a!.id, COMMUNITIES[0]));
    const toAccept = await visit(app, e.token, quick(b!));
    const toReject = await visit(app, e.token, quick(c!));
    expect([okVisit.body.review, toAccept.body.review, toReject.body.review]).toEqual(['none', 'pending', 'pending']);
    await visit(app, e.token, visitBody(surveyId, d!.id, COMMUNITIES[0], { outcome: 'vacant' }));
    await visit(
      app,
      e.token,
      visitBody(surveyId, reserve[0]!.id, COMMUNITIES[0], { outcome: 'refused', replacement: { forHouseholdId: d!.id, reason: '空户' } }),
    );

    const results = async () => (await app.get(`/api/v1/surveys/${surveyId}/results`, { token: office })).body.responses;
    expect(await results()).toBe(1);
    const flagged = await app.get(`/api/v1/surveys/${surveyId}/fieldwork/interviews?flagged=true`, { token: office });
    expect(flagged.body.items.map((i: { id: string }) => i.id).sort()).toEqual([toAccept.body.id, toReject.body.id].sort());
    expect(flagged.body.items[0]).toMatchObject({
      regionCode: COMMUNITIES[0],
      review: 'pending',
      questions: 6,
      durationSeconds: 10,
      enumerator: { id: e.id },
    });
    expect(flagged.body.items[0].household).toMatch(/\*\*\*$/);

    const accepted = await app.post(
      `/api/v1/fieldwork/interviews/${toAccept.body.id}/review`,
      { decision: 'accepted', note: '电话回访确认' },
      { token: office },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ review: 'accepted', reviewNote: '电话回访确认' });
    const rejected = await app.post(
      `/api/v1/fieldwork/interviews/${toReject.body.id}/review`,
      { decision: 'rejected', note: '用时过短' },
      { token: office },
    );
    expect(rejected.body.review).toBe('rejected');
    expect(
      (await app.post(`/api/v1/fieldwork/interviews/${toReject.body.id}/review`, { decision: 'accepted' }, { token: office })).status,
    ).toBe(409);
    expect(
      (await app.post(`/api/v1/fieldwork/interviews/${okVisit.body.id}/review`, { decision: 'rejected' }, { token: office })).status,
    ).toBe(409);
    expect(await results()).toBe(2);
    // The rejected one's answers stay out of the household figure: 2 respondents.
    await app.flush();
    const aw = await app.get('/api/v1/stats/awareness?period=campaign&mode=household', { token: office });
    expect(aw.body.overall.unweighted.n).toBeGreaterThanOrEqual(2);
    // The link from the interview to its held response went with the decision.
    expect(
      await mongoose.connection
        .db!.collection('fieldwork_held')
        .countDocuments({ _id: { $in: [toAccept.body.id, toReject.body.id] } as never }),
    ).toBe(0);

    const progress = await app.get(`/api/v1/surveys/${surveyId}/fieldwork/progress`, { token: office });
    expect(progress.status).toBe(200);
    const p = progress.body.items.find((i: { regionCode: string }) => i.regionCode === COMMUNITIES[0]);
    // Issued: 4 sampled + 1 replacement. Completed 2 (one rejected), vacant 1 (ineligible), refused 1.
    expect(p).toMatchObject({
      frame: 40,
      drawn: 4,
      reserve: 4,
      issued: 5,
      contacted: 5,
      completed: 2,
      pendingReview: 0,
      rejected: 1,
      refused: 1,
      notHome: 0,
      vacant: 1,
      other: 0,
      notVisited: 0,
      replaced: 1,
    });
    expect(p.rr1).toBeCloseTo(2 / (2 + 1 + 1), 12);
    expect(p.marginOfError).toBeCloseTo(1.96 * Math.sqrt(0.25 / 2) * Math.sqrt((40 - 2) / 39), 12);
    const other = progress.body.items.find((i: { regionCode: string }) => i.regionCode === COMMUNITIES[1]);
    expect(other).toMatchObject({ drawn: 3, issued: 3, completed: 0, notVisited: 3, rr1: 0, marginOfError: null });
    expect(progress.body.total).toMatchObject({ frame: 70, drawn: 7, issued: 8, completed: 2 });
    expect(progress.body.total.rr1).toBeCloseTo(2 / (2 + 1 + 1 + 3), 12);
  });
});
