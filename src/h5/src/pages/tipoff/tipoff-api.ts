import { api } from '../../api';
import { formatDue } from '../../format';
import type { TipoffCategory, Unit } from '../../../../modules/catalog/catalog.schema';
import type { NearestPlace } from '../../../../modules/regions/regions.schema';
import type { BulkInput, BulkResult, TipoffList, TipoffStatus, TipoffView, TriagePage } from '../../../../modules/tipoffs/tipoffs.schema';

/** The 随手拍 pages' calls to the API (types from the service's own schemas). */
export type { BulkInput, BulkResult, NearestPlace, TipoffCategory, TipoffList, TipoffStatus, TipoffView, TriagePage, Unit };
export type TipoffAction = NonNullable<TipoffView['allowedActions']>[number];

let categories: Promise<TipoffCategory[]> | undefined;
export const loadCategories = () =>
  (categories ??= api.get<TipoffCategory[]>('/api/v1/tipoff-categories').catch((e) => ((categories = undefined), Promise.reject(e))));
let units: Promise<Unit[]> | undefined;
export const loadUnits = () => (units ??= api.get<Unit[]>('/api/v1/units').catch((e) => ((units = undefined), Promise.reject(e))));

/** Submits the report (multipart with the photos); the key makes a double tap or a retry create one tip-off. */
export const submitTipoff = (form: FormData, idempotencyKey: string) => api.post<TipoffView>('/api/v1/tipoffs', form, { idempotencyKey });

export const myTipoffs = (cursor?: string | null) =>
  api.get<TipoffList>(`/api/v1/tipoffs/mine?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
export const getTipoff = (id: string) => api.get<TipoffView>(`/api/v1/tipoffs/${encodeURIComponent(id)}`);

export function staffTipoffs(query: Record<string, string | undefined>, cursor?: string | null): Promise<TipoffList> {
  const q = new URLSearchParams({ limit: '20' });
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  if (cursor) q.set('cursor', cursor);
  return api.get<TipoffList>(`/api/v1/tipoffs?${q}`);
}

/** A workflow action: JSON, or a form when it carries photos (rectify). */
export const act = (id: string, body: FormData | Record<string, unknown>) =>
  api.post<TipoffView>(`/api/v1/tipoffs/${encodeURIComponent(id)}/transitions`, body);

export const actionLabels: Record<TipoffAction, string> = {
  accept: '受理',
  reject: '不予受理',
  merge: '合并重复',
  assign: '改派单位',
  rectify: '提交整改',
  close: '办结',
  reopen: '退回重新整改',
  'request-return': '申请退回',
  'request-extension': '申请延期',
  'approve-request': '同意申请',
  'refuse-request': '不同意申请',
};

/** The triage table's filters (GET /api/v1/tipoffs/triage); empty strings are left out. */
export interface TriageFilters {
  q: string;
  status: string;
  category: string;
  region: string;
  unit: string;
  overdue: boolean;
  sort: 'newest' | 'oldest' | 'deadline';
  page: number;
  pageSize: number;
}
function triageParams(f: Omit<TriageFilters, 'page' | 'pageSize'> & Partial<Pick<TriageFilters, 'page' | 'pageSize'>>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== '' && v !== false && v !== undefined) q.set(k, String(v));
  return q;
}
export const triagePage = (f: TriageFilters) => api.get<TriagePage>(`/api/v1/tipoffs/triage?${triageParams(f)}`);
export const bulkAct = (body: BulkInput) => api.post<BulkResult>('/api/v1/tipoffs/triage/bulk', body);
/** The export's link (the session cookie goes with it): the selection when there is one, else the filter. */
export function triageExportUrl(format: 'csv' | 'xlsx', f: TriageFilters, ids: string[]): string {
  const { page: _p, pageSize: _s, ...rest } = f;
  const q = ids.length ? new URLSearchParams({ ids: ids.join(',') }) : triageParams(rest);
  return `/api/v1/tipoffs/triage/export.${format}?${q}`;
}

export function statusTag(status: TipoffStatus): 'primary' | 'success' | 'warning' | 'danger' | 'default' {
  if (status === 'submitted') return 'warning';
  if (status === 'assigned' || status === 'accepted') return 'primary';
  if (status === 'rectified' || status === 'closed') return 'success';
  return 'default';
}

/** 11-22 18:30 (times come from the API with +08:00; shown as Beijing time whatever the phone's zone). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "剩余 3 小时" / "已超期 46 天 16 小时" for a deadline (the server's formatter, read now). */
export function dueText(t: Pick<TipoffView, 'deadlineAt'>): string {
  return t.deadlineAt ? formatDue(Date.parse(t.deadlineAt), Date.now()) : '';
}

/** The community, street and distance of a located point (GCJ-02); rejects with 404 outside the city. */
export const nearestPlace = (p: { lat: number; lng: number }) =>
  api.get<NearestPlace>(`/api/v1/regions/nearest?lat=${p.lat}&lng=${p.lng}`, { silent: true });

/** "距 望湖社区（文昌街道）约 320 米": a place a resident knows, never raw coordinates. */
export function placeName(p: NearestPlace): string {
  const m = p.distanceMeters;
  const far = m >= 1000 ? `${(m / 1000).toFixed(1)} 公里` : `${Math.max(m, 10)} 米`;
  return `距 ${p.community.name}${p.street ? `（${p.street.name}）` : ''}约 ${far}`;
}

export const placeText = (t: TipoffView) => [t.location.address, t.place ? placeName(t.place) : t.regionName].filter(Boolean).join(' · ');

/** The location line for staff, as a place (never raw coordinates): how exact the point is, and where. */
export function locationNote(t: TipoffView): string {
  const { lat, lng, source } = t.location;
  if (source === 'community') return '居民在聊天中手动选择了社区，位置为社区中心（非精确位置）';
  if (lat == null || lng == null) return '无定位（城市系统只给了地址）';
  return t.place ? `定位点${placeName(t.place)}` : '定位点在本市范围外';
}
