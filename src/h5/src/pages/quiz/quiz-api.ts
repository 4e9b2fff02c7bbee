import { api, ApiError, newIdempotencyKey } from '../../api';
import type {
  AnswerResult,
  AttemptQuestion,
  AttemptResult,
  AttemptView,
  Leaderboard,
  Period,
  QuizSummary,
} from '../../../../modules/quiz/quiz.schema';

/** The quiz pages' calls to the API and their small rules (types from the service's own schemas). */
export type { AnswerResult, AttemptQuestion, AttemptResult, AttemptView, Leaderboard, Period, QuizSummary };

const enc = encodeURIComponent;

export const listQuizzes = async () => (await api.get<{ items: QuizSummary[] }>('/api/v1/quizzes')).items;
export const getQuiz = (id: string) => api.get<QuizSummary>(`/api/v1/quizzes/${enc(id)}`);

/** A new attempt (a fresh draw), returned in the same shape as a resumed one. */
export async function startAttempt(quizId: string): Promise<AttemptView> {
  const a = await api.post<Omit<AttemptView, 'answers' | 'correctCount' | 'result'>>(
    `/api/v1/quizzes/${enc(quizId)}/attempts`,
    {},
    { idempotencyKey: newIdempotencyKey() },
  );
  return { ...a, answers: {}, correctCount: 0, result: null };
}

export const getAttempt = (attemptId: string) => api.get<AttemptView>(`/api/v1/quiz-attempts/${enc(attemptId)}`, { silent: true });

export function answer(attemptId: string, questionId: string, choice: string[]): Promise<AnswerResult> {
  return api.post<AnswerResult>(
    `/api/v1/quiz-attempts/${enc(attemptId)}/answers`,
    { questionId, choice },
    { idempotencyKey: newIdempotencyKey(), silent: true },
  );
}

export const finish = (attemptId: string) =>
  api.post<AttemptResult>(`/api/v1/quiz-attempts/${enc(attemptId)}/finish`, {}, { idempotencyKey: `finish-${attemptId}` });

export function leaderboard(quizId: string, period: Period, region?: string): Promise<Leaderboard> {
  const q = new URLSearchParams({ period, limit: '50', ...(region ? { region } : {}) });
  return api.get<Leaderboard>(`/api/v1/quizzes/${enc(quizId)}/leaderboard?${q}`);
}

export const isAlreadyAnswered = (err: unknown) => err instanceof ApiError && err.code === 'ALREADY_ANSWERED';

/** The first question without an answer; -1 when all are answered. */
export const nextIndex = (view: AttemptView) => view.questions.findIndex((q) => !view.answers[q.id]);

export const TYPE_LABEL: Record<AttemptQuestion['type'], string> = { single: '单选题', multiple: '多选题', judge: '判断题' };

/** "B" / "A、C" / "对" — the correct choice as a person reads it. */
export function choiceText(q: AttemptQuestion, keys: string[]): string {
  if (q.type === 'judge') return q.options.find((o) => o.key === keys[0])?.text ?? keys.join('');
  return keys.join('、');
}

/** How an option looks after answering: the right ones green, a wrong pick red. */
export function optionState(key: string, fed: { choice: string[]; correctChoice: string[] } | undefined): 'right' | 'wrong' | '' {
  if (!fed) return '';
  if (fed.correctChoice.includes(key)) return 'right';
  return fed.choice.includes(key) ? 'wrong' : '';
}

export function resultLine(r: AttemptResult): string {
  if (r.scored) return `获得 ${r.pointsAwarded} 积分`;
  if (r.correctCount > 0) return `今天的 ${r.dailyLimit} 次计分机会已用完，本次不计积分`;
  return '本次没有获得积分，再接再厉';
}

export const PERIODS: Array<{ name: Period; title: string }> = [
  { name: 'week', title: '本周' },
  { name: 'month', title: '本月' },
  { name: 'all', title: '总榜' },
];
