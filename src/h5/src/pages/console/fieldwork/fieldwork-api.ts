import type { z } from 'zod';
import { api } from '../../../api';
import type {
  AssignInput,
  drawListSchema,
  drawResultSchema,
  enumeratorListSchema,
  HouseholdImportResult,
  householdListSchema,
  InterviewView,
  Progress,
  ReviewInput,
} from '../../../../../modules/fieldwork/fieldwork.schema';

/** 入户调查 (office): the frame, the draw, assignments, progress and the review of flagged interviews. */
export type { HouseholdImportResult, InterviewView, Progress };
export type DrawList = z.infer<typeof drawListSchema>;
export type DrawView = DrawList['items'][number];
export type DrawResult = z.infer<typeof drawResultSchema>;
export type Enumerator = z.infer<typeof enumeratorListSchema>['items'][number];
export type HouseholdList = z.infer<typeof householdListSchema>;

const survey = (id: string, rest: string) => `/api/v1/surveys/${encodeURIComponent(id)}/fieldwork${rest}`;

export function importHouseholds(file: File): Promise<HouseholdImportResult> {
  const form = new FormData();
  form.append('file', file);
  return api.post<HouseholdImportResult>('/api/v1/fieldwork/households/import', form);
}
export const frameCounts = () => api.get<HouseholdList>('/api/v1/fieldwork/households?pageSize=1');
export const listDraws = (id: string) => api.get<DrawList>(survey(id, '/draws'));
export const drawSample = (id: string, seed: string) =>
  api.post<DrawResult>(survey(id, '/draws'), seed.trim() ? { seed: seed.trim() } : {});
export const listEnumerators = async () => (await api.get<{ items: Enumerator[] }>('/api/v1/fieldwork/enumerators')).items;
export const assign = (id: string, body: AssignInput) =>
  api.post<{ assigned: number; reassigned: number }>(survey(id, '/assignments'), body);
export const getProgress = (id: string) => api.get<Progress>(survey(id, '/progress'));
export const flaggedInterviews = async (id: string) =>
  (await api.get<{ items: InterviewView[] }>(survey(id, '/interviews?flagged=true'))).items;
export const review = (interviewId: string, body: ReviewInput) =>
  api.post<InterviewView>(`/api/v1/fieldwork/interviews/${interviewId}/review`, body);

export const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
export const margin = (x: number | null) => (x === null ? '—' : `±${(x * 100).toFixed(1)}%`);
export const reviewLabels: Record<InterviewView['review'], string> = {
  none: '无需审核',
  pending: '待审核',
  accepted: '已接受',
  rejected: '已驳回',
};
export const minutes = (seconds: number) => (seconds < 60 ? `${Math.round(seconds)} 秒` : `${Math.round(seconds / 60)} 分钟`);
