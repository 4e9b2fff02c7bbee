import { startTestApp, type TestApp } from '../harness/app';
import { COMMUNITIES, residentSession } from '../factories';
import { answerKey, CONTENT_QUIZ, createQuiz, startAttempt, takeQuiz, wrongChoice } from './factories';
import { freshQuiz } from '../../src/modules/quiz/quiz.bank';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('the quiz list', () => {
  it('lists the content quiz with its question count, to anyone', async () => {
    const res = await app.get('/api/v1/quizzes');
    expect(res.status).toBe(200);
    const quiz = res.body.items.find((q: { id: string }) => q.id === CONTENT_QUIZ);
    expect(quiz).toMatchObject({ title: '创建全国文明城市知识问答', questionCount: 100, drawSize: 10 });
  });

  it('shows a resident the attempt they left unfinished', async () => {
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, CONTENT_QUIZ);
    const res = await app.get('/api/v1/quizzes', { token });
    expect(res.body.items.find((q: { id: string }) => q.id === CONTENT_QUIZ).openAttemptId).toBe(attempt.attemptId);
  });
});

describe('starting an attempt', () => {
  it('draws the configured number of questions with every topic of the mix', async () => {
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, CONTENT_QUIZ);
    expect(attempt.questions).toHaveLength(10);
    expect(new Set(attempt.questions.map((q) => q.id)).size).toBe(10);
    const topics = new Set(attempt.questions.map((q) => q.topic));
    for (const t of ['文明城市创建', '核心价值观', '文明交通', '垃圾分类', '公共卫生', '志愿服务', '文明餐桌', '网络文明'])
      expect(topics).toContain(t);
  });

  it('draws afresh for every attempt', async () => {
    const { token } = await residentSession(app);
    const draws = await Promise.all([1, 2, 3].map(() => startAttempt(app, token, CONTENT_QUIZ)));
    const sets = draws.map((d) =>
      d.questions
        .map((q) => q.id)
        .sort()
        .join(),
    );
    expect(new Set(sets).size).toBeGreaterThan(1);
  });

  it('never sends an answer or an explanation before the question is answered', async () => {
    const { token } = await residentSession(app);
    const res = await app.post(`/api/v1/quizzes/${CONTENT_QUIZ}/attempts`, {}, { token });
    expect(res.status).toBe(201);
    const { questions } = await freshQuiz(CONTENT_QUIZ);
    const json = JSON.stringify(res.body);
    expect(json).not.toMatch(/"answer"|"explanation"|"correct|"indicator"|aw-/);
    for (const q of res.body.questions) {
      expect(Object.keys(q).sort()).toEqual(expect.arrayContaining(['id', 'type', 'text', 'options']));
      const explanation = questions.find((d) => d.q.id === q.id)!.q.explanation!;
      expect(json).not.toContain(explanation);
    }
    // nor does the progress of an untouched attempt
    const progress = await app.get(`/api/v1/quiz-attempts/${res.body.attemptId}`, { token });
    expect(progress.body.answers).toEqual({});
    expect(JSON.stringify(progress.body)).not.toMatch(/"answer"|"explanation"|"correctChoice"/);
  });

  it('shows judge questions with 对 and 错 as options A and B', async () => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, quiz.id);
    expect(attempt.questions.find((q) => q.id === 'j1')).toMatchObject({
      type: 'judge',
      options: [
        { key: 'A', text: '对' },
        { key: 'B', text: '错' },
      ],
    });
  });

  it('needs a resident session, and a quiz that exists', async () => {
    expect((await app.post(`/api/v1/quizzes/${CONTENT_QUIZ}/attempts`, {})).status).toBe(401);
    const { token } = await residentSession(app);
    expect((await app.post('/api/v1/quizzes/no-such-quiz/attempts', {}, { token })).status).toBe(404);
  });
});

describe('answering', () => {
  it('tells whether the answer was right, with the correct choice and the explanation; the attempt keeps the running score', async () => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, quiz.id);
    const right = await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId: 's1', choice: ['B'] }, { token });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ correct: true, correctChoice: ['B'], explanation: '含汞，属于有害垃圾。', total: 3 });
    const wrong = await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId: 'j1', choice: '对' }, { token });
    expect(wrong.body).toMatchObject({ correct: false, choice: ['A'], correctChoice: ['B'], explanation: '后排也要系安全带。' });
    const progress = await app.get(`/api/v1/quiz-attempts/${attempt.attemptId}`, { token });
    expect(Object.keys(progress.body.answers).sort()).toEqual(['j1', 's1']);
    expect(progress.body.correctCount).toBe(1);
  });

  it('answers 409 to a second answer of the same question in the attempt', async () => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, quiz.id);
    const url = `/api/v1/quiz-attempts/${attempt.attemptId}/answers`;
    expect((await app.post(url, { questionId: 's1', choice: ['A'] }, { token })).status).toBe(200);
    const again = await app.post(url, { questionId: 's1', choice: ['B'] }, { token });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ALREADY_ANSWERED', message: '这道题已经回答过了' });
    const progress = await app.get(`/api/v1/quiz-attempts/${attempt.attemptId}`, { token });
    expect(progress.body.answers.s1).toMatchObject({ choice: ['A'], correct: false });
  });

  it('lets exactly one of two racing answers to one question through', async () => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, quiz.id);
    const url = `/api/v1/quiz-attempts/${attempt.attemptId}/answers`;
    const results = await Promise.all(['A', 'B', 'C', 'D', 'B'].map((c) => app.post(url, { questionId: 's1', choice: [c] }, { token })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(4);
  });

  it('replays the first result to a retry with the same Idempotency-Key', async () => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, quiz.id);
    const url = `/api/v1/quiz-attempts/${attempt.attemptId}/answers`;
    const headers = { 'idempotency-key': 'answer-s1-once' };
    const first = await app.post(url, { questionId: 's1', choice: ['B'] }, { token, headers });
    const retry = await app.post(url, { questionId: 's1', choice: ['B'] }, { token, headers });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replay')).toBe('true');
  });

  it('scores a multiple-choice answer right only when it is exactly the set of right options', async () => {
    const quiz = await createQuiz(app);
    const cases: Array<[unknown, boolean]> = [
      [['A', 'B', 'D'], true],
      ['dba', true],
      ['A B', false],
      [['A', 'B', 'C', 'D'], false],
      ['ABC', false],
    ];
    for (const [choice, correct] of cases) {
      const { token } = await residentSession(app);
      const attempt = await startAttempt(app, token, quiz.id);
      const res = await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId: 'm1', choice }, { token });
      expect([choice, res.body.correct]).toEqual([choice, correct]);
      expect(res.body.correctChoice).toEqual(['A', 'B', 'D']);
    }
  });

  it('refuses an option the question does not have, two options on a single question, and a question not drawn', async () => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, quiz.id);
    const url = `/api/v1/quiz-attempts/${attempt.attemptId}/answers`;
    const unknown = await app.post(url, { questionId: 's1', choice: ['E'] }, { token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/没有选项 E/);
    expect((await app.post(url, { questionId: 's1', choice: 'AB' }, { token })).body.error.message).toMatch(/只能选一个/);
    expect((await app.post(url, { questionId: 'nope', choice: ['A'] }, { token })).status).toBe(404);
    // a refused answer is not an answer: the question can still be answered
    expect((await app.post(url, { questionId: 's1', choice: ['B'] }, { token })).status).toBe(200);
  });

  it("hides another resident's attempt", async () => {
    const quiz = await createQuiz(app);
    const owner = await residentSession(app);
    const other = await residentSession(app);
    const attempt = await startAttempt(app, owner.token, quiz.id);
    expect(
      (await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId: 's1', choice: ['B'] }, { token: other.token }))
        .status,
    ).toBe(404);
    expect((await app.get(`/api/v1/quiz-attempts/${attempt.attemptId}`, { token: other.token })).status).toBe(404);
    expect((await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/finish`, {}, { token: other.token })).status).toBe(404);
  });
});

describe('resuming', () => {
  it('shows feedback for the answered questions only, so a page or the bot can continue', async () => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, quiz.id);
    await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId: 'j1', choice: '错' }, { token });
    const progress = await app.get(`/api/v1/quiz-attempts/${attempt.attemptId}`, { token });
    expect(progress.status).toBe(200);
    expect(Object.keys(progress.body.answers)).toEqual(['j1']);
    expect(progress.body.answers.j1).toMatchObject({ correct: true, correctChoice: ['B'], explanation: '后排也要系安全带。' });
    expect(progress.body).toMatchObject({ correctCount: 1, result: null });
    expect(progress.body.questions).toHaveLength(3);
  });
});

describe('finishing', () => {
  it('gives score, correct count, total and points, and counts one quiz participation', async () => {
    const quiz = await createQuiz(app, { pointsPerCorrect: 5 });
    const { token } = await residentSession(app, { regionCode: COMMUNITIES[0] });
    const { attemptId, result } = await takeQuiz(app, token, quiz.id, 2);
    expect(result).toEqual({ score: 67, correctCount: 2, total: 3, pointsAwarded: 10, scored: true, dailyLimit: 3 });
    await app.flush();
    const me = await app.get('/api/v1/me', { token });
    expect(me.body.points).toBe(10);
    expect(me.body.participation.quizzes).toBe(1);
    // finishing again (a retry) returns the same result and grants nothing more
    const again = await app.post(`/api/v1/quiz-attempts/${attemptId}/finish`, {}, { token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(result);
    await app.flush();
    const after = await app.get('/api/v1/me', { token });
    expect(after.body).toMatchObject({ points: 10, participation: { quizzes: 1 } });
  });

  it('counts unanswered questions as wrong and closes the attempt to further answers', async () => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app);
    const key = await answerKey(quiz.id);
    const attempt = await startAttempt(app, token, quiz.id);
    await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId: 's1', choice: key.get('s1') }, { token });
    const finished = await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/finish`, {}, { token });
    expect(finished.body).toMatchObject({ score: 33, correctCount: 1, total: 3, pointsAwarded: 2 });
    const q = attempt.questions.find((x) => x.id === 'j1')!;
    const late = await app.post(
      `/api/v1/quiz-attempts/${attempt.attemptId}/answers`,
      { questionId: 'j1', choice: wrongChoice(q, key.get('j1')!) },
      { token },
    );
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/已经结束/);
  });

  it('grants no points for no correct answer, and still counts the participation', async () => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app);
    const { result } = await takeQuiz(app, token, quiz.id, 0);
    expect(result).toMatchObject({ score: 0, correctCount: 0, pointsAwarded: 0, scored: false });
    await app.flush();
    expect((await app.get('/api/v1/me', { token })).body).toMatchObject({ points: 0, participation: { quizzes: 1 } });
  });
});
