import { useTestApp } from '../harness/app';
import { COMMUNITIES, residentSession } from '../factories';
import { createQuiz, SMALL_BANK, takeQuiz } from './factories';
import { setClock } from '../../src/core/time';
import { rebuildBoards } from '../../src/modules/quiz/quiz.leaderboard';
import { QuizBoard } from '../../src/modules/quiz/quiz.model';

const app = useTestApp();
afterEach(() => setClock(undefined));

/** A quiz of 4 questions, so scores are 0, 25, 50, 75, 100. */
const bank = [...SMALL_BANK, { ...SMALL_BANK[2]!, id: 'j2', text: '行人可以闯红灯。' }];
const board = async (quizId: string, query = '', token?: string) =>
  (await app.get(`/api/v1/quizzes/${quizId}/leaderboard${query}`, { token })).body;

describe('leaderboards', () => {
  it('ranks residents by their best scored result of the week, and shows the caller where they stand', async () => {
    const quiz = await createQuiz(app, { questions: bank });
    setClock(() => new Date('2026-06-10T10:00:00+08:00'));
    const a = await residentSession(app, { nickname: '甲', regionCode: COMMUNITIES[0] });
    const b = await residentSession(app, { nickname: '乙', regionCode: COMMUNITIES[2] });
    const c = await residentSession(app, { nickname: '丙' });
    await takeQuiz(app, a.token, quiz.id, 2);
    await takeQuiz(app, a.token, quiz.id, 4); // a's best: 100
    await takeQuiz(app, b.token, quiz.id, 3);
    await takeQuiz(app, c.token, quiz.id, 1);
    await takeQuiz(app, b.token, quiz.id, 1); // a worse result does not lower b's best
    const week = await board(quiz.id, '', c.token);
    expect(week.period).toBe('week');
    expect(week.periodKey).toBe('w:2026-W24');
    expect(week.items).toEqual([
      { rank: 1, nickname: '甲', score: 100 },
      { rank: 2, nickname: '乙', score: 75 },
      { rank: 3, nickname: '丙', score: 25, me: true },
    ]);
    expect(week.me).toEqual({ rank: 3, score: 25 });
    expect((await board(quiz.id)).me).toBeNull();
  });

  it('keeps week, month and all-time boards apart', async () => {
    const quiz = await createQuiz(app, { questions: bank });
    const a = await residentSession(app, { nickname: '周一' });
    const b = await residentSession(app, { nickname: '上月' });
    setClock(() => new Date('2026-05-20T10:00:00+08:00'));
    await takeQuiz(app, b.token, quiz.id, 4);
    setClock(() => new Date('2026-06-01T10:00:00+08:00'));
    await takeQuiz(app, a.token, quiz.id, 2);
    setClock(() => new Date('2026-06-03T10:00:00+08:00'));
    const names = (items: Array<{ nickname: string }>) => items.map((i) => i.nickname);
    expect(names((await board(quiz.id, '?period=week')).items)).toEqual(['周一']);
    expect(names((await board(quiz.id, '?period=month')).items)).toEqual(['周一']);
    expect(names((await board(quiz.id, '?period=all')).items)).toEqual(['上月', '周一']);
  });

  it('has a board per district, chosen by any region code inside it', async () => {
    const quiz = await createQuiz(app, { questions: bank });
    const east = await residentSession(app, { nickname: '东湖人', regionCode: COMMUNITIES[0] });
    const west = await residentSession(app, { nickname: '西岭人', regionCode: COMMUNITIES[2] });
    await takeQuiz(app, east.token, quiz.id, 3);
    await takeQuiz(app, west.token, quiz.id, 4);
    const eastBoard = await board(quiz.id, `?region=${COMMUNITIES[1]}`, west.token);
    expect(eastBoard.scope).toEqual({ code: '330201', name: '东湖区' });
    expect(eastBoard.items.map((i: { nickname: string }) => i.nickname)).toEqual(['东湖人']);
    expect(eastBoard.me).toBeNull(); // the caller is not on the east board
    const westBoard = await board(quiz.id, '?region=330202', west.token);
    expect(westBoard.items).toEqual([{ rank: 1, nickname: '西岭人', score: 100, me: true }]);
    expect((await app.get(`/api/v1/quizzes/${quiz.id}/leaderboard?region=999`)).status).toBe(400);
  });

  it('counts only scored attempts, so the daily cap also caps leaderboard tries', async () => {
    const quiz = await createQuiz(app, { questions: bank });
    const r = await residentSession(app, { nickname: '勤奋' });
    for (let i = 0; i < 3; i++) await takeQuiz(app, r.token, quiz.id, 1);
    await takeQuiz(app, r.token, quiz.id, 4); // fourth of the day: not scored
    expect((await board(quiz.id)).items).toEqual([{ rank: 1, nickname: '勤奋', score: 25 }]);
  });

  it('is rebuilt from the best scores exactly as it was kept', async () => {
    const quiz = await createQuiz(app, { questions: bank });
    for (const [i, n] of [3, 1, 4, 2].entries()) {
      const r = await residentSession(app, { nickname: `居民${i}`, regionCode: COMMUNITIES[i % 4] });
      await takeQuiz(app, r.token, quiz.id, n);
    }
    const before = await board(quiz.id, '?period=all');
    await QuizBoard.deleteOne({ _id: `${quiz.id}:all:city` });
    expect((await board(quiz.id, '?period=all')).items).toEqual([]);
    expect(await rebuildBoards(quiz.id)).toBeGreaterThan(0);
    expect(await board(quiz.id, '?period=all')).toEqual(before);
  });

  it('is 404 for an unknown quiz', async () => {
    expect((await app.get('/api/v1/quizzes/nope-quiz/leaderboard')).status).toBe(404);
  });
});
