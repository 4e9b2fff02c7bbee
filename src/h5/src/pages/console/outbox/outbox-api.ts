import { api } from '../../../api';
import type { OutgoingSummary, ResidentMessageView, RoomMessageView } from '../../../../../modules/rooms/rooms.schema';

/** 消息发送: what the service sends residents and group rooms, and what did not get through. */
export type { OutgoingSummary, ResidentMessageView, RoomMessageView };
export type Status = 'pending' | 'sent' | 'failed' | 'unsent';
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const query = (status: Status | '', cursor: string | null) =>
  `?limit=20${status ? `&status=${status}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
export const outboxSummary = () => api.get<OutgoingSummary>('/api/v1/admin/outbox/summary');
export const residentMessages = (status: Status | '', cursor: string | null) =>
  api.get<Page<ResidentMessageView>>(`/api/v1/admin/outbox/residents${query(status, cursor)}`);
export const roomMessages = (status: Status | '', cursor: string | null) =>
  api.get<Page<RoomMessageView>>(`/api/v1/admin/outbox/rooms${query(status, cursor)}`);

export const statusLabels: Record<Status, string> = {
  pending: '待推送',
  sent: '已推送',
  unsent: '未推送（仅网页可见）',
  failed: '推送失败',
};
/** Which channel delivered a resident message (null while it waits in the queue). */
export const channelLabels: Record<NonNullable<ResidentMessageView['channel']>, string> = {
  mp: '公众号',
  mini: '小程序',
  wechaty: '微信机器人',
  h5: '仅网页',
};

export const statusTags: Record<Status, 'primary' | 'success' | 'warning' | 'danger'> = {
  pending: 'primary',
  sent: 'success',
  unsent: 'warning',
  failed: 'danger',
};
