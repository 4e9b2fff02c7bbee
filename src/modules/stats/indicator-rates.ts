import { AppError } from '../../core/errors';
import { type Indicator, listIndicators } from '../catalog';
import { communitiesUnder, findRegion, type RegionNode } from '../regions';
import {
  counterIds,
  type Instrument,
  type Origin,
  originKey,
  type Period,
  periodDays,
  periodYears,
  readCounters,
  type ResponseMode,
  sub,
} from '../counters';
import { addSums, emptySums, indicatorRate, meanScore, responseRate, type Rate, type Sums } from './rates';
import type { RegionScope } from './scope';
import { weightedRate, type WeightedRate } from './strata';

export type IndicatorKind = Indicator['kind'];

/** Response sums per `${group}|${regionKey}` over the period, and per day over the whole scope. */
interface SumsTable {
  cells: Map<string, Sums>;
  byDay: Map<string, Sums>;
}

/**
 * Reads the response counters of some groups (indicator kinds or indicators) for the scope's region
 * keys: O(groups × region keys × years) documents by _id, never a response. Walks only the days
 * stored in each document (sparse), not every day of the period.
 */
async function readSums(
  groups: string[],
  keys: string[],
  period: Period,
  idsOf: (group: string, region: string, year: string) => string[],
): Promise<SumsTable> {
  const years = periodYears(period);
  const days = new Set(periodDays(period));
  const docs = await readCounters(groups.flatMap((g) => keys.flatMap((r) => years.flatMap((y) => idsOf(g, r, y)))));
  const cells = new Map<string, Sums>();
  const byDay = new Map<string, Sums>();
  for (const g of groups) {
    for (const r of keys) {
      const cell = emptySums();
      for (const id of years.flatMap((y) => idsOf(g, r, y))) {
        for (const [day, v] of Object.entries(docs.get(id)!)) {
          if (!days.has(day)) continue;
          addSums(cell, sub(v));
          if (!byDay.has(day)) byDay.set(day, emptySums());
          addSums(byDay.get(day)!, sub(v));
        }
      }
      cells.set(`${g}|${r}`, cell);
    }
  }
  return { cells, byDay };
}

const sumOver = (t: SumsTable, group: string, keys: string[]): Sums => {
  const out = emptySums();
  for (const r of keys) addSums(out, t.cells.get(`${group}|${r}`) ?? {});
  return out;
};

export type ScoredRate = Rate & { meanScore?: number | null };
const scoredIf = (scored: boolean, rate: Rate, s: Sums): ScoredRate => (scored ? { ...rate, meanScore: meanScore(s) } : rate);

/** Which survey responses a figure is over: self (online, the default), household (入户调查), or all (both pooled). */
export type StatsMode = ResponseMode | 'all';

/** The counter origins of a source and mode: quiz attempts have no mode. */
export function originsOf(source: Instrument, mode: StatsMode): Origin[] {
  if (source === 'quiz') return ['quiz'];
  return mode === 'all' ? [originKey('survey', 'self'), originKey('survey', 'household')] : [originKey('survey', mode)];
}

export interface IndicatorStats {
  source: Instrument;
  mode: StatsMode;
  overall: { unweighted: ScoredRate; weighted: WeightedRate; meanScore?: number | null };
  byRegion: Array<ScoredRate & { code: string; name: string; level: string; population: number; weighted: WeightedRate }>;
  byIndicator: Array<ScoredRate & { code: string; title: string; weighted: WeightedRate }>;
  /** days with responses only, in order */
  byDay: Array<ScoredRate & { day: string }>;
}

export function indicatorsOfKind(kind: IndicatorKind, only?: string): Indicator[] {
  const all = listIndicators().filter((i) => i.kind === kind);
  if (!only) return all;
  const one = all.filter((i) => i.code === only);
  if (!one.length)
    throw new AppError('VALIDATION_FAILED', `查询参数无效：指标 ${only} 不是此类指标`, [
      { path: 'indicator', message: '指标不存在或类型不符' },
    ]);
  return one;
}

/** Unweighted over region keys and post-stratified over communities, for one group of a table. */
function ratesOf(
  t: SumsTable,
  group: string,
  keys: string[],
  communities: RegionNode[],
  top: RegionNode | null,
  rateOf: (s: Sums) => Rate,
  scored: boolean,
) {
  const s = sumOver(t, group, keys);
  return { unweighted: scoredIf(scored, rateOf(s), s), weighted: weightedRate(communities, (c) => sumOver(t, group, [c]), top) };
}

/**
 * 知晓率 / 支持率 / 满意度 over people's responses (docs/statistics.md): the ratio estimator with
 * respondents as clusters and Wilson on the effective sample size, post-stratified by community
 * population; per indicator a plain proportion over the responses that answered it. `source` says
 * which instrument: survey responses (the 测评's) or quiz attempts (答题知晓), never both at once.
 */
export async function indicatorStats(
  kind: IndicatorKind,
  source: Instrument,
  scope: RegionScope,
  period: Period,
  only?: string,
  mode: StatsMode = 'self',
): Promise<IndicatorStats> {
  const origins = originsOf(source, mode);
  const indicators = indicatorsOfKind(kind, only);
  const scored = kind === 'satisfaction';
  const top = scope.code ? (findRegion(scope.code) ?? null) : null;
  const [byKind, byIndicator] = await Promise.all([
    only ? null : readSums([kind], scope.keys, period, (g, r, y) => origins.map((o) => counterIds.responses(o, g, r, y))),
    readSums(
      indicators.map((i) => i.code),
      scope.keys,
      period,
      (g, r, y) => origins.map((o) => counterIds.indicatorResponses(o, g, r, y)),
    ),
  ]);
  // With ?indicator the whole figure is that indicator's: a plain proportion over its responses.
  const [table, group, rateOf] = byKind ? [byKind, kind, responseRate] : [byIndicator, only!, indicatorRate];
  const overall = ratesOf(table, group, scope.keys, scope.communities, top, rateOf, scored);
  return {
    source,
    mode: source === 'quiz' ? 'self' : mode,
    overall: { ...overall, ...(scored ? { meanScore: overall.unweighted.meanScore ?? null } : {}) },
    byRegion: scope.children.map((child) => {
      const communities = communitiesUnder(child.code);
      const r = ratesOf(
        table,
        group,
        communities.map((c) => c.code),
        communities,
        child,
        rateOf,
        scored,
      );
      return {
        code: child.code,
        name: child.name,
        level: child.level,
        population: child.population,
        ...r.unweighted,
        weighted: r.weighted,
      };
    }),
    byIndicator: indicators.map((i) => {
      const r = ratesOf(byIndicator, i.code, scope.keys, scope.communities, top, indicatorRate, scored);
      return { code: i.code, title: i.title, ...r.unweighted, weighted: r.weighted };
    }),
    byDay: [...table.byDay]
      .filter(([, s]) => s.m > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, s]) => ({ day, ...scoredIf(scored, rateOf(s), s) })),
  };
}

/** A community's rate of one kind from the survey responses of the period (the sample monitor). */
export async function communityRates(kind: IndicatorKind, codes: string[], period: Period): Promise<Map<string, Rate>> {
  const t = await readSums([kind], codes, period, (g, r, y) => [counterIds.responses('survey', g, r, y)]);
  return new Map(codes.map((c) => [c, responseRate(sumOver(t, kind, [c]))]));
}
