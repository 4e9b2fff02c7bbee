import { api } from '../../../api';
import type { HelpRequestList, HelpRequestView } from '../../../../../modules/helpdesk/helpdesk.schema';

/** 人工服务: residents' requests for a person, and the office's replies. */
export type { HelpRequestView };

export const listHelpRequests = (status: 'open' | 'all') => api.get<HelpRequestList>(`/api/v1/help-requests?status=${status}`);
export const getHelpRequest = (id: string) => api.get<HelpRequestView>(`/api/v1/help-requests/${encodeURIComponent(id)}`);
export const replyHelpRequest = (id: string, text: string, close: boolean) =>
  api.post<HelpRequestView>(`/api/v1/help-requests/${encodeURIComponent(id)}/replies`, { text, close });
export const closeHelpRequest = (id: string) => api.post<HelpRequestView>(`/api/v1/help-requests/${encodeURIComponent(id)}/close`, {});

export const channelNames: Record<HelpRequestView['channel'], string> = {
  chat: '聊天测试',
  wechaty: '微信群/个人号',
  mp: '公众号',
  h5: '网页',
};
export const statusNames: Record<HelpRequestView['status'], string> = { open: '待回复', answered: '已回复', closed: '已办结' };
export const statusTags: Record<HelpRequestView['status'], 'danger' | 'warning' | 'info'> = {
  open: 'danger',
  answered: 'warning',
  closed: 'info',
};
