import type { StaffPrincipal } from '../../core/auth';
import { forbidden } from '../../core/errors';
import { addDays, dayKey, now } from '../../core/time';
import { readByIds } from '../../core/store';
import { listCategories } from '../catalog/catalog.service';
import { getRegion } from '../regions/regions.service';
import { byIds, openQueueRows, TEXT_WINDOW_DAYS } from './tipoffs.lists';
import { Tipoff, TipoffDay, type DayDoc, type OpenTipoffDoc, type TipoffDoc } from './tipoffs.model';
import { presentTipoffs } from './tipoffs.present';
import { tipoffIdSchema, type TipoffStatus, type TriagePage, type TriageQuery } from './tipoffs.schema';
import { acceptDueFrom, isActive, isOverdue, staffMaySee, UNIT_VISIBLE_STATUSES } from './tipoffs.workflow';

/*
 * The triage table (docs/tipoffs.md, "Triage"). Every read is bounded and by `_id` where it can be:
 * - a number (编号) is the tip-off's `_id`: one point read;
 * - text: the day documents of the last TEXT_WINDOW_DAYS days (tipoff_days, by `_id`), then the
 *   matching tip-offs by `_id`, at most MAX_TEXT_MATCHES; the answer names the period searched;
 * - unfinished statuses and overdue: tipoff_open, the work in hand (its in-memory copy, openQueueRows),
 *   filtered, sorted and cut in memory; then the page's tip-offs by `_id`;
 * - finished statuses: the archive query of tipoffs (indexed on MongoDB), as the cursor list does.
 */
export const MAX_TEXT_MATCHES = 200;
/** An export holds at most this many rows (a selection is at most a page of 100). */
export const MAX_EXPORT_ROWS = 5000;

const acceptHours = (code: string) => listCategories().find((c) => c.code === code)?.acceptHours ?? 24;

/** Overdue in triage: past its 受理时限 while submitted, or past the unit's deadline while it runs. */
export function triageOverdue(r: Pick<OpenTipoffDoc, 'status' | 'createdAt' | 'deadlineAt' | 'categoryCode'>, at: Date): boolean {
  if (r.status === 'submitted') return acceptDueFrom(r.createdAt, acceptHours(r.categoryCode)).getTime() < at.getTime();
  return isOverdue(r, at);
}

/** The time a row is due: 受理时限 while submitted, the unit's deadline afterwards (none: last). */
function dueKey(r: Pick<OpenTipoffDoc, 'status' | 'createdAt' | 'deadlineAt' | 'categoryCode'>): number {
  if (r.status === 'submitted') return acceptDueFrom(r.createdAt, acceptHours(r.categoryCode)).getTime();
  return r.deadlineAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
}

interface Scope {
  statuses?: readonly TipoffStatus[];
  categoryCode?: string;
  unitCode?: string;
  region?: string;
  overdue?: boolean;
}

function scopeOf(staff: StaffPrincipal, q: TriageQuery): Scope {
  const unitOnly = staff.role === 'unit';
  if (unitOnly && q.unit && q.unit !== staff.unitCode) throw forbidden('只能查看本单位的随手拍');
  const status = q.status ?? 'open';
  const wanted = status === 'open' ? (['submitted', 'accepted', 'assigned', 'rectified'] as const) : [status];
  return {
    statuses: unitOnly ? wanted.filter((s) => UNIT_VISIBLE_STATUSES.includes(s)) : wanted,
    categoryCode: q.category,
    unitCode: unitOnly ? staff.unitCode : q.unit,
    region: q.region ? getRegion(q.region).code : undefined,
    overdue: q.overdue,
  };
}

type Row = Pick<TipoffDoc, '_id' | 'status' | 'categoryCode' | 'unitCode' | 'regionPath' | 'createdAt' | 'deadlineAt'>;
function matches(r: Row, s: Scope, at: Date): boolean {
  if (s.statuses && !s.statuses.includes(r.status)) return false;
  if (s.categoryCode && r.categoryCode !== s.categoryCode) return false;
  if (s.unitCode && r.unitCode !== s.unitCode) return false;
  if (s.region && !r.regionPath.includes(s.region)) return false;
  return !s.overdue || triageOverdue(r, at);
}

function order(sort: TriageQuery['sort']): (a: Row, b: Row) => number {
  const tie = (a: Row, b: Row) => (a._id < b._id ? 1 : a._id > b._id ? -1 : 0);
  if (sort === 'deadline') return (a, b) => dueKey(a) - dueKey(b) || tie(a, b);
  if (sort === 'oldest') return (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || -tie(a, b);
  return (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || tie(a, b);
}

type Found = { rows: Row[]; window: TriagePage['window']; truncated: boolean; source: TriagePage['source'] };

/** The text window: day documents of the last TEXT_WINDOW_DAYS days by `_id`, newest day first. */
async function textMatches(
  text: string,
  at: Date,
): Promise<{ ids: string[]; window: NonNullable<TriagePage['window']>; truncated: boolean }> {
  const today = dayKey(at);
  const days = Array.from({ length: TEXT_WINDOW_DAYS }, (_, i) => addDays(today, -i));
  const docs = await readByIds<DayDoc>(TipoffDay, days);
  const needle = text.toLowerCase();
  const ids: string[] = [];
  for (const doc of docs) for (const item of [...(doc?.items ?? [])].reverse()) if (item.text.includes(needle)) ids.push(item.id);
  const from = days[days.length - 1]!;
  const window = { from, to: today, days: TEXT_WINDOW_DAYS, text: `已搜索 ${from} 至 ${today}（最近 ${TEXT_WINDOW_DAYS} 天）提交的随手拍` };
  return { ids: ids.slice(0, MAX_TEXT_MATCHES), window, truncated: ids.length > MAX_TEXT_MATCHES };
}

async function find(staff: StaffPrincipal, q: TriageQuery, s: Scope, at: Date, limit: number): Promise<Found> {
  const text = q.q?.trim();
  if (text && tipoffIdSchema.safeParse(text.toUpperCase()).success) {
    const doc = await Tipoff.findById(text.toUpperCase()).lean<TipoffDoc>();
    const rows = doc && staffMaySee(doc, staff) ? [doc] : [];
    return { rows, window: null, truncated: false, source: 'number' };
  }
  if (text) {
    const { ids, window, truncated } = await textMatches(text, at);
    // Status and the rest are read from the tip-offs themselves (the day documents only hold text).
    const docs = (await byIds(ids)).filter(
      (d) => staffMaySee(d, staff) && matches(d, { ...s, statuses: q.status ? s.statuses : undefined }, at),
    );
    return { rows: docs, window, truncated, source: 'text' };
  }
  const finished = s.statuses?.length === 1 && !isActive(s.statuses[0]!);
  if (!finished) {
    const open = await openQueueRows();
    return { rows: open.filter((r) => matches(r, s, at)), window: null, truncated: false, source: 'queue' };
  }
  const filter: Record<string, unknown> = { status: s.statuses![0] };
  if (s.categoryCode) filter.categoryCode = s.categoryCode;
  if (s.unitCode) filter.unitCode = s.unitCode;
  if (s.region) filter.regionPath = s.region;
  const rows = await Tipoff.find(filter, { status: 1, categoryCode: 1, unitCode: 1, regionPath: 1, createdAt: 1, deadlineAt: 1 })
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit)
    .lean<Row[]>();
  return { rows, window: null, truncated: rows.length >= limit, source: 'archive' };
}

/** One page of the triage table, with the total and (text search) the period it covers. */
export async function triagePage(staff: StaffPrincipal, q: TriageQuery): Promise<TriagePage> {
  const at = now();
  const found = await find(staff, q, scopeOf(staff, q), at, MAX_EXPORT_ROWS);
  const sorted = found.rows.sort(order(q.sort));
  const start = (q.page - 1) * q.pageSize;
  const page = sorted.slice(start, start + q.pageSize);
  const docs = found.source === 'number' || found.source === 'text' ? (page as TipoffDoc[]) : await byIds(page.map((r) => r._id));
  const items = await presentTipoffs(docs, { kind: 'staff', staff });
  return {
    items,
    total: sorted.length,
    page: q.page,
    pageSize: q.pageSize,
    source: found.source,
    window: found.window,
    truncated: found.truncated,
  };
}

/** Every row of the filter (or the ids selected), for the CSV/XLSX export; at most MAX_EXPORT_ROWS. */
export async function triageRows(staff: StaffPrincipal, q: TriageQuery, ids?: string[]): Promise<TipoffDoc[]> {
  if (ids?.length) return (await byIds(ids)).filter((d) => staffMaySee(d, staff));
  const at = now();
  const found = await find(staff, q, scopeOf(staff, q), at, MAX_EXPORT_ROWS);
  const rows = found.rows.sort(order(q.sort)).slice(0, MAX_EXPORT_ROWS);
  return found.source === 'number' || found.source === 'text' ? (rows as TipoffDoc[]) : byIds(rows.map((r) => r._id));
}
