import { api } from '../../api';

/** 我的 → 个人信息: what the service holds about me, my consents, and 注销. */
export interface DataField {
  label: string;
  value: string;
}
export interface DataGroup {
  kind: string;
  label: string;
  note: string;
  items: Array<{ title: string; fields: DataField[] }>;
}
export interface MyData {
  residentId: string;
  generatedAt: string;
  groups: DataGroup[];
}
export type ConsentKind = 'push-notices' | 'daily-question' | 'volunteer-data';
export interface ConsentView {
  kind: ConsentKind;
  label: string;
  description: string;
  granted: boolean;
  at: string | null;
  effect: string;
}
export interface ClosureResult {
  status: 'accepted';
  closedAt: string;
  erasureCompletesBy: string;
  erased: string[];
  kept: string[];
}

export const EXPORT_URL = '/api/v1/me/data/export';
export const CLOSURE_PHRASE = '确认注销';

export const myData = () => api.get<MyData>('/api/v1/me/data');
export const myConsents = async () => (await api.get<{ items: ConsentView[] }>('/api/v1/me/consents')).items;
export const withdrawConsent = async (kind: ConsentKind) => (await api.del<{ items: ConsentView[] }>(`/api/v1/me/consents/${kind}`)).items;
export const grantConsent = async (kind: ConsentKind) => (await api.put<{ items: ConsentView[] }>(`/api/v1/me/consents/${kind}`, {})).items;
export const closeAccount = (confirm: string) => api.post<ClosureResult>('/api/v1/me/closure', { confirm });
