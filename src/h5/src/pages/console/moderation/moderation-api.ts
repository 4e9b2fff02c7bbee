import { api } from '../../../api';
import type { ModerationItemView, ModerationKind } from '../../../../../modules/moderation/moderation.schema';
import { queryOf } from '../staff/staff-admin-api';

/** 内容审核 (office): the queue of held content, approve / reject / bulk approve, and the decided history. */
export type { ModerationItemView, ModerationKind };
export interface ModerationFilters {
  status: 'held' | 'pending' | 'approved' | 'rejected';
  kind: ModerationKind | '';
  q: string;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export const statusTabs: [ModerationFilters['status'], string][] = [
  ['held', '待审核'],
  ['pending', '图片审核中'],
  ['approved', '已通过'],
  ['rejected', '未通过'],
];
export const kindOptions: [ModerationKind, string][] = [
  ['tipoff', '随手拍'],
  ['nickname', '昵称'],
  ['survey-answer', '问卷文字答案'],
];

const path = (id: string) => `/api/v1/moderation/items/${encodeURIComponent(id)}`;
export const listModeration = (f: ModerationFilters) =>
  api.get<{ items: ModerationItemView[]; total: number }>(`/api/v1/moderation/items?${queryOf(f)}`);
export const approveItem = (id: string) => api.post<{ id: string; status: string }>(`${path(id)}/approve`, {});
export const rejectItem = (id: string, reason: string) => api.post<{ id: string; status: string }>(`${path(id)}/reject`, { reason });
export const approveMany = (ids: string[]) =>
  api.post<{ approved: string[]; skipped: { id: string; why: string }[] }>('/api/v1/moderation/items/approve', { ids });
