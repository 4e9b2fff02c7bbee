import { api } from '../../../api';
import type { ActivityTableQuery, ManualAttendanceResult } from '../../../../../modules/volunteers/volunteers.schema';
import type { ActivityView } from '../../volunteer/volunteer-api';
import { queryOf } from '../staff/staff-admin-api';

/** 活动管理 (office): the activity table, edits and 管理员代签, as the console calls them. */
export type ActivityPhase = 'running' | 'upcoming' | 'past';
export type ActivityRow = ActivityView & { phase: ActivityPhase };
export type ActivityFilters = Omit<ActivityTableQuery, 'phase' | 'status' | 'region'> & {
  phase: ActivityPhase | '';
  status: 'open' | 'cancelled' | '';
  region: string;
};
export interface ActivityPage {
  items: ActivityRow[];
  total: number;
  phases: Record<ActivityPhase, number>;
}

export const phaseLabels: Record<ActivityPhase, string> = { running: '进行中', upcoming: '未开始', past: '已结束' };

export const listActivityTable = (f: ActivityFilters) => api.get<ActivityPage>(`/api/v1/staff/activities?${queryOf(f)}`);
export const updateActivity = (id: string, body: Record<string, unknown>) =>
  api.patch<ActivityView>(`/api/v1/activities/${encodeURIComponent(id)}`, body, { silent: true });
export const recordAttendance = (id: string, body: { residentId: string; kind: 'in' | 'out'; at?: string }) =>
  api.post<ManualAttendanceResult>(`/api/v1/activities/${encodeURIComponent(id)}/attendance`, body, { silent: true });
