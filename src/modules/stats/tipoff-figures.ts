import { now } from '../../core/time';
import { listCategories, listUnits } from '../catalog';
import { RECTIFIED, statusNames, tipoffCounterId } from '../tipoffs';
import { type CounterValues, num, type Period, periodDays, periodYears, readCounters, sub } from '../counters';
import { wilson, type Rate } from './rates';
import { rowOfCommunity, type RegionScope } from './scope';

/** Past the office's triage: accepted, whatever happened since (整改率's denominator). */
const ACCEPTED = ['accepted', 'assigned', 'rectified', 'closed'];

/** The tip-offs of one group (a region, a category, a unit, everything) reported in the period. */
interface Tally {
  total: number;
  byStatus: Map<string, number>;
  onTime: number;
  durations: Map<number, number>;
  overdue: number;
}
const emptyTally = (): Tally => ({ total: 0, byStatus: new Map(), onTime: 0, durations: new Map(), overdue: 0 });

export interface TipoffFigures {
  total: number;
  accepted: number;
  rectified: number;
  overdue: number;
  rectificationRate: Rate;
  onTimeRate: Rate;
  medianHoursToRectify: number | null;
}

/** Median of a multiset given as value → count; the mean of the middle two for an even count. */
export function median(counts: Map<number, number>): number | null {
  const values = [...counts].filter(([, c]) => c > 0).sort(([a], [b]) => a - b);
  const n = values.reduce((s, [, c]) => s + c, 0);
  if (!n) return null;
  const at = (i: number) => {
    for (const [v, c] of values) if ((i -= c) < 0) return v;
    return values[values.length - 1]![0];
  };
  return n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

function figures(t: Tally): TipoffFigures {
  const count = (statuses: readonly string[]) => statuses.reduce((s, x) => s + (t.byStatus.get(x) ?? 0), 0);
  const accepted = count(ACCEPTED);
  const rectified = count(RECTIFIED);
  const ms = median(t.durations);
  return {
    total: t.total,
    accepted,
    rectified,
    overdue: t.overdue,
    rectificationRate: wilson(rectified, accepted),
    onTimeRate: wilson(t.onTime, rectified),
    medianHoursToRectify: ms === null ? null : ms / 3_600_000,
  };
}

type Key = { region: string; category: string; unit: string };

/** Every entry of the period's `tip:` counters, handed to `add` with what it belongs to. */
function scan(docs: Map<string, CounterValues>, keys: string[], period: Period, add: (k: Key, f: (t: Tally) => void) => void): void {
  const nowMs = now().getTime();
  for (const region of keys) {
    for (const day of periodDays(period)) {
      const c = sub(docs.get(tipoffCounterId(region, day.slice(0, 4)))![day]);
      for (const [key, v] of Object.entries(sub(c.s))) {
        const [status, category, unit] = key.split('|') as [string, string, string];
        add({ region, category, unit }, (t) => {
          t.total += num(v);
          t.byStatus.set(status, (t.byStatus.get(status) ?? 0) + num(v));
        });
      }
      for (const [key, v] of Object.entries(sub(c.t))) {
        const [category, unit] = key.split('|') as [string, string];
        add({ region, category, unit }, (t) => void (t.onTime += num(v)));
      }
      for (const [key, v] of Object.entries(sub(c.d))) {
        const [category, unit, ms] = key.split('|') as [string, string, string];
        add({ region, category, unit }, (t) => void t.durations.set(Number(ms), (t.durations.get(Number(ms)) ?? 0) + num(v)));
      }
      for (const [key, v] of Object.entries(sub(c.o))) {
        const [category, unit, deadline] = key.split('|') as [string, string, string];
        if (Number(deadline) < nowMs) add({ region, category, unit }, (t) => void (t.overdue += num(v)));
      }
    }
  }
}

const tallyOf = (m: Map<string, Tally>, key: string): Tally => {
  let t = m.get(key);
  if (!t) m.set(key, (t = emptyTally()));
  return t;
};

/** Fewer accepted tip-offs than this in the period: listed after the ranked units, unranked, 样本不足. */
export const RANKING_MIN_ACCEPTED = 10;

export interface UnitRanking {
  /** 按时整改率 over what was accepted (rectified by the deadline / accepted), Wilson 95 %: the ranking's measure */
  rankingRate: Rate;
  /** fewer than RANKING_MIN_ACCEPTED accepted tip-offs in the period: no rank */
  lowSample: boolean;
  rank: number | null;
}
type Ranked = TipoffFigures & { code: string; name: string } & UnitRanking;
type Unranked = TipoffFigures & { code: string; name: string; onTime: number };

const lowerBound = (r: Rate) => r.ci?.[0] ?? -1;

/**
 * 每月考核排名: by the lower bound of the 95 % Wilson interval of the unit's on-time rate over its
 * accepted tip-offs, so a handful of quick fixes cannot beat a long record of them (5 of 5 gives
 * 0.57, 20 of 21 gives 0.77). Ties: more accepted, fewer overdue, code. Units with fewer than
 * RANKING_MIN_ACCEPTED accepted are listed after the ranked ones in the same order, unranked.
 */
function rankUnits(rows: Unranked[]): Ranked[] {
  const withRate = rows.map(({ onTime, ...r }) => ({
    ...r,
    rankingRate: wilson(onTime, r.accepted),
    lowSample: r.accepted < RANKING_MIN_ACCEPTED,
  }));
  const sorted = withRate.sort(
    (a, b) =>
      Number(a.lowSample) - Number(b.lowSample) ||
      lowerBound(b.rankingRate) - lowerBound(a.rankingRate) ||
      b.accepted - a.accepted ||
      a.overdue - b.overdue ||
      (a.code < b.code ? -1 : 1),
  );
  return sorted.map((r, i) => ({ ...r, rank: r.lowSample ? null : i + 1 }));
}

export interface TipoffStats extends TipoffFigures {
  byStatus: Array<{ status: string; name: string; count: number }>;
  byCategory: Array<TipoffFigures & { code: string; name: string; deadlineHours: number | null }>;
  byRegion: Array<TipoffFigures & { code: string; name: string; level: string }>;
  byUnit: Ranked[];
}

/**
 * Tip-offs reported in the period in the region (where the problem is): counts by status, category,
 * region and unit; 整改率 = rectified / accepted; on-time = rectified by the deadline / rectified;
 * exact median hours from report to rectification. Reads O(region keys × years) documents.
 */
export async function tipoffStats(scope: RegionScope, period: Period): Promise<TipoffStats> {
  const years = periodYears(period);
  const docs = await readCounters(scope.keys.flatMap((r) => years.map((y) => tipoffCounterId(r, y))));
  const overall = emptyTally();
  const [byRegion, byCategory, byUnit] = [new Map<string, Tally>(), new Map<string, Tally>(), new Map<string, Tally>()];
  const rowOf = rowOfCommunity(scope);
  scan(docs, scope.keys, period, (k, f) => {
    f(overall);
    const row = rowOf.get(k.region);
    if (row) f(tallyOf(byRegion, row.code));
    f(tallyOf(byCategory, k.category));
    f(tallyOf(byUnit, k.unit));
  });
  const categories = listCategories();
  const units = listUnits();
  const extraCodes = (m: Map<string, Tally>, known: Array<{ code: string }>) =>
    [...m.keys()].filter((c) => !known.some((x) => x.code === c));
  return {
    ...figures(overall),
    byStatus: Object.entries(statusNames).map(([status, name]) => ({ status, name, count: overall.byStatus.get(status) ?? 0 })),
    byCategory: [...categories, ...extraCodes(byCategory, categories).map((code) => ({ code, name: code, deadlineHours: null }))].map(
      (c) => ({
        code: c.code,
        name: c.name,
        deadlineHours: c.deadlineHours ?? null,
        ...figures(byCategory.get(c.code) ?? emptyTally()),
      }),
    ),
    byRegion: scope.children.map((c) => ({ code: c.code, name: c.name, level: c.level, ...figures(byRegion.get(c.code) ?? emptyTally()) })),
    byUnit: rankUnits(
      [...units, ...extraCodes(byUnit, units).map((code) => ({ code, name: code }))].map((u) => {
        const t = byUnit.get(u.code) ?? emptyTally();
        return { code: u.code, name: u.name, onTime: t.onTime, ...figures(t) };
      }),
    ),
  };
}
