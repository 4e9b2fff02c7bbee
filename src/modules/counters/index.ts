/**
 * The counters kernel: every act of participation and every indicator response is recorded here,
 * counted into stat_counters by the one serialized writer, read back by _id and rebuilt exactly
 * from the source records. It imports no feature module; features declare their own counters
 * (`counters` in their manifest) and `stats` reads figures on top.
 */
export { counterIds, NO_REGION, originKey, regionKey, type Origin } from './counter-keys';
export {
  campaignSpan,
  CACHE_MS,
  clearCounterCache,
  listCounterDocs,
  num,
  readCounterNow,
  readCounters,
  STALE_MS,
  sub,
  withCounterCache,
  type CounterValues,
} from './counter-reader';
export { counterWriter } from './counter-writer';
export { rebuildCounters, registerCounterSources, type CounterSource, type Emit, type RebuildReport } from './counters.rebuild';
export {
  recordParticipation,
  recordPoints,
  recordResidentRegion,
  recordResponse,
  useIndicatorKinds,
  type IndicatorValue,
  type ParticipantRef,
  type ResponseInput,
} from './counters.recorder';
export { dayDiff, type Scope } from './participation-days';
export { alignedBucket, periodDays, periodKinds, periodYears, resolvePeriod, type Period } from './periods';
export {
  IndicatorResponse,
  instruments,
  Participation,
  responseModes,
  type CounterDoc,
  type IndicatorResponseDoc,
  type Instrument,
  type ParticipationKind,
  type ResponseMode,
} from './stats.model';
