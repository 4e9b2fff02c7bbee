import { trusted } from 'mongoose';
import { keysetPage, readExisting } from '../../core/store';
import type { StaffPrincipal } from '../../core/auth';
import { forbidden } from '../../core/errors';
import { addDays, dayKey, now } from '../../core/time';
import { getRegion, regionLabel } from '../regions/regions.service';
import { OpenTipoff, Tipoff, TipoffDay, TipoffMine, type OpenTipoffDoc, type TipoffDoc } from './tipoffs.model';
import { presentTipoffs } from './tipoffs.present';
import type { ListQuery, TipoffList, TipoffStatus } from './tipoffs.schema';
import { serialized } from './tipoffs.serial';
import { isActive, isOverdue, staffMaySee, UNIT_VISIBLE_STATUSES } from './tipoffs.workflow';

/*
 * Lists without whole-collection scans on the hot paths (docs/embedded-database.md):
 * - "my tip-offs": one point read of the resident's id list (tipoff_mine), then the page's tip-offs by _id;
 * - the queues (unfinished statuses, overdue): a scan of tipoff_open only, which holds the unfinished
 *   tip-offs and nothing else, so it stays as small as the work in hand;
 * - the archive (finished statuses, or no status filter): a filtered, indexed query of tipoffs — cheap on
 *   MongoDB, a scan on the embedded FerretDB; it is the office browsing history, not a queue.
 */

/** Keeps a tip-off's entry in tipoff_open in step with its status (only the transition winner calls this). */
export async function syncOpenIndex(doc: TipoffDoc): Promise<void> {
  if (!isActive(doc.status)) {
    await OpenTipoff.deleteOne({ _id: doc._id });
    mirrorWrite(doc._id, null);
    return;
  }
  const entry = {
    _id: doc._id,
    status: doc.status,
    categoryCode: doc.categoryCode,
    regionPath: doc.regionPath,
    unitCode: doc.unitCode,
    createdAt: doc.createdAt,
    deadlineAt: doc.deadlineAt ?? null,
  };
  await OpenTipoff.replaceOne({ _id: doc._id }, entry, { upsert: true });
  mirrorWrite(doc._id, entry as OpenTipoffDoc);
}

/*
 * The triage table's copy of tipoff_open, in memory. Scanning the collection costs what the backlog
 * is (5,000 entries: seconds on a loaded FerretDB), so a request never waits for it after the first:
 * - this process's own changes are written through at once (syncOpenIndex), so what one does is seen;
 * - other processes' changes arrive by a re-read of the whole collection, started in the background by
 *   a request that finds the copy older than OPEN_REFRESH_MS, while that request is served the copy
 *   it has. The embedded database serves one process, so there the copy is exact; the re-read is
 *   for clusters on MongoDB, where it is cheap. Not more often: on a loaded FerretDB a re-read of
 *   5,000 entries takes seconds of the database's time, and every 2 s it halved the table's throughput.
 * Writes made while a re-read runs are recorded and applied again over its result.
 */
export const OPEN_REFRESH_MS = 10_000;
let mirror: Map<string, OpenTipoffDoc> | undefined;
let mirrorAt = 0;
let refreshing: Promise<void> | undefined;
let duringRefresh: Map<string, OpenTipoffDoc | null> | undefined;

function mirrorWrite(id: string, entry: OpenTipoffDoc | null): void {
  duringRefresh?.set(id, entry);
  if (!mirror) return;
  if (entry) mirror.set(id, entry);
  else mirror.delete(id);
}

function refreshMirror(): Promise<void> {
  refreshing ??= (async () => {
    const writes = new Map<string, OpenTipoffDoc | null>();
    duringRefresh = writes;
    try {
      const rows = await OpenTipoff.find({}).lean<OpenTipoffDoc[]>();
      const fresh = new Map(rows.map((r) => [r._id, r]));
      for (const [id, entry] of writes)
        if (entry) fresh.set(id, entry);
        else fresh.delete(id);
      mirror = fresh;
      mirrorAt = Date.now();
    } finally {
      duringRefresh = undefined;
      refreshing = undefined;
    }
  })();
  return refreshing;
}

/** The unfinished tip-offs (see above); the rows are shared: callers must not change them. */
export async function openQueueRows(): Promise<readonly OpenTipoffDoc[]> {
  if (!mirror) await refreshMirror();
  else if (Date.now() - mirrorAt >= OPEN_REFRESH_MS) void refreshMirror().catch(() => undefined); // the next request tries again
  return [...mirror!.values()];
}

/** Text search reads the day documents of this many days back (tipoffs.triage.ts). */
export const TEXT_WINDOW_DAYS = 30;

/** What the search looks in: number, description, address and place, lower-cased. */
export function searchText(doc: Pick<TipoffDoc, '_id' | 'description' | 'location' | 'regionCode'>): string {
  return [doc._id, doc.description, doc.location?.address ?? '', doc.regionCode ? regionLabel(doc.regionCode) : '']
    .join(' ')
    .toLowerCase()
    .slice(0, 800);
}

/** Adds a new tip-off to its day's search document (one writer per day document per process). */
export async function indexForSearch(doc: TipoffDoc): Promise<void> {
  const _id = dayKey(doc.createdAt);
  await serialized(`day:${_id}`, () =>
    TipoffDay.updateOne({ _id }, { $push: { items: { id: doc._id, text: searchText(doc) } } }, { upsert: true }),
  );
}

export async function addToMine(residentId: string, tipoffId: string): Promise<void> {
  await serialized(`mine:${residentId}`, () => TipoffMine.updateOne({ _id: residentId }, { $push: { ids: tipoffId } }, { upsert: true }));
}

/** Tip-offs by _id, in the given order, skipping any that vanished (parallel point reads, never $in). */
export const byIds = (ids: string[]): Promise<TipoffDoc[]> => readExisting<TipoffDoc>(Tipoff, ids);

export async function listMyTipoffs(residentId: string, page: { limit: number; cursor?: string }): Promise<TipoffList> {
  const index = await TipoffMine.findById(residentId).lean<{ ids: string[] }>();
  const ids = [...(index?.ids ?? [])].reverse();
  const start = page.cursor ? ids.indexOf(page.cursor) + 1 : 0;
  const slice = ids.slice(start, start + page.limit);
  const docs = (await byIds(slice)).filter((d) => d.reporterId === residentId);
  const more = start + page.limit < ids.length;
  return { items: await presentTipoffs(docs, { kind: 'reporter' }), nextCursor: more && slice.length ? slice[slice.length - 1]! : null };
}

interface Filters {
  status?: TipoffStatus;
  categoryCode?: string;
  unitCode?: string;
  region?: string;
}

function equalityFilter(f: Filters): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (f.status) q.status = f.status;
  if (f.categoryCode) q.categoryCode = f.categoryCode;
  if (f.unitCode) q.unitCode = f.unitCode;
  if (f.region) q.regionPath = f.region;
  return q;
}

const BIG = Number.MAX_SAFE_INTEGER;
type Keyed = { key: number; id: string };
/** Sort by key then id (ascending key for deadlines, descending for newest). */
const cmp = (asc: boolean) => (a: Keyed, b: Keyed) =>
  a.key !== b.key ? (asc ? a.key - b.key : b.key - a.key) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

function parseCursor(cursor?: string): Keyed | undefined {
  const m = cursor?.match(/^(\d{1,16})_([\w-]{1,40})$/);
  return m ? { key: Number(m[1]), id: m[2]! } : undefined;
}

/** A page of the unfinished tip-offs (tipoff_open), filtered, sorted and cut in memory. */
async function openPage(f: Filters, q: ListQuery, unitOnly: boolean): Promise<{ docs: TipoffDoc[]; nextCursor: string | null }> {
  const at = now();
  const rows = await OpenTipoff.find(equalityFilter(f)).lean<OpenTipoffDoc[]>();
  const asc = q.sort === 'deadline';
  const keyed = rows
    .filter((r) => !unitOnly || UNIT_VISIBLE_STATUSES.includes(r.status as TipoffStatus))
    .filter((r) => !q.overdue || isOverdue(r, at))
    .map((r) => ({ key: asc ? (r.deadlineAt?.getTime() ?? BIG) : r.createdAt.getTime(), id: r._id }))
    .sort(cmp(asc));
  const after = parseCursor(q.cursor);
  const rest = after ? keyed.filter((k) => cmp(asc)(k, after) > 0) : keyed;
  const page = rest.slice(0, q.limit);
  const last = page[page.length - 1];
  return { docs: await byIds(page.map((k) => k.id)), nextCursor: rest.length > q.limit && last ? `${last.key}_${last.id}` : null };
}

/** A page of any tip-offs, newest first, from the tipoffs collection (indexed on MongoDB). */
async function archivePage(f: Filters, q: ListQuery, unitOnly: boolean): Promise<{ docs: TipoffDoc[]; nextCursor: string | null }> {
  const filter = equalityFilter(f);
  // Operators are built here from parsed values, never taken from the client: trusted past sanitizeFilter.
  if (!f.status && unitOnly) filter.status = trusted({ $in: [...UNIT_VISIBLE_STATUSES] });
  const { items, nextCursor } = await keysetPage<TipoffDoc>(Tipoff, { filter, by: 'createdAt', limit: q.limit, cursor: q.cursor });
  return { docs: items, nextCursor };
}

/** The staff list: a unit sees its own unit's tip-offs only; the office filters by anything. */
export async function listTipoffs(staff: StaffPrincipal, q: ListQuery): Promise<TipoffList> {
  const unitOnly = staff.role === 'unit';
  if (unitOnly && q.unit && q.unit !== staff.unitCode) throw forbidden('只能查看本单位的随手拍');
  if (unitOnly && q.status && q.status !== 'open' && !UNIT_VISIBLE_STATUSES.includes(q.status)) return { items: [], nextCursor: null };
  const f: Filters = {
    status: q.status && q.status !== 'open' ? q.status : undefined,
    categoryCode: q.category,
    unitCode: unitOnly ? staff.unitCode : q.unit,
    region: q.region ? getRegion(q.region).code : undefined,
  };
  // Unfinished statuses, overdue and deadline order come from the bounded queue; the rest from the archive.
  const finished = q.status !== undefined && q.status !== 'open' && !isActive(q.status);
  const queue = !finished && (q.status !== undefined || Boolean(q.overdue) || q.sort === 'deadline');
  const { docs, nextCursor } = queue ? await openPage(f, q, unitOnly) : await archivePage(f, q, unitOnly);
  const visible = docs.filter((d) => staffMaySee(d, staff));
  return { items: await presentTipoffs(visible, { kind: 'staff', staff }), nextCursor };
}

/**
 * Rebuilds tipoff_open and tipoff_mine from the tipoffs themselves (a job; a crash between a tip-off's
 * insert and its index writes leaves it out of a list until then). Scans: never on a request path.
 */
export async function rebuildTipoffIndexes(): Promise<{ open: number; residents: number; removed: number; days: number }> {
  const all = await Tipoff.find(
    {},
    {
      status: 1,
      categoryCode: 1,
      regionPath: 1,
      unitCode: 1,
      createdAt: 1,
      deadlineAt: 1,
      reporterId: 1,
      description: 1,
      location: 1,
      regionCode: 1,
    },
  )
    .sort({ createdAt: 1 })
    .lean<TipoffDoc[]>();
  const active = all.filter((d) => isActive(d.status));
  await Promise.all(active.map((d) => syncOpenIndex(d)));
  const keep = new Set(active.map((d) => d._id));
  const stale = (await OpenTipoff.find({}, { _id: 1 }).lean<{ _id: string }[]>()).filter((o) => !keep.has(o._id));
  await Promise.all(stale.map(async (o) => (await OpenTipoff.deleteOne({ _id: o._id }), mirrorWrite(o._id, null))));
  const mine = new Map<string, string[]>();
  for (const d of all) if (d.reporterId) mine.set(d.reporterId, [...(mine.get(d.reporterId) ?? []), d._id]);
  await Promise.all(
    [...mine].map(([rid, ids]) =>
      serialized(`mine:${rid}`, () => TipoffMine.updateOne({ _id: rid }, { $addToSet: { ids: { $each: ids } } }, { upsert: true })),
    ),
  );
  // The search days: only those the text search still reads; an entry already there is left as it is.
  const oldest = addDays(dayKey(now()), -TEXT_WINDOW_DAYS);
  const days = new Map<string, TipoffDoc[]>();
  for (const d of all) if (dayKey(d.createdAt) >= oldest) days.set(dayKey(d.createdAt), [...(days.get(dayKey(d.createdAt)) ?? []), d]);
  for (const [day, docs] of days) await repairSearchDay(day, docs);
  return { open: active.length, residents: mine.size, removed: stale.length, days: days.size };
}

/** Adds to a day's search document the tip-offs it lacks (by number: a changed text is not a duplicate). */
async function repairSearchDay(day: string, docs: TipoffDoc[]): Promise<void> {
  await serialized(`day:${day}`, async () => {
    const have = new Set(((await TipoffDay.findById(day).lean<{ items: Array<{ id: string }> }>())?.items ?? []).map((i) => i.id));
    const missing = docs.filter((d) => !have.has(d._id)).map((d) => ({ id: d._id, text: searchText(d) }));
    if (missing.length) await TipoffDay.updateOne({ _id: day }, { $push: { items: { $each: missing } } }, { upsert: true });
  });
}
