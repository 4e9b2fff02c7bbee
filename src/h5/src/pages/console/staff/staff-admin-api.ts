import { api } from '../../../api';
import type { Role, StaffView } from '../../../types';

/** 账号管理 (admin) and 修改密码 (everyone): the staff API as the console calls it. */
export interface StaffFilters {
  q?: string;
  role?: Role | '';
  unitCode?: string;
  status?: 'active' | 'disabled' | '';
  sort: 'username' | 'displayName' | 'role' | 'unitCode' | 'createdAt';
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}
export interface StaffPage {
  items: StaffView[];
  total: number;
}
export interface Unit {
  code: string;
  name: string;
}
export interface PasswordPolicy {
  minLength: number;
  rules: string[];
  loginLimit: string;
}

/** Query string of the filters that are set (empty ones left out). */
export function queryOf(filters: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.toString();
}

export const listStaff = (f: StaffFilters) => api.get<StaffPage>(`/api/v1/staff?${queryOf(f)}`);
export const listUnits = () => api.get<Unit[]>('/api/v1/units');
export const passwordPolicy = () => api.get<PasswordPolicy>('/api/v1/staff/password-policy', { silent: true });
export const createStaff = (body: { username: string; password: string; role: Role; unitCode?: string; displayName?: string }) =>
  api.post<StaffView>('/api/v1/staff', body);
export const updateStaff = (id: string, body: { displayName?: string | null; role?: Role; unitCode?: string | null; disabled?: boolean }) =>
  api.patch<StaffView>(`/api/v1/staff/accounts/${encodeURIComponent(id)}`, body);
export const bulkStatus = (ids: string[], disabled: boolean) =>
  api.post<{ updated: string[]; refused: { id: string; message: string }[] }>('/api/v1/staff/bulk-status', { ids, disabled });
export const resetPassword = (id: string) =>
  api.post<{ temporaryPassword: string }>(`/api/v1/staff/accounts/${encodeURIComponent(id)}/password-reset`, {});
