import { showConfirmDialog } from 'vant';
import { reactive } from 'vue';
import { api, ApiError } from './api';
import { rememberElderMode, storedElderMode } from './elder';
import type { Me, ResidentView, UpdateMe } from './types';

/**
 * The resident behind this browser. Bootstrap: GET /api/v1/me; on 401, inside WeChat with OAuth
 * configured go through WeChat OAuth (same openid → same resident as the mini-program), otherwise
 * open an anonymous device session. A bot link (/h5/link?t=) has already set the cookie.
 */
export const resident = reactive<{ me: Me | null }>({ me: null });

const OAUTH_TRIED = 'wm_oauth_tried';

export const isWeChat = (): boolean => /MicroMessenger/i.test(navigator.userAgent);

let clientConfig: Promise<{ wechatOAuth: boolean }> | undefined;
const loadClientConfig = () =>
  (clientConfig ??= api.get<{ wechatOAuth: boolean }>('/api/v1/h5/config', { silent: true }).catch(() => ({ wechatOAuth: false })));

/** One OAuth attempt per minute and tab: a failing OAuth must fall back, never loop. */
function mayTryOAuth(): boolean {
  const last = Number(sessionStorage.getItem(OAUTH_TRIED) ?? 0);
  return Date.now() - last > 60_000;
}

export function startOAuth(next: string): void {
  sessionStorage.setItem(OAUTH_TRIED, String(Date.now()));
  location.assign(`/h5/oauth/start?next=${encodeURIComponent(next)}`);
}

export async function refreshMe(): Promise<Me> {
  resident.me = await api.get<Me>('/api/v1/me', { silent: true });
  // The resident's stored 长辈模式 wins over this browser's copy (another phone may have changed it).
  rememberElderMode(resident.me.elderMode);
  return resident.me;
}

export async function openAnonymousSession(): Promise<Me> {
  await api.post('/api/v1/sessions/anonymous', {});
  // A new resident in a browser that was in 长辈模式 keeps it.
  if (storedElderMode()) await api.patch('/api/v1/me', { elderMode: true }, { silent: true }).catch(() => undefined);
  return refreshMe();
}

/** Turns 长辈模式 on or off now, and for this resident on every device. */
export async function setElderMode(on: boolean): Promise<void> {
  rememberElderMode(on);
  if (resident.me && resident.me.elderMode !== on) await updateMe({ elderMode: on }).catch(() => rememberElderMode(!on)); // the error was toasted
}

/** Clears the cookie (resident or staff) and every cached identity. */
export async function signOut(): Promise<void> {
  await api.del('/api/v1/sessions/current');
  resident.me = null;
}

/**
 * Ensures a resident session before a resident page opens. Returns true to go on, false when the
 * browser is leaving for WeChat OAuth, or a path to go to instead.
 */
export async function ensureResidentSession(next: string): Promise<true | false | string> {
  if (resident.me) return true;
  try {
    await refreshMe();
    return true;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 403) {
      // The cookie holds a staff session (console and resident pages share the browser).
      const asResident = await showConfirmDialog({
        title: '当前为工作人员登录',
        message: '以居民身份继续将退出工作台登录。',
        confirmButtonText: '以居民身份继续',
        cancelButtonText: '进入工作台',
      }).then(
        () => true,
        () => false,
      );
      if (!asResident) return '/console';
      await signOut();
    } else if (err.status !== 401) {
      throw err;
    }
  }
  if (isWeChat() && mayTryOAuth() && (await loadClientConfig()).wechatOAuth) {
    startOAuth(next);
    return false;
  }
  await openAnonymousSession();
  return true;
}

export async function updateMe(patch: UpdateMe): Promise<ResidentView> {
  const updated = await api.patch<ResidentView>('/api/v1/me', patch);
  await refreshMe();
  return updated;
}
