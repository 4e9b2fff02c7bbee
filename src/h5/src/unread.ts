import { ref } from 'vue';
import { api } from './api';
import type { Unread } from '../../modules/outbox/outbox.schema';

/**
 * The 消息 tab's badge: messages created since the resident last opened 消息. Refreshed when a
 * page with the tab bar shows; opening 消息 clears it on the server and here.
 */
export const unreadMessages = ref(0);

/** The mark-read still in flight; a refresh waits for it so a quick tap away cannot revive the badge. */
let marking: Promise<unknown> = Promise.resolve();

export async function refreshUnread(): Promise<void> {
  await marking;
  const fallback = { unread: unreadMessages.value };
  const body = await api.get<Unread>('/api/v1/me/messages/unread', { silent: true }).catch(() => fallback);
  unreadMessages.value = body.unread;
}

export async function markMessagesRead(): Promise<void> {
  unreadMessages.value = 0;
  marking = api.post<Unread>('/api/v1/me/messages/read', undefined, { silent: true }).catch(() => undefined);
  await marking;
}
