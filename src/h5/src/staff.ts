import { reactive } from 'vue';
import { api, ApiError } from './api';
import { resident, signOut } from './session';
import type { Role, StaffView } from './types';

/** The staff member signed in to the console (office, unit or admin). */
export const staff = reactive<{ me: StaffView | null }>({ me: null });

export const roleLabels: Record<Role, string> = { admin: '系统管理员', office: '文明办', unit: '责任单位', enumerator: '调查员' };

/** Where an account with a temporary password is sent before anything else. */
export const PASSWORD_PAGE = '/console/password';

export async function loginStaff(username: string, password: string): Promise<StaffView> {
  const res = await api.post<{ staff: StaffView }>('/api/v1/staff/sessions', { username, password });
  staff.me = res.staff;
  resident.me = null; // the cookie now holds the staff session
  return res.staff;
}

/** Whether the cookie holds a staff session; false on 401/403 (not signed in, or a resident). */
export async function ensureStaffSession(): Promise<boolean> {
  if (staff.me) return true;
  try {
    staff.me = await api.get<StaffView>('/api/v1/staff/me', { silent: true });
    return true;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return false;
    throw err;
  }
}

/** Changes one's own password; the server answers with a fresh session cookie. */
export async function changeOwnPassword(currentPassword: string, newPassword: string): Promise<void> {
  const res = await api.put<{ staff: StaffView }>('/api/v1/staff/me/password', { currentPassword, newPassword });
  staff.me = res.staff;
}

export async function logoutStaff(): Promise<void> {
  await signOut();
  staff.me = null;
}
