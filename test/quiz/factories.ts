import type { TestApp } from '../harness/app';
import { staffSession } from '../factories';
import { freshQuiz } from '../../src/modules/quiz/quiz.bank';

/** The quiz that ships in content/quizzes/. */
export const CONTENT_QUIZ = 'wenming-basics';

export interface TestQuestion {
  id: string;
  type: 'single' | 'multiple' | 'judge';
  text: string;
  options?: Array<{ key: string; text: string }>;
  answer: string[];
  explanation?: string;
  topic?: string;
  indicator?: string;
}

const abcd = (...texts: string[]) => texts.map((text, i) => ({ key: 'ABCDEFGH'[i]!, text }));

/** A small known bank: one of each type, one tagged with the garbage-sorting awareness indicator. */
export const SMALL_BANK: TestQuestion[] = [
  {
    id: 's1',
    type: 'single',
    text: '废荧光灯管属于哪类垃圾？',
    options: abcd('可回收物', '有害垃圾', '厨余垃圾', '其他垃圾'),
    answer: ['B'],
    explanation: '含汞，属于有害垃圾。',
    topic: '垃圾分类',
    indicator: 'aw-garbage',
  },
  {
    id: 'm1',
    type: 'multiple',
    text: '国家层面的价值目标有？',
    options: abcd('富强', '民主', '法治', '和谐'),
    answer: ['A', 'B', 'D'],
    explanation: '法治属于社会层面。',
    topic: '核心价值观',
  },
  { id: 'j1', type: 'judge', text: '后排乘客可以不系安全带。', answer: ['B'], explanation: '后排也要系安全带。', topic: '文明交通' },
];

let seq = 0;

/** Creates a quiz through the office API; every attempt draws all its questions (size = bank size). */
export async function createQuiz(
  app: TestApp,
  opts: { questions?: TestQuestion[]; pointsPerCorrect?: number; size?: number; mix?: Record<string, number>; token?: string } = {},
): Promise<{ id: string; token: string }> {
  const token = opts.token ?? (await staffSession(app, 'office')).token;
  const questions = opts.questions ?? SMALL_BANK;
  const id = `test-quiz-${Date.now().toString(36)}-${++seq}`;
  const created = await app.post(
    '/api/v1/quizzes',
    {
      id,
      title: `测试答题 ${seq}`,
      draw: { size: opts.size ?? (questions.length || 10), mix: opts.mix ?? {} },
      pointsPerCorrect: opts.pointsPerCorrect ?? 2,
    },
    { token },
  );
  if (created.status !== 201) throw new Error(`create quiz failed: ${JSON.stringify(created.body)}`);
  for (const q of questions) {
    const res = await app.post(`/api/v1/quizzes/${id}/questions`, q, { token });
    if (res.status !== 201) throw new Error(`add question failed: ${JSON.stringify(res.body)}`);
  }
  return { id, token };
}

/** The right answer of every question of a quiz, read from the bank (tests only). */
export async function answerKey(quizId: string): Promise<Map<string, string[]>> {
  const { questions } = await freshQuiz(quizId);
  return new Map(questions.map((d) => [d.q.id, d.q.answer ?? []]));
}

/** A wrong choice for a question: the first option key that is not exactly the answer. */
export function wrongChoice(q: { type: string; options: Array<{ key: string }> }, answer: string[]): string[] {
  const other = q.options.map((o) => o.key).find((k) => !answer.includes(k));
  return [other ?? q.options[0]!.key];
}

export interface Attempt {
  attemptId: string;
  questions: Array<{
    id: string;
    type: 'single' | 'multiple' | 'judge';
    text: string;
    topic?: string;
    options: Array<{ key: string; text: string }>;
  }>;
}

export async function startAttempt(app: TestApp, token: string, quizId: string): Promise<Attempt> {
  const res = await app.post(`/api/v1/quizzes/${quizId}/attempts`, {}, { token });
  if (res.status !== 201) throw new Error(`start attempt failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Attempt;
}

/** Answers every question of an attempt, `correct` of them right (in order), and finishes it. */
export async function takeQuiz(
  app: TestApp,
  token: string,
  quizId: string,
  correct = Infinity,
): Promise<{ attemptId: string; result: any }> {
  const key = await answerKey(quizId);
  const attempt = await startAttempt(app, token, quizId);
  for (const [i, q] of attempt.questions.entries()) {
    const answer = key.get(q.id)!;
    const choice = i < correct ? answer : wrongChoice(q, answer);
    const res = await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId: q.id, choice }, { token });
    if (res.status !== 200) throw new Error(`answer failed: ${JSON.stringify(res.body)}`);
  }
  const finished = await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/finish`, {}, { token });
  if (finished.status !== 200) throw new Error(`finish failed: ${JSON.stringify(finished.body)}`);
  return { attemptId: attempt.attemptId, result: finished.body };
}
