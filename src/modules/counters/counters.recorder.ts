import { claimMany, claimOnce, keyedSerializer } from '../../core/store';
import { bucketsOfDay, dayKey } from '../../core/time';
import { counterIds, originKey, regionKey } from './counter-keys';
import { counterWriter } from './counter-writer';
import { loadDays, storeDay, type DayMark } from './participation-days';
import {
  IndicatorResponse,
  Marker,
  Participation,
  type IndicatorResponseDoc,
  type Instrument,
  type ResponseAnswerDoc,
  type ParticipationKind,
  type ResponseMode,
} from './stats.model';

/** One writer per resident's participation days in this process. */
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
  return claimMany(
    Marker,
    ids.map((_id) => ({ _id })),
  );
}

/**
 * Records one act of participation. The only way participation reaches the statistics.
 * Idempotent by (kind, sourceId): returns false when it was already recorded.
 */
export async function recordParticipation(resident: ParticipantRef, kind: ParticipationKind, at: Date, sourceId: string): Promise<boolean> {
  const day = dayKey(at);
  const doc = { _id: `${kind}:${sourceId}`, residentId: resident.id, kind, regionCode: resident.regionCode ?? null, at, day };
  if (!(await claimOnce(Participation, doc))) return false;
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

/** Indicator code → kind (知晓/支持/满意…): the catalog provides it, so the kernel needs no feature module. */
let indicatorKinds: () => Map<string, string> = () => {
  throw new Error('indicator kinds not provided: the catalog module sets them (useIndicatorKinds)');
};

export function useIndicatorKinds(lookup: () => Map<string, string>): void {
  indicatorKinds = lookup;
}

function normalize(value: IndicatorValue): { positive: boolean; score: number | null } {
  return typeof value === 'boolean' ? { positive: value, score: null } : { positive: value.positive, score: value.score ?? null };
}

type ResponseAnswer = ResponseAnswerDoc;

/** One response's n_j, k_j and mean score over some of its answers, as counter fields of its day. */
function sumsOf(answers: ResponseAnswer[]): Record<string, number> {
  const n = answers.length;
  const k = answers.filter((a) => a.positive).length;
  const scores = answers.map((a) => a.score).filter((x): x is number => typeof x === 'number');
  const out: Record<string, number> = { m: 1, n, k, nn: n * n, kk: k * k, nk: n * k };
  if (scores.length) Object.assign(out, { ss: scores.reduce((a, b) => a + b, 0) / scores.length, sm: 1 });
  return out;
}

const groupBy = (answers: ResponseAnswer[], key: (a: ResponseAnswer) => string) => {
  const out = new Map<string, ResponseAnswer[]>();
  for (const a of answers) out.set(key(a), [...(out.get(key(a)) ?? []), a]);
  return out;
};

/** The counter increments of one stored response: per kind, per indicator, per instrument. */
export function responseEffects(
  r: Pick<IndicatorResponseDoc, 'source' | 'instrumentId' | 'regionCode' | 'day' | 'answers' | 'mode'>,
): Array<[string, string, number]> {
  const source = originKey(r.source as Instrument, (r.mode ?? 'self') as ResponseMode);
  const region = regionKey(r.regionCode);
  const year = r.day.slice(0, 4);
  const out: Array<[string, string, number]> = [
    [counterIds.instrumentResponses(source, r.instrumentId, region, year), r.day, 1],
    [counterIds.span(), r.day, 1],
  ];
  const add = (id: string, sums: Record<string, number>) => {
    for (const [f, d] of Object.entries(sums)) if (d !== 0) out.push([id, `${r.day}.${f}`, d]);
  };
  for (const [kind, answers] of groupBy(r.answers, (a) => a.kind)) add(counterIds.responses(source, kind, region, year), sumsOf(answers));
  for (const [indicator, answers] of groupBy(r.answers, (a) => a.indicator))
    add(counterIds.indicatorResponses(source, indicator, region, year), sumsOf(answers));
  return out;
}

export interface ResponseInput {
  source: Instrument;
  /** the survey or quiz */
  instrumentId: string;
  /** the survey response or quiz attempt: recording is idempotent by it */
  responseId: string;
  /** the community of the person when responding (null: city-wide figures only) */
  regionCode: string | null;
  at: Date;
  answers: Array<{ questionId: string; indicator: string; value: IndicatorValue }>;
  /** survey responses: household for a sampled interview (default self) */
  mode?: ResponseMode;
}

/**
 * Records one person's response (a survey response, a finished quiz attempt) with its answers to
 * indicator-tagged questions: the only way answers reach 知晓率, 支持率 and 满意度. The unit of every
 * rate is the response, so it is stored and counted as a whole, on the day it was given, for the
 * community the person belonged to then. Returns false when it was already recorded.
 */
export async function recordResponse(input: ResponseInput): Promise<boolean> {
  const kinds = indicatorKinds();
  const answers = input.answers.flatMap((a) => {
    const kind = kinds.get(a.indicator);
    return kind ? [{ q: a.questionId, indicator: a.indicator, kind, ...normalize(a.value) }] : [];
  });
  const doc = {
    _id: `${input.source}:${input.responseId}`,
    source: input.source,
    instrumentId: input.instrumentId,
    regionCode: input.regionCode,
    day: dayKey(input.at),
    ...(input.mode === 'household' ? { mode: input.mode } : {}),
    answers,
  };
  if (!(await claimOnce(IndicatorResponse, doc))) return false;
  for (const [id, field, delta] of responseEffects(doc)) counterWriter.inc(id, field, delta);
  return true;
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
