import { api, ApiError } from '../../../api';
import type { Accuracy, OfficeQuestion, QuizSummary } from '../../../../../modules/quiz/quiz.schema';

/** The office's quiz console: banks, import / export and the knowledge gaps (types from the service). */
export type { Accuracy, OfficeQuestion, QuizSummary };

const enc = encodeURIComponent;

export const listAllQuizzes = async () => (await api.get<{ items: QuizSummary[] }>('/api/v1/quizzes?includeRetired=true')).items;
export const listQuestions = async (quizId: string) => (await api.get<{ items: OfficeQuestion[] }>(`/api/v1/quizzes/${enc(quizId)}/questions`)).items;
export const setQuizStatus = (quizId: string, status: 'active' | 'retired') => api.patch<QuizSummary>(`/api/v1/quizzes/${enc(quizId)}`, { status });

export function setQuestionStatus(quizId: string, questionId: string, status: 'active' | 'retired'): Promise<unknown> {
  const url = `/api/v1/quizzes/${enc(quizId)}/questions/${enc(questionId)}`;
  return status === 'retired' ? api.del(url) : api.patch(url, { status: 'active' });
}

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
export async function importBank(quizId: string, file: File, mode: 'merge' | 'replace'): Promise<{ ok: ImportResult } | { problems: RowProblem[]; message: string }> {
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
export const accuracy = (quizId: string, region?: string) => api.get<Accuracy>(`/api/v1/quizzes/${enc(quizId)}/accuracy${region ? `?region=${enc(region)}` : ''}`);

export const TYPE_NAME: Record<OfficeQuestion['type'], string> = { single: '单选', multiple: '多选', judge: '判断' };
export const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);
export const answerText = (q: OfficeQuestion) => (q.type === 'judge' ? (q.answer[0] === 'A' ? '对' : '错') : q.answer.join(''));
