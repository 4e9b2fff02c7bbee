import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { config } from '../../config';
import { AppError, notFound } from '../../core/errors';
import { isoLocal, now, startOfDay, addDays } from '../../core/time';
import { findRegion, getRegion, regionLabel, regionPath } from '../regions/regions.service';
import { Activity, type ActivityDoc } from './volunteers.model';
import type { ActivityQuery, CreateActivity, UpdateActivity } from './volunteers.schema';

export type { ActivityDoc };

/**
 * Activities are few (a city runs tens to a few hundred a year), so they are held in memory: the
 * list, "nearby" and check-in-code lookups never touch the database. The cache is per process:
 * this process updates it on every write; another process's writes reach it by a reload (one
 * scan of the small `activities` collection) at most CACHE_TTL_MS later, or at once for a lookup
 * by id or code that misses.
 */
const CACHE_TTL_MS = 30_000;
const CODE_RELOAD_MS = 5_000;
let byId = new Map<string, ActivityDoc>();
let loadedAt = 0;

export async function loadActivities(): Promise<void> {
  const docs = await Activity.find().lean<ActivityDoc[]>();
  byId = new Map(docs.map((d) => [d._id, d]));
  loadedAt = Date.now();
}

async function fresh(): Promise<Map<string, ActivityDoc>> {
  if (Date.now() - loadedAt > CACHE_TTL_MS) await loadActivities();
  return byId;
}

export async function getActivity(id: string): Promise<ActivityDoc> {
  const hit = byId.get(id);
  if (hit) return hit;
  const doc = await Activity.findById(id).lean<ActivityDoc>();
  if (!doc) throw notFound('活动');
  byId.set(doc._id, doc);
  return doc;
}

/** The open activity whose check-in code this is (codes are unique among activities not yet over). */
export async function activityByCode(code: string): Promise<ActivityDoc | undefined> {
  const find = (m: Map<string, ActivityDoc>) =>
    [...m.values()].filter((a) => a.checkinCode === code).sort((a, b) => b.startAt.getTime() - a.startAt.getTime())[0];
  const hit = find(byId);
  // A miss may be an activity another process created: reload, at most every few seconds (a
  // mistyped code must not turn into a scan per message).
  if (hit || Date.now() - loadedAt < CODE_RELOAD_MS) return hit;
  await loadActivities();
  return find(byId);
}

/** A random 6-digit code not used by any activity that has not ended. */
function newCheckinCode(): string {
  const t = now().getTime();
  const used = new Set([...byId.values()].filter((a) => a.endAt.getTime() > t - 86_400_000).map((a) => a.checkinCode));
  for (;;) {
    const code = String(crypto.randomInt(100_000, 1_000_000));
    if (!used.has(code)) return code;
  }
}

function defaultOrganizer(regionCode: string): string {
  const r = getRegion(regionCode);
  const suffix = { community: '居民委员会', street: '街道办事处', district: '文明办', city: '文明办' }[r.level];
  return `${r.name}${suffix}`;
}

function checkLocation(a: { location?: { lat?: number | null; lng?: number | null } | null; requireLocation?: boolean | null }): void {
  if (a.requireLocation && a.location?.lat == null)
    throw new AppError('VALIDATION_FAILED', '要求定位签到的活动必须设置活动地点坐标', [
      { path: 'location', message: '请设置活动地点坐标' },
    ]);
}

export async function createActivity(input: CreateActivity, staffId: string): Promise<ActivityDoc> {
  if (!findRegion(input.regionCode))
    throw new AppError('VALIDATION_FAILED', `区域编码 ${input.regionCode} 不存在`, [{ path: 'regionCode', message: '请选择区域' }]);
  checkLocation(input);
  await fresh();
  const at = now();
  const doc: ActivityDoc = {
    _id: new Types.ObjectId().toHexString(),
    title: input.title,
    description: input.description,
    startAt: new Date(input.startAt),
    endAt: new Date(input.endAt),
    regionCode: input.regionCode,
    address: input.address,
    location: input.location ?? null,
    requireLocation: input.requireLocation ?? false,
    capacity: input.capacity,
    skills: input.skills ?? [],
    organizer: input.organizer ?? defaultOrganizer(input.regionCode),
    contact: input.contact ?? null,
    checkinCode: newCheckinCode(),
    status: 'open',
    createdBy: staffId,
    createdAt: at,
    updatedAt: at,
  };
  await Activity.create(doc);
  byId.set(doc._id, doc);
  return doc;
}

/**
 * Office edits (not capacity, which the roster log carries: see signups.service.ts). Two office
 * users editing one activity at once: the later replace wins, which is what an editor expects.
 */
export async function updateActivity(id: string, patch: Omit<UpdateActivity, 'capacity'>): Promise<ActivityDoc> {
  const current = await getActivity(id);
  if (patch.regionCode && !findRegion(patch.regionCode))
    throw new AppError('VALIDATION_FAILED', `区域编码 ${patch.regionCode} 不存在`, [{ path: 'regionCode', message: '请选择区域' }]);
  const next: ActivityDoc = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'startAt' && k !== 'endAt')),
    ...(patch.startAt ? { startAt: new Date(patch.startAt) } : {}),
    ...(patch.endAt ? { endAt: new Date(patch.endAt) } : {}),
    updatedAt: now(),
  };
  if (next.endAt <= next.startAt)
    throw new AppError('VALIDATION_FAILED', '结束时间必须晚于开始时间', [{ path: 'endAt', message: '结束时间必须晚于开始时间' }]);
  checkLocation(next);
  await Activity.replaceOne({ _id: id }, next);
  byId.set(id, next);
  return next;
}

/** Every activity, cancelled and past ones too (the console's table). */
export const allActivities = async (): Promise<ActivityDoc[]> => [...(await fresh()).values()];

/** Whether an activity belongs to a region (the region itself or any level above the activity's). */
export const inRegion = (a: ActivityDoc, region: string): boolean => regionPath(a.regionCode).some((r) => r.code === region);

/**
 * Activities by region (including descendants) and time. With from/to (dates, inclusive), those
 * overlapping that period; without, those not yet ended. Sorted by start; cursor = index.
 */
export async function listActivities(
  q: ActivityQuery,
  opts: { includeCancelled?: boolean } = {},
): Promise<{ items: ActivityDoc[]; nextCursor: string | null }> {
  if (q.region) getRegion(q.region);
  const t = now();
  const from = q.from ? startOfDay(q.from) : q.to ? new Date(0) : t;
  const to = q.to ? startOfDay(addDays(q.to, 1)) : new Date(8.64e15);
  const all = [...(await fresh()).values()]
    .filter(
      (a) =>
        (opts.includeCancelled || a.status !== 'cancelled') && a.endAt > from && a.startAt < to && (!q.region || inRegion(a, q.region)),
    )
    .sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || (a._id < b._id ? -1 : 1));
  const start = q.cursor && /^\d{1,6}$/.test(q.cursor) ? Number(q.cursor) : 0;
  const items = all.slice(start, start + q.limit);
  return { items, nextCursor: start + q.limit < all.length ? String(start + q.limit) : null };
}

/**
 * Upcoming activities near a resident: in their street (any community of it) or organised above
 * it (their district or the city); everything upcoming when they have no community yet.
 */
export async function nearbyActivities(regionCode: string | null | undefined, limit = 10): Promise<ActivityDoc[]> {
  const t = now();
  const path = regionCode ? regionPath(regionCode) : [];
  const street = path.find((r) => r.level === 'street');
  const above = new Set(path.filter((r) => r.level === 'district' || r.level === 'city').map((r) => r.code));
  return [...(await fresh()).values()]
    .filter((a) => a.status === 'open' && a.endAt > t)
    .filter((a) => !regionCode || (street && inRegion(a, street.code)) || above.has(a.regionCode))
    .sort((a, b) => a.startAt.getTime() - b.startAt.getTime())
    .slice(0, limit);
}

/** Activities starting in (from, to]: the reminder job's view. */
export async function activitiesStartingBetween(from: Date, to: Date): Promise<ActivityDoc[]> {
  return [...(await fresh()).values()].filter((a) => a.status === 'open' && a.startAt > from && a.startAt <= to);
}

export const signupOpen = (a: ActivityDoc, at = now()): boolean => a.status === 'open' && at < a.startAt;

/** The URL in the organiser's QR code: opens the H5 check-in page with the code filled in. */
export function checkinUrl(a: ActivityDoc, origin?: string): string {
  const base = (config().PUBLIC_URL ?? origin ?? `http://localhost:${config().PORT}`).replace(/\/+$/, '');
  return `${base}/h5/#/volunteer/checkin?activity=${a._id}&code=${a.checkinCode}`;
}

export const activityPlace = (a: Pick<ActivityDoc, 'regionCode' | 'address'>): string => `${regionLabel(a.regionCode)} ${a.address}`;

export const timeRange = (a: Pick<ActivityDoc, 'startAt' | 'endAt'>): { startAt: string; endAt: string } => ({
  startAt: isoLocal(a.startAt),
  endAt: isoLocal(a.endAt),
});
