import { insertNew } from '../../core/db';
import { isDuplicateKey } from '../../core/errors';
import { keyedSerializer } from '../../core/serialized';
import { bucketsOfDay, dayKey } from '../../core/time';
import { counterIds, regionKey } from './counter-keys';
import { counterWriter } from './counter-writer';
import { loadDays, storeDay, type DayMark } from './participation-days';
import { IndicatorAnswer, IndicatorLatest, Marker, Participation, type ParticipationKind } from './stats.model';

/** One writer per resident's participation days and per latest-answer document in this process. */
const serialized = keyedSerializer();

/** Who took part, and the community they belonged to at that moment. */
export interface ParticipantRef {
  id: string;
  regionCode?: string | null;
}

export type IndicatorValue = boolean | { positive: boolean; score?: number | null };

/** The counter increments one participation causes, given which of its markers were new. */
export function participationEffects(
  p: { residentId: string; kind: ParticipationKind; regionCode: string | null; day: string },
  isNewMarker: (markerId: string) => boolean,
): Array<[string, string, number]> {
  const region = regionKey(p.regionCode);
  const year = p.day.slice(0, 4);
  const out: Array<[string, string, number]> = [
    [counterIds.acts(p.kind, region, year), p.day, 1],
    [counterIds.resident(p.residentId), p.kind, 1],
    [counterIds.span(), p.day, 1],
  ];
  for (const scope of [p.kind, 'all'] as const) {
    for (const bucket of bucketsOfDay(p.day)) {
      if (!isNewMarker(markerId(bucket, scope, p.residentId))) continue;
      if (bucket === 'all') out.push([counterIds.participantsAll(scope, region), 'all', 1]);
      else out.push([counterIds.participants(scope, region, year), bucket, 1]);
    }
  }
  return out;
}

export const markerId = (bucket: string, scope: string, residentId: string) => `${bucket}:${scope}:${residentId}`;

export function participationMarkerIds(residentId: string, kind: ParticipationKind, day: string): string[] {
  return (['all', kind] as const).flatMap((scope) => bucketsOfDay(day).map((b) => markerId(b, scope, residentId)));
}

/** Inserts markers; returns the ids that were new (a duplicate _id means "already counted"). */
function insertMarkers(ids: string[]): Promise<Set<string>> {
  return insertNew(Marker, ids.map((_id) => ({ _id })));
}

/**
 * Records one act of participation. The only way participation reaches the statistics.
 * Idempotent by (kind, sourceId): returns false when it was already recorded.
 */
export async function recordParticipation(resident: ParticipantRef, kind: ParticipationKind, at: Date, sourceId: string): Promise<boolean> {
  const day = dayKey(at);
  const doc = { _id: `${kind}:${sourceId}`, residentId: resident.id, kind, regionCode: resident.regionCode ?? null, at, day };
  try {
    await Participation.create(doc);
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  // One resident at a time in this process: the days document is read-modify-write, and the
  // markers and days must agree on which act was first in a bucket.
  await serialized(`participation:${resident.id}`, async () => {
    const [fresh, days] = await Promise.all([insertMarkers(participationMarkerIds(resident.id, kind, day)), loadDays(resident.id)]);
    const mark: DayMark = [at.getTime(), doc._id, regionKey(doc.regionCode)];
    const effects = [
      ...participationEffects(doc, (m) => fresh.has(m)),
      ...(await storeDay(resident.id, kind, day, mark, days, (scope, bucket) => fresh.has(markerId(bucket, scope, resident.id)))),
    ];
    for (const [id, field, delta] of effects) counterWriter.inc(id, field, delta);
  });
  return true;
}

function normalize(value: IndicatorValue): { positive: boolean; score: number | null } {
  return typeof value === 'boolean' ? { positive: value, score: null } : { positive: value.positive, score: value.score ?? null };
}

/** Counter deltas of one latest answer (sign +1 adds it, -1 removes it). */
export function indicatorEffects(
  indicator: string,
  a: { regionCode: string | null; day: string; positive: boolean; score: number | null },
  sign: 1 | -1,
): Array<[string, string, number]> {
  const id = counterIds.indicator(indicator, regionKey(a.regionCode), a.day.slice(0, 4));
  const out: Array<[string, string, number]> = [[id, `${a.day}.n`, sign]];
  if (a.positive) out.push([id, `${a.day}.k`, sign]);
  if (a.score !== null) out.push([id, `${a.day}.s`, sign * a.score], [id, `${a.day}.sn`, sign]);
  return out;
}

export interface IndicatorItem {
  indicator: string;
  value: IndicatorValue;
  /** The answer's id: recording is idempotent by it. */
  answerId: string;
}

/** Moves the resident's latest answer to an indicator (and the day counters with it) if this one is later. */
async function moveLatest(residentId: string, indicator: string, next: { answerId: string; regionCode: string | null; positive: boolean; score: number | null; at: Date; day: string }): Promise<void> {
  const latestId = `${residentId}:${indicator}`;
  await serialized(latestId, async () => {
    const prev = await IndicatorLatest.findById(latestId).lean();
    if (prev && prev.at && (prev.at > next.at || (prev.at.getTime() === next.at.getTime() && String(prev.answerId) > next.answerId))) return;
    await IndicatorLatest.replaceOne({ _id: latestId }, { _id: latestId, ...next }, { upsert: true });
    if (prev) {
      const old = { regionCode: prev.regionCode ?? null, day: prev.day!, positive: Boolean(prev.positive), score: prev.score ?? null };
      for (const [id, f, d] of indicatorEffects(indicator, old, -1)) counterWriter.inc(id, f, d);
    }
    for (const [id, f, d] of indicatorEffects(indicator, next, 1)) counterWriter.inc(id, f, d);
  });
}

/**
 * Records answers to indicator-tagged questions (aware / positive, optional 0–100 score), given at
 * one moment: one insert for all of them, then each indicator's latest answer. Keeping the
 * resident's latest answer per indicator and moving the day counters with it makes n count
 * residents (not answers) whose latest answer falls in a period.
 * Idempotent by answerId: returns the answer ids that were new.
 */
export async function recordIndicators(resident: ParticipantRef, items: IndicatorItem[], at: Date): Promise<Set<string>> {
  if (!items.length) return new Set();
  const day = dayKey(at);
  const regionCode = resident.regionCode ?? null;
  const rows = items.map((i) => ({ ...i, ...normalize(i.value) }));
  const docs = rows.map((r) => ({ _id: r.answerId, residentId: resident.id, indicator: r.indicator, regionCode, positive: r.positive, score: r.score, at, day }));
  const fresh = await insertNew(IndicatorAnswer, docs);
  const recorded = rows.filter((r) => fresh.has(r.answerId));
  for (let n = 0; n < recorded.length; n++) counterWriter.inc(counterIds.span(), day, 1);
  await Promise.all(recorded.map((r) => moveLatest(resident.id, r.indicator, { answerId: r.answerId, regionCode, positive: r.positive, score: r.score, at, day })));
  return fresh;
}

/** One indicator answer (see recordIndicators). Returns false when it was already recorded. */
export async function recordIndicator(resident: ParticipantRef, indicator: string, value: IndicatorValue, at: Date, answerId: string): Promise<boolean> {
  return (await recordIndicators(resident, [{ indicator, value, answerId }], at)).has(answerId);
}

/** Keeps "residents known to the system" per community when a resident joins or moves. */
export function recordResidentRegion(from: string | null | undefined, to: string | null | undefined): void {
  if ((from ?? null) === (to ?? null)) return;
  if (from) counterWriter.inc(counterIds.known(from), 'n', -1);
  if (to) counterWriter.inc(counterIds.known(to), 'n', 1);
}

/** Adds points to a resident's balance counter (the ledger entry is the caller's source record). */
export function recordPoints(residentId: string, points: number): void {
  counterWriter.inc(counterIds.resident(residentId), 'points', points);
}
