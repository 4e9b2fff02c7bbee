import { api } from '../../../api';
import type { Indicator } from '../../../../../modules/catalog/catalog.schema';
import type {
  CreateSurvey,
  QuestionResult,
  SampleProgress,
  SurveyAdminView,
  SurveyListItem,
  SurveyResults,
  UpdateSurvey,
  SurveyInvitationView,
} from '../../../../../modules/surveys/surveys.schema';

/** 问卷管理 (office): the surveys with their response counts, results, sample progress, open / close. */
export type { Indicator, QuestionResult, SampleProgress, SurveyAdminView, SurveyResults };

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
// The builder: errors are shown beside the form (silent: no toast).
export const createSurvey = (body: CreateSurvey) => api.post<SurveyAdminView>('/api/v1/surveys', body, { silent: true });
export const updateSurvey = (id: string, patch: UpdateSurvey) => api.patch<SurveyAdminView>(path(id), patch, { silent: true });
export const copySurvey = (id: string) => api.post<SurveyAdminView>(path(id, '/copy'), {});
/** 邀请作答: the city's (or a region's) residents who have not answered, each by their channel, in the background. */
export const inviteResidents = (id: string, regionCode: string | null) =>
  api.post<SurveyInvitationView>(path(id, '/invitations'), { regionCode });
export const openNow = (id: string) => api.post<SurveyAdminView>(path(id, '/open'), {}, { silent: true });
export const listIndicators = () => api.get<Indicator[]>('/api/v1/indicators');
/** The workbook downloads with the session cookie: a plain link is enough. */
export const exportUrl = (id: string) => path(id, '/responses.xlsx');

export function stateOf(s: SurveyAdminView): { text: string; type: 'primary' | 'default' | 'warning' } {
  if (s.open) return { text: '进行中', type: 'primary' };
  if (!s.opensAt) return { text: '草稿', type: 'warning' };
  return s.closedAt || (s.closesAt && new Date(s.closesAt) <= new Date())
    ? { text: '已结束', type: 'default' }
    : { text: '未开始', type: 'warning' };
}

/** The rows a question's result shows: options, or scale values / communities. */
export function rowsOf(q: QuestionResult): Array<{ label: string; count: number; percent: number }> {
  if (q.options?.length) return q.options.map((o) => ({ label: `${o.key}. ${o.text}`, count: o.count, percent: o.percent }));
  return (q.values ?? []).map((v) => ({ label: v.label, count: v.count, percent: v.percent }));
}

export const KIND_LABEL: Record<string, string> = { single: '单选', multiple: '多选', scale: '量表', text: '填空' };
