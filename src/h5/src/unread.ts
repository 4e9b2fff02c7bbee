import { ref } from 'vue';
import { api } from './api';
import type { Unread } from '../../modules/outbox/outbox.schema';

/**
 * The 消息 tab's badge: messages created since the resident last opened 消息. Refreshed when a
 * page with the tab bar shows; opening 消息 clears it on the server and here.
 */
export const unreadMessages = ref(0);

export async function refreshUnread(): Promise<void> {
  unreadMessages.value = (await api.get<Unread>('/api/v1/me/messages/unread', { silent: true }).catch(() => ({ unread: unreadMessages.value }))).unread;
}

export async function markMessagesRead(): Promise<void> {
  unreadMessages.value = 0;
  await api.post<Unread>('/api/v1/me/messages/read', undefined, { silent: true }).catch(() => undefined);
}
