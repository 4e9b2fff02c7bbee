import { Schema } from 'mongoose';
import { defineModel } from '../../core/db/model';
import { bucketsOfDay } from '../../core/time';
import { counterIds } from './counter-keys';
import type { ParticipationKind } from './stats.model';

/** The earliest act of a resident on a day: [at ms, participation _id, region key]. */
export type DayMark = [number, string, string];
/** A resident's participation days in one scope (a kind, or 'all'). */
export type Days = Record<string, DayMark>;
export type Scope = ParticipationKind | 'all';
export type Effect = [string, string, number];

/**
 * One document per resident: d[scope][day] = DayMark. It keeps the `gap:` counters and the region
 * attribution of the `who:` counters exact when acts arrive out of order (a late act that is the
 * earliest of its bucket moves the resident to that act's community, as the rebuild would count it).
 */
export const ResidentDays = defineModel(
  'ResidentDays',
  'stat_resident_days',
  { _id: String, d: { type: Schema.Types.Mixed, default: {} } },
  { minimize: false },
);

const DAY_MS = 86_400_000;
export const dayDiff = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
export const gapKey = (day: string, prev: string | undefined): string => (prev ? `g${dayDiff(prev, day)}` : 'n');
const earlier = (a: DayMark, b: DayMark) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

export const gapEffect = (scope: Scope, region: string, day: string, prev: string | undefined, sign: number): Effect => [
  counterIds.gaps(scope, region, day.slice(0, 4)),
  `${day}.${gapKey(day, prev)}`,
  sign,
];

/** The who: counter cell of a bucket, filed (like participationEffects) under the year of the act's day. */
export const whoEffect = (scope: Scope, bucket: string, region: string, day: string, sign: number): Effect =>
  bucket === 'all'
    ? [counterIds.participantsAll(scope, region), 'all', sign]
    : [counterIds.participants(scope, region, day.slice(0, 4)), bucket, sign];

function neighbours(days: Days, day: string): { prev?: string; next?: string } {
  let prev: string | undefined;
  let next: string | undefined;
  for (const d of Object.keys(days)) {
    if (d < day && (!prev || d > prev)) prev = d;
    if (d > day && (!next || d < next)) next = d;
  }
  return { prev, next };
}

/** The day holding the earliest act of a bucket (days of a bucket: the day's own bucket keys). */
function earliestDayOf(days: Days, bucket: string): string | undefined {
  let best: string | undefined;
  for (const d of Object.keys(days)) if (bucketsOfDay(d).includes(bucket) && (!best || d < best)) best = d;
  return best;
}

/**
 * Adds one act to a resident's days of a scope (mutating `days`) and returns the counter deltas:
 * - gap: a new day adds its entry and re-keys the next day's gap; an earlier act on a known day
 *   moves that day's entry to the act's region;
 * - who: for each bucket already counted (marker not fresh), when this act becomes the bucket's
 *   earliest in another region, the resident moves there. Fresh buckets are counted by the markers.
 * `changed` says whether `days[day]` must be stored.
 */
export function addAct(
  scope: Scope,
  days: Days,
  day: string,
  mark: DayMark,
  freshBucket: (bucket: string) => boolean,
): { effects: Effect[]; changed: boolean } {
  const cur = days[day];
  if (cur && !earlier(mark, cur)) return { effects: [], changed: false };
  const buckets = bucketsOfDay(day).filter((b) => !freshBucket(b));
  const before = new Map(
    buckets.map((b) => [b, earliestDayOf(days, b)] as const).map(([b, d]) => [b, d ? ([d, days[d]!] as const) : undefined]),
  );
  const { prev, next } = neighbours(days, day);
  const effects: Effect[] = [];
  days[day] = mark;
  if (cur) {
    if (cur[2] !== mark[2]) effects.push(gapEffect(scope, cur[2], day, prev, -1), gapEffect(scope, mark[2], day, prev, 1));
  } else {
    effects.push(gapEffect(scope, mark[2], day, prev, 1));
    if (next) {
      const r = days[next]![2];
      effects.push(gapEffect(scope, r, next, prev, -1), gapEffect(scope, r, next, day, 1));
    }
  }
  for (const [bucket, was] of before) {
    // Unknown here though counted (another process, or data older than these documents): the
    // nightly reconciliation settles it. Otherwise the act is the bucket's earliest iff its day is
    // not after the old earliest's; it moves the resident's cell if community or year differs.
    if (!was || was[0] < day) continue;
    const out = whoEffect(scope, bucket, was[1][2], was[0], -1);
    const into = whoEffect(scope, bucket, mark[2], day, 1);
    if (out[0] !== into[0]) effects.push(out, into);
  }
  return { effects, changed: true };
}

/** The gap entries of complete days of one scope (what the rebuild emits). */
export function gapEntries(scope: Scope, days: Days): Effect[] {
  const sorted = Object.keys(days).sort();
  return sorted.map((day, i) => gapEffect(scope, days[day]![2], day, sorted[i - 1], 1));
}

export async function loadDays(residentId: string): Promise<Record<string, Days>> {
  const doc = await ResidentDays.findById(residentId).lean<{ d?: Record<string, Days> }>();
  return doc?.d ?? {};
}

/**
 * Adds an act to the resident's days in its kind and in 'all', stores what changed and returns the
 * counter deltas. The caller serializes per resident (read-modify-write) and queues the deltas only
 * after this write, so a failed write moves no counter.
 */
export async function storeDay(
  residentId: string,
  kind: ParticipationKind,
  day: string,
  mark: DayMark,
  all: Record<string, Days>,
  freshBucket: (scope: Scope, bucket: string) => boolean,
): Promise<Effect[]> {
  const set: Record<string, DayMark> = {};
  const effects: Effect[] = [];
  for (const scope of ['all', kind] as const) {
    const r = addAct(scope, { ...(all[scope] ?? {}) }, day, mark, (b) => freshBucket(scope, b));
    if (r.changed) set[`d.${scope}.${day}`] = mark;
    effects.push(...r.effects);
  }
  if (Object.keys(set).length) await ResidentDays.updateOne({ _id: residentId }, { $set: set }, { upsert: true });
  return effects;
}
