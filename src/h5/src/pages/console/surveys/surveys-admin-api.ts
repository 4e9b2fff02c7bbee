import { api } from '../../../api';
import type { QuestionResult, SampleProgress, SurveyAdminView, SurveyListItem, SurveyResults } from '../../../../../modules/surveys/surveys.schema';

/** 问卷管理 (office): the surveys with their response counts, results, sample progress, open / close. */
export type { QuestionResult, SampleProgress, SurveyAdminView, SurveyResults };

const path = (id: string, rest = '') => `/api/v1/surveys/${encodeURIComponent(id)}${rest}`;

export async function listAdminSurveys(): Promise<SurveyAdminView[]> {
  const items = (await api.get<{ items: SurveyListItem[] }>('/api/v1/surveys')).items;
  return Promise.all(items.map((s) => api.get<SurveyAdminView>(path(s.id, '/admin'))));
}

export const getAdminSurvey = (id: string) => api.get<SurveyAdminView>(path(id, '/admin'));
export const getResults = (id: string) => api.get<SurveyResults>(path(id, '/results'));
export const getSample = (id: string) => api.get<SampleProgress>(path(id, '/sample'));
export const openSurvey = (id: string) => api.post<SurveyAdminView>(path(id, '/open'), {});
export const closeSurvey = (id: string) => api.post<SurveyAdminView>(path(id, '/close'), {});
/** The workbook downloads with the session cookie: a plain link is enough. */
export const exportUrl = (id: string) => path(id, '/responses.xlsx');

export function stateOf(s: SurveyAdminView): { text: string; type: 'primary' | 'default' | 'warning' } {
  if (s.open) return { text: '进行中', type: 'primary' };
  if (!s.opensAt) return { text: '草稿', type: 'warning' };
  return s.closedAt || (s.closesAt && new Date(s.closesAt) <= new Date()) ? { text: '已结束', type: 'default' } : { text: '未开始', type: 'warning' };
}

/** The rows a question's result shows: options, or scale values / communities. */
export function rowsOf(q: QuestionResult): Array<{ label: string; count: number; percent: number }> {
  if (q.options?.length) return q.options.map((o) => ({ label: `${o.key}. ${o.text}`, count: o.count, percent: o.percent }));
  return (q.values ?? []).map((v) => ({ label: v.label, count: v.count, percent: v.percent }));
}

export const KIND_LABEL: Record<string, string> = { single: '单选', multiple: '多选', scale: '量表', text: '填空' };
