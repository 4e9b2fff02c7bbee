import { api, ApiError, newIdempotencyKey } from '../../api';
import type {
  ActivityView,
  CheckinResult,
  CheckoutResult,
  CreateActivity,
  PrivacyNotice,
  RegisterVolunteer,
  RosterView,
  ServiceRecord,
  SignupResult,
  VolunteerView,
} from '../../../../modules/volunteers/volunteers.schema';

/** The volunteer pages' calls to the API (types from the service's own schemas). */
export type { ActivityView, PrivacyNotice, RosterView, ServiceRecord, VolunteerView };

export const privacyNotice = () => api.get<PrivacyNotice & { skills: string[] }>('/api/v1/volunteers/privacy-notice');

/** The caller's volunteer record, or null when not registered (404). */
export async function myVolunteer(): Promise<VolunteerView | null> {
  try {
    return await api.get<VolunteerView>('/api/v1/volunteers/me', { silent: true });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export const deregisterVolunteer = () => api.del('/api/v1/volunteers/me');
export const registerVolunteer = (body: Omit<RegisterVolunteer, 'skills'> & { skills: string[] }) =>
  api.post<VolunteerView>('/api/v1/volunteers', body);

export async function listActivities(query: { region?: string; limit?: number } = {}): Promise<ActivityView[]> {
  const q = new URLSearchParams({ limit: String(query.limit ?? 50), ...(query.region ? { region: query.region } : {}) });
  return (await api.get<{ items: ActivityView[] }>(`/api/v1/activities?${q}`)).items;
}

export const getActivity = (id: string) => api.get<ActivityView>(`/api/v1/activities/${encodeURIComponent(id)}`);
export const signUp = (id: string) =>
  api.post<SignupResult>(`/api/v1/activities/${encodeURIComponent(id)}/signups`, {}, { idempotencyKey: newIdempotencyKey() });
export const cancelSignup = (id: string) => api.del(`/api/v1/activities/${encodeURIComponent(id)}/signups/me`);
export const mySignups = async () => (await api.get<{ items: ActivityView[] }>('/api/v1/volunteers/me/signups')).items;
export const serviceRecord = () => api.get<ServiceRecord>('/api/v1/volunteers/me/record');

type Place = { lat: number; lng: number } | undefined;
const codeBody = (code: string, at: Place) => ({ code, ...(at ?? {}) });
export const checkIn = (id: string, code: string, at?: Place) =>
  api.post<CheckinResult>(`/api/v1/activities/${encodeURIComponent(id)}/checkins`, codeBody(code, at), {
    idempotencyKey: newIdempotencyKey(),
  });
export const checkOut = (id: string, code: string, at?: Place) =>
  api.post<CheckoutResult>(`/api/v1/activities/${encodeURIComponent(id)}/checkouts`, codeBody(code, at), {
    idempotencyKey: newIdempotencyKey(),
  });

// organisers (office, admin)
export const createActivity = (body: CreateActivity, opts?: { silent?: boolean }) =>
  api.post<ActivityView>('/api/v1/activities', body, opts);
export const listAllActivities = async () =>
  (await api.get<{ items: ActivityView[] }>('/api/v1/activities?limit=100&includeCancelled=true')).items;
export const rosterOf = (id: string) => api.get<RosterView>(`/api/v1/activities/${encodeURIComponent(id)}/signups`);
export const cancelActivity = (id: string) =>
  api.patch<ActivityView>(`/api/v1/activities/${encodeURIComponent(id)}`, { status: 'cancelled' });

/** "12月05日 09:00" */
export function when(iso: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]}月${m[2]}日 ${m[3]}` : iso;
}

/** "12月05日 09:00-12:00" (the end's date is shown only when it differs) */
export function span(a: Pick<ActivityView, 'startAt' | 'endAt'>): string {
  const sameDay = a.startAt.slice(0, 10) === a.endAt.slice(0, 10);
  return `${when(a.startAt)} - ${sameDay ? a.endAt.slice(11, 16) : when(a.endAt)}`;
}

export function seatsText(a: ActivityView): string {
  if (a.status === 'cancelled') return '已取消';
  if (!a.signupOpen) return '报名已截止';
  return a.seatsLeft > 0 ? `余 ${a.seatsLeft} 个名额` : `已满 · 候补 ${a.waitlistCount} 人`;
}

export function myStatusText(a: ActivityView): string {
  if (!a.my) return '';
  if (a.my.status === 'waitlisted') return `候补第 ${a.my.position} 位`;
  if (a.my.checkedOutAt) return `已签退 · ${a.my.hours ?? 0} 小时`;
  if (a.my.checkedInAt) return '已签到';
  return '已报名';
}

/**
 * WGS-84 (browser geolocation) → GCJ-02 (WeChat's and the activities' coordinates): the offset is
 * a few hundred metres in China, more than enough to fail a location check near its radius.
 */
export function wgs84ToGcj02(lat: number, lng: number): { lat: number; lng: number } {
  const a = 6378245.0;
  const ee = 0.006693421622965943;
  const tLat = (x: number, y: number) =>
    -100 +
    2 * x +
    3 * y +
    0.2 * y * y +
    0.1 * x * y +
    0.2 * Math.sqrt(Math.abs(x)) +
    ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3 +
    ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3 +
    ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  const tLng = (x: number, y: number) =>
    300 +
    x +
    2 * y +
    0.1 * x * x +
    0.1 * x * y +
    0.1 * Math.sqrt(Math.abs(x)) +
    ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3 +
    ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3 +
    ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  const dLat0 = tLat(lng - 105, lat - 35);
  const dLng0 = tLng(lng - 105, lat - 35);
  const rad = (lat / 180) * Math.PI;
  const magic = 1 - ee * Math.sin(rad) ** 2;
  const sq = Math.sqrt(magic);
  const dLat = (dLat0 * 180) / (((a * (1 - ee)) / (magic * sq)) * Math.PI);
  const dLng = (dLng0 * 180) / ((a / sq) * Math.cos(rad) * Math.PI);
  return { lat: lat + dLat, lng: lng + dLng };
}

/** The phone's position in GCJ-02, or undefined when the browser cannot or may not tell. */
export function currentPosition(timeoutMs = 8000): Promise<{ lat: number; lng: number } | undefined> {
  if (!('geolocation' in navigator)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve(wgs84ToGcj02(p.coords.latitude, p.coords.longitude)),
      () => resolve(undefined),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

/** The street a community belongs to (activities "near" a resident are those of their street). */
export async function streetOf(communityCode: string | null | undefined): Promise<{ code: string; name: string } | undefined> {
  if (!communityCode) return undefined;
  const { loadRegions } = await import('../../regions');
  const find = (
    nodes: Awaited<ReturnType<typeof loadRegions>>,
    parent?: { code: string; name: string },
  ): { code: string; name: string } | undefined => {
    for (const n of nodes) {
      if (n.code === communityCode) return parent;
      const hit = find(n.children, n.level === 'street' ? { code: n.code, name: n.name } : parent);
      if (hit) return hit;
    }
    return undefined;
  };
  return find(await loadRegions());
}
