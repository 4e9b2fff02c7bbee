import type { Instrument, ParticipationKind, ResponseMode } from './stats.model';

/** Region key for residents without a community: counted city-wide only. */
export const NO_REGION = '-';

/**
 * Counter document ids. Per-day values sit inside one document per metric, region and year, so a
 * statistics request reads O(regions × years) documents by _id, never the answers.
 */
export const counterIds = {
  /** acts of participation per day: c[day] = count */
  acts: (kind: ParticipationKind, region: string, year: string) => `act:${kind}:${region}:${year}`,
  /** distinct participants: c[bucket] = count, bucket in d:/w:/m:/q:/y: of that year */
  participants: (kind: ParticipationKind | 'all', region: string, year: string) => `who:${kind}:${region}:${year}`,
  /** distinct participants since the campaign began: c.all */
  participantsAll: (kind: ParticipationKind | 'all', region: string) => `who:${kind}:${region}:all`,
  /** responses by the day they were given, per indicator kind: c[day] = {m, n, k, nn, kk, nk, ss, sm} (see rates.ts Sums) */
  responses: (source: Origin, kind: string, region: string, year: string) => `rsp:${source}:${kind}:${region}:${year}`,
  /** the same sums per indicator: n_j counts the response's questions of that indicator */
  indicatorResponses: (source: Origin, indicator: string, region: string, year: string) => `rsi:${source}:${indicator}:${region}:${year}`,
  /** responses to one survey or quiz by day: c[day] = m (the sample monitor's achieved responses) */
  instrumentResponses: (source: Origin, instrumentId: string, region: string, year: string) =>
    `rsv:${source}:${instrumentId}:${region}:${year}`,
  /**
   * Participation days by gap: c[day][g<k>|n] = residents whose first act of `day` (in this region)
   * came k days after their previous participation day (n: no earlier day). Distinct participants of
   * any range [from, to] = Σ over its days of the entries with no earlier day or one before `from`.
   */
  gaps: (kind: ParticipationKind | 'all', region: string, year: string) => `gap:${kind}:${region}:${year}`,
  /** source records (participations and indicator answers) per day: c[day]; the campaign's span */
  span: () => 'span',
  /** residents known to the system by community: c.n */
  known: (region: string) => `known:${region}`,
  /** a resident's own tallies: c.points, c.quiz, c.survey, c.tipoff, c.signup, c.checkin */
  resident: (residentId: string) => `res:${residentId}`,
};

/**
 * Where a response's counters live: `survey` (online, as they always were), `survey-household`
 * (入户调查 interviews) or `quiz`. Keyed by mode so a figure of one mode reads only its documents.
 */
export type Origin = Instrument | `${Instrument}-household`;
export const originKey = (source: Instrument, mode: ResponseMode = 'self'): Origin =>
  mode === 'household' ? `${source}-household` : source;

export const regionKey = (code: string | null | undefined): string => code || NO_REGION;
