import { api } from '../../../api';
import type { NoticeList, NoticeView } from '../../../../../modules/notices/notices.schema';

/** 工作通知: a unit's or the office's inbox (overdue tip-offs, escalations). */
export type { NoticeView };

export const listNotices = (cursor?: string | null) =>
  api.get<NoticeList>(`/api/v1/staff/notices?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
export const markRead = (id: string) => api.post<NoticeView>(`/api/v1/staff/notices/${encodeURIComponent(id)}/read`, {});
