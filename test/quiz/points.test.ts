import { startTestApp, type TestApp } from '../harness/app';
import { residentSession } from '../factories';
import { answerKey, createQuiz, startAttempt, takeQuiz } from './factories';
import { setClock } from '../../src/core/time';
import { config, setConfig } from '../../src/config';

let app: TestApp;
let quizId: string;
beforeAll(async () => {
  app = await startTestApp();
  quizId = (await createQuiz(app, { pointsPerCorrect: 2 })).id;
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

/** The balance, after the counter writer has written (a batch being written is in neither the DB nor the queue). */
async function points(token: string): Promise<number> {
  await app.flush();
  return (await app.get('/api/v1/me', { token })).body.points as number;
}

describe('daily points cap (QUIZ_DAILY_SCORED_ATTEMPTS)', () => {
  it('scores the first attempts of the day up to the cap, and the rest without points', async () => {
    expect(config().QUIZ_DAILY_SCORED_ATTEMPTS).toBe(3);
    const { token } = await residentSession(app);
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await takeQuiz(app, token, quizId)).result);
    expect(results.map((r) => r.scored)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.pointsAwarded)).toEqual([6, 6, 6, 0, 0]);
    expect(results.every((r) => r.score === 100 && r.dailyLimit === 3)).toBe(true);
    expect(await points(token)).toBe(18);
    // every finished attempt is still a participation
    await app.flush();
    expect((await app.get('/api/v1/me', { token })).body.participation.quizzes).toBe(5);
  });

  it('holds the cap when many attempts finish at the same moment', async () => {
    const { token } = await residentSession(app);
    const key = await answerKey(quizId);
    const attempts = await Promise.all([1, 2, 3, 4, 5, 6].map(() => startAttempt(app, token, quizId)));
    for (const a of attempts) {
      for (const q of a.questions)
        await app.post(`/api/v1/quiz-attempts/${a.attemptId}/answers`, { questionId: q.id, choice: key.get(q.id) }, { token });
    }
    const finished = await Promise.all(attempts.map((a) => app.post(`/api/v1/quiz-attempts/${a.attemptId}/finish`, {}, { token })));
    expect(finished.every((f) => f.status === 200)).toBe(true);
    expect(finished.filter((f) => f.body.scored)).toHaveLength(3);
    expect(await points(token)).toBe(18);
  });

  it('starts counting again the next day', async () => {
    const { token } = await residentSession(app);
    const day1 = new Date('2026-03-02T09:00:00+08:00');
    setClock(() => day1);
    for (let i = 0; i < 3; i++) await takeQuiz(app, token, quizId);
    expect((await takeQuiz(app, token, quizId)).result.scored).toBe(false);
    // 23:59 is still the same local day; 00:01 is the next
    setClock(() => new Date('2026-03-02T23:59:00+08:00'));
    expect((await takeQuiz(app, token, quizId)).result.scored).toBe(false);
    setClock(() => new Date('2026-03-03T00:01:00+08:00'));
    expect((await takeQuiz(app, token, quizId)).result).toMatchObject({ scored: true, pointsAwarded: 6 });
    expect(await points(token)).toBe(24);
  });

  it('does not spend a scored attempt on a result worth no points', async () => {
    const { token } = await residentSession(app);
    await takeQuiz(app, token, quizId, 0);
    await takeQuiz(app, token, quizId, 0);
    const scored = [];
    for (let i = 0; i < 3; i++) scored.push((await takeQuiz(app, token, quizId, 1)).result.scored);
    expect(scored).toEqual([true, true, true]);
    expect(await points(token)).toBe(6);
  });

  it('follows the configured cap', async () => {
    const before = config().QUIZ_DAILY_SCORED_ATTEMPTS;
    setConfig({ QUIZ_DAILY_SCORED_ATTEMPTS: 1 });
    try {
      const { token } = await residentSession(app);
      expect((await takeQuiz(app, token, quizId)).result).toMatchObject({ scored: true, dailyLimit: 1 });
      expect((await takeQuiz(app, token, quizId)).result).toMatchObject({ scored: false, pointsAwarded: 0, dailyLimit: 1 });
    } finally {
      setConfig({ QUIZ_DAILY_SCORED_ATTEMPTS: before });
    }
  });
});
