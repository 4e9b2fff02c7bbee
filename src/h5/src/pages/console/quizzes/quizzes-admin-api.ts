import { api, ApiError } from '../../../api';
import type {
  Accuracy,
  BankQuery,
  CreateQuiz,
  OfficeQuestion,
  QuizQuestion,
  QuizSummary,
  UpdateQuestion,
  UpdateQuiz,
} from '../../../../../modules/quiz/quiz.schema';
import { queryOf } from '../staff/staff-admin-api';

/** The office's quiz console: quizzes, the bank editor, import / export and the knowledge gaps (types from the service). */
export type { Accuracy, OfficeQuestion, QuizSummary };

const enc = encodeURIComponent;

export const listAllQuizzes = async () => (await api.get<{ items: QuizSummary[] }>('/api/v1/quizzes?includeRetired=true')).items;
export const setQuizStatus = (quizId: string, status: 'active' | 'retired') =>
  api.patch<QuizSummary>(`/api/v1/quizzes/${enc(quizId)}`, { status });
export const createQuiz = (body: CreateQuiz) => api.post<QuizSummary>('/api/v1/quizzes', body);
export const updateQuiz = (quizId: string, body: UpdateQuiz) => api.patch<QuizSummary>(`/api/v1/quizzes/${enc(quizId)}`, body);

/** The bank table's filters; an empty string is "any". */
export type BankFilters = Pick<BankQuery, 'sort' | 'order' | 'page' | 'pageSize'> & {
  q: string;
  type: BankQuery['type'] | '';
  indicator: string;
  topic: string;
  status: BankQuery['status'] | '';
};
export const queryQuestions = (quizId: string, f: BankFilters) =>
  api.get<{ items: OfficeQuestion[]; total: number }>(`/api/v1/quizzes/${enc(quizId)}/questions?${queryOf(f)}`);

/** The body that adds a question to a bank (built by question-form.ts). */
export type NewQuestionBody = Pick<QuizQuestion, 'id' | 'type' | 'text' | 'answer' | 'explanation' | 'options' | 'topic' | 'indicator'>;
const questionUrl = (quizId: string, questionId: string) => `/api/v1/quizzes/${enc(quizId)}/questions/${enc(questionId)}`;
export const addQuestion = (quizId: string, body: NewQuestionBody) =>
  api.post<OfficeQuestion>(`/api/v1/quizzes/${enc(quizId)}/questions`, body, { silent: true });
export const updateQuestion = (quizId: string, questionId: string, body: UpdateQuestion) =>
  api.patch<OfficeQuestion>(questionUrl(quizId, questionId), body, { silent: true });

export function setQuestionStatus(quizId: string, questionId: string, status: 'active' | 'retired'): Promise<unknown> {
  return status === 'retired' ? api.del(questionUrl(quizId, questionId)) : api.post(`${questionUrl(quizId, questionId)}/restore`, {});
}

export interface Indicator {
  code: string;
  kind: string;
  title: string;
}
/** The awareness indicators a quiz question may count towards. */
export const awarenessIndicators = async () => (await api.get<Indicator[]>('/api/v1/indicators')).filter((i) => i.kind === 'awareness');

export interface ImportResult {
  total: number;
  created: number;
  updated: number;
  retired: number;
}

export interface RowProblem {
  row: number;
  column: string;
  message: string;
}

/** Uploads a CSV/XLSX bank; a rejected file comes back as its row problems (nothing was imported). */
export async function importBank(
  quizId: string,
  file: File,
  mode: 'merge' | 'replace',
): Promise<{ ok: ImportResult } | { problems: RowProblem[]; message: string }> {
  const form = new FormData();
  form.append('file', file, file.name);
  try {
    return { ok: await api.post<ImportResult>(`/api/v1/quizzes/${enc(quizId)}/questions:import?mode=${mode}`, form, { silent: true }) };
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') throw err;
    const rows = Array.isArray(err.details) ? (err.details as RowProblem[]).filter((d) => typeof d.row === 'number') : [];
    return { problems: rows, message: rows.length ? `导入失败：${rows.length} 处错误，未导入任何题目` : err.message };
  }
}

export const exportUrl = (quizId: string, format: 'csv' | 'xlsx') => `/api/v1/quizzes/${enc(quizId)}/questions:export?format=${format}`;
export const accuracy = (quizId: string, region?: string) =>
  api.get<Accuracy>(`/api/v1/quizzes/${enc(quizId)}/accuracy${region ? `?region=${enc(region)}` : ''}`);

export const TYPE_NAME: Record<OfficeQuestion['type'], string> = { single: '单选', multiple: '多选', judge: '判断' };
export const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);
export const answerText = (q: OfficeQuestion) => (q.type === 'judge' ? (q.answer[0] === 'A' ? '对' : '错') : q.answer.join(''));

export const SOURCE_NAME: Record<'content' | 'office', string> = { content: '内容文件', office: '工作台' };
/** "垃圾分类 3 题、文明交通 2 题" */
export const mixText = (q: QuizSummary) =>
  Object.entries(q.draw?.mix ?? {})
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n} 题`)
    .join('、');
/** A judge question's two options, as the questionnaire engine gives them (A 对, B 错). */
export const JUDGE_OPTIONS = [
  { key: 'A', text: '对' },
  { key: 'B', text: '错' },
];
