import { AppError } from '../../core/errors';
import type { Indicator } from '../catalog/catalog.schema';
import { listIndicators } from '../catalog/catalog.service';
import type { RegionNode } from '../regions/regions.schema';
import { communitiesUnder } from '../regions/regions.service';
import { counterIds } from './counter-keys';
import { num, readCounters, sub } from './counter-reader';
import { periodDays, periodYears, type Period } from './periods';
import { weighted, wilson, type Rate } from './rates';
import type { RegionScope } from './scope';

export type IndicatorKind = Indicator['kind'];

/** Sums over the period's days of the `ind:` counters: latest answers n, positive k, score sum s over sn. */
export interface Cell {
  n: number;
  k: number;
  s: number;
  sn: number;
}
const emptyCell = (): Cell => ({ n: 0, k: 0, s: 0, sn: 0 });
function addTo(a: Cell, v: unknown): void {
  const c = sub(v);
  a.n += num(c.n);
  a.k += num(c.k);
  a.s += num(c.s);
  a.sn += num(c.sn);
}

export interface IndicatorCells {
  /** `${indicator}|${regionKey}` → cell */
  cells: Map<string, Cell>;
  /** day → cell over every indicator and region key of the scope */
  byDay: Map<string, Cell>;
}

/** Reads O(indicators × region keys × years) counter documents; never an answer. */
export async function readIndicatorCells(indicators: string[], keys: string[], period: Period): Promise<IndicatorCells> {
  const years = periodYears(period);
  const days = periodDays(period);
  const ids = indicators.flatMap((i) => keys.flatMap((r) => years.map((y) => counterIds.indicator(i, r, y))));
  const docs = await readCounters(ids);
  const cells = new Map<string, Cell>();
  const byDay = new Map<string, Cell>(days.map((d) => [d, emptyCell()]));
  // Walks the days stored in each document (sparse) rather than every day of the period for every
  // indicator and community: a year over the city is 10 × 15 × 365 lookups otherwise.
  for (const i of indicators) {
    for (const r of keys) {
      const cell = emptyCell();
      for (const y of years) {
        const doc = docs.get(counterIds.indicator(i, r, y))!;
        for (const [day, v] of Object.entries(doc)) {
          const dayCell = byDay.get(day);
          if (!dayCell) continue; // outside the period
          addTo(cell, v);
          addTo(dayCell, v);
        }
      }
      cells.set(`${i}|${r}`, cell);
    }
  }
  return { cells, byDay };
}

function sumCells(cells: Map<string, Cell>, indicators: string[], keys: string[]): Cell {
  const out = emptyCell();
  for (const i of indicators) for (const r of keys) addTo(out, cells.get(`${i}|${r}`));
  return out;
}

export type RateWithScore = Rate & { meanScore?: number | null; scoreN?: number };

function withScore(rate: Rate, cell: Cell, scored: boolean): RateWithScore {
  return scored ? { ...rate, meanScore: cell.sn > 0 ? cell.s / cell.sn : null, scoreN: cell.sn } : rate;
}

/** Unweighted over the region keys and weighted over the communities, for a set of indicators. */
function ratesOf(data: IndicatorCells, indicators: string[], keys: string[], communities: RegionNode[], scored: boolean) {
  const cell = sumCells(data.cells, indicators, keys);
  const strata = communities.map((c) => {
    const x = sumCells(data.cells, indicators, [c.code]);
    return { population: c.population, k: x.k, n: x.n };
  });
  return { unweighted: withScore(wilson(cell.k, cell.n), cell, scored), weighted: weighted(strata) };
}

export interface IndicatorStats {
  overall: { unweighted: RateWithScore; weighted: Rate; meanScore?: number | null };
  byRegion: Array<RateWithScore & { code: string; name: string; level: string; population: number; weighted: Rate }>;
  byIndicator: Array<RateWithScore & { code: string; title: string; weighted: Rate }>;
  byDay: Array<RateWithScore & { day: string }>;
}

export function indicatorsOfKind(kind: IndicatorKind, only?: string): Indicator[] {
  const all = listIndicators().filter((i) => i.kind === kind);
  if (!only) return all;
  const one = all.filter((i) => i.code === only);
  if (!one.length) throw new AppError('VALIDATION_FAILED', `查询参数无效：指标 ${only} 不是此类指标`, [{ path: 'indicator', message: '指标不存在或类型不符' }]);
  return one;
}

/**
 * 知晓率 / 支持率 / 满意度 of DESIGN.md: rate = Σk / Σn of residents' latest answers in the period
 * (Wilson interval) and the population-weighted rate over the communities with answers; satisfaction
 * adds the 0–100 mean score Σs / Σsn.
 */
export async function indicatorStats(kind: IndicatorKind, scope: RegionScope, period: Period, only?: string): Promise<IndicatorStats> {
  const indicators = indicatorsOfKind(kind, only);
  const codes = indicators.map((i) => i.code);
  const scored = kind === 'satisfaction';
  const data = await readIndicatorCells(codes, scope.keys, period);
  const overall = ratesOf(data, codes, scope.keys, scope.communities, scored);
  return {
    overall: { ...overall, ...(scored ? { meanScore: overall.unweighted.meanScore ?? null } : {}) },
    byRegion: scope.children.map((child) => {
      const communities = communitiesUnder(child.code);
      const r = ratesOf(data, codes, communities.map((c) => c.code), communities, scored);
      return { code: child.code, name: child.name, level: child.level, population: child.population, ...r.unweighted, weighted: r.weighted };
    }),
    byIndicator: indicators.map((i) => {
      const r = ratesOf(data, [i.code], scope.keys, scope.communities, scored);
      return { code: i.code, title: i.title, ...r.unweighted, weighted: r.weighted };
    }),
    byDay: [...data.byDay].map(([day, cell]) => ({ day, ...withScore(wilson(cell.k, cell.n), cell, scored) })),
  };
}
