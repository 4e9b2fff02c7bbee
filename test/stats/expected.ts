/**
 * Independent reference computations for the statistics tests: straight from raw fixture records,
 * with the formulas of docs/statistics.md written out again (never the service's code).
 */
export type RateExp = {
  rate: number | null;
  ci: [number, number] | null;
  n: number;
  answers: number;
  designEffect: number | null;
  lowSample: boolean;
};

const Z = 1.96;

function wilsonBounds(p: number, n: number): [number, number] {
  const q = Math.min(Math.max(p, 0), 1);
  const lo = (q + (Z * Z) / (2 * n) - Z * Math.sqrt((q * (1 - q)) / n + (Z * Z) / (4 * n * n))) / (1 + (Z * Z) / n);
  const hi = (q + (Z * Z) / (2 * n) + Z * Math.sqrt((q * (1 - q)) / n + (Z * Z) / (4 * n * n))) / (1 + (Z * Z) / n);
  return [Math.max(0, lo), Math.min(1, hi)];
}

/** k of n independent units (people, tip-offs): Wilson on (k, n). */
export function wilsonExp(k: number, n: number): RateExp {
  if (n === 0) return { rate: null, ci: null, n: 0, answers: 0, designEffect: null, lowSample: true };
  return { rate: k / n, ci: wilsonBounds(k / n, n), n, answers: n, designEffect: 1, lowSample: n < 30 };
}

/** One response's answers to the questions counted by a figure: n_j asked, k_j aware / positive. */
export interface UnitExp {
  n: number;
  k: number;
}

const total = (units: UnitExp[], f: (u: UnitExp) => number) => units.reduce((a, u) => a + f(u), 0);

/** The ratio estimator over responses with its linearized variance, each term written out (m ≥ 2). */
function ratioParts(units: UnitExp[]): { p: number; v: number } {
  const m = units.length;
  const p = total(units, (u) => u.k) / total(units, (u) => u.n);
  if (m < 2) return { p, v: 0 };
  const nbar = total(units, (u) => u.n) / m;
  const v = total(units, (u) => (u.k - p * u.n) ** 2) / (m * (m - 1) * nbar * nbar);
  return { p, v };
}

function onEffective(p: number, v: number, m: number, answers: number): RateExp {
  const nEff = v > 0 ? (p * (1 - p)) / v : m;
  return { rate: p, ci: wilsonBounds(p, nEff), n: m, answers, designEffect: m / nEff, lowSample: m < 30 };
}

/** 知晓率 etc. over responses: p = Σk / Σn, respondents as clusters, Wilson on n_eff. */
export function ratioExp(units: UnitExp[]): RateExp {
  const answers = total(units, (u) => u.n);
  if (!units.length) return { rate: null, ci: null, n: 0, answers, designEffect: null, lowSample: true };
  const { p, v } = ratioParts(units);
  return onEffective(p, v, units.length, answers);
}

/** One indicator: a plain proportion over the responses that answered it (each once). */
export function indicatorExp(units: UnitExp[]): RateExp {
  if (units.length && units.every((u) => u.n === 1))
    return {
      ...wilsonExp(
        total(units, (u) => u.k),
        units.length,
      ),
    };
  return ratioExp(units);
}

/** A stratum of the weighted rate: its population and its responses. */
export interface StratumExp {
  pop: number;
  units: UnitExp[];
}

/** Post-stratified: p_w = Σ w·p_c, Var = Σ w²·Var(p_c), Wilson on n_eff (Σ m when the variance is 0). */
export function poststratExp(strata: StratumExp[]): RateExp {
  const used = strata.filter((s) => s.units.length > 0);
  const m = used.reduce((a, s) => a + s.units.length, 0);
  const answers = used.reduce((a, s) => a + total(s.units, (u) => u.n), 0);
  if (!used.length) return { rate: null, ci: null, n: 0, answers, designEffect: null, lowSample: true };
  const pop = used.reduce((a, s) => a + s.pop, 0);
  let p = 0;
  let v = 0;
  for (const s of used) {
    const r = ratioParts(s.units);
    p += (s.pop / pop) * r.p;
    v += (s.pop / pop) ** 2 * r.v;
  }
  return onEffective(p, v, m, answers);
}

export const localDay = (at: Date): string => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export function daysFromTo(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * Deep equality with numbers compared to 1e-9 (relative for large ones); reports the first path
 * that differs, so a failure names the field.
 */
export function diff(actual: unknown, expected: unknown, path = '$'): string | null {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)) ? null : `${path}: ${actual} ≠ ${expected}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: not an array`;
    if (actual.length !== expected.length) return `${path}: length ${actual.length} ≠ ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = diff(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return `${path}: not an object`;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    for (const k of [...keys].sort()) {
      if (!(k in e)) return `${path}.${k}: unexpected field (${JSON.stringify(a[k])?.slice(0, 80)})`;
      if (!(k in a)) return `${path}.${k}: missing`;
      const d = diff(a[k], e[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(actual, expected) ? null : `${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`;
}

/** expect(...).toBeNull() with the differing path as the message. */
export function expectSame(actual: unknown, expected: unknown): void {
  expect(diff(actual, expected)).toBeNull();
}

export function rng(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

export interface RegionNodeExp {
  code: string;
  name: string;
  level: string;
  population: number;
  children: RegionNodeExp[];
}

export function leavesOf(n: RegionNodeExp): RegionNodeExp[] {
  return n.children.length ? n.children.flatMap(leavesOf) : [n];
}

export function findNode(roots: RegionNodeExp[], code: string): RegionNodeExp | undefined {
  for (const r of roots) {
    if (r.code === code) return r;
    const f = findNode(r.children, code);
    if (f) return f;
  }
  return undefined;
}

/** Root-to-node path of a region in the tree. */
export function pathOf(roots: RegionNodeExp[], code: string): RegionNodeExp[] {
  for (const r of roots) {
    if (r.code === code) return [r];
    const below = pathOf(r.children, code);
    if (below.length) return [r, ...below];
  }
  return [];
}

export interface CollapsedExp {
  code: string;
  name: string;
  level: string;
  communities: string[];
  n: number;
}

/**
 * The strata of the weighted rate over region `top`: communities with responses; where one has
 * fewer than 2, its whole street (its communities with responses) is one stratum; then likewise its
 * district; then the region itself.
 */
export function strataExp(
  roots: RegionNodeExp[],
  top: RegionNodeExp,
  unitsOf: (community: string) => UnitExp[],
): { strata: StratumExp[]; collapsed: CollapsedExp[] } {
  type S = { node: RegionNodeExp; members: RegionNodeExp[] };
  const units = (s: S) => s.members.flatMap((c) => unitsOf(c.code));
  const above = (c: RegionNodeExp, level: string) => {
    const path = pathOf(roots, c.code);
    const t = path.findIndex((n) => n.code === top.code);
    const at = path.findIndex((n) => n.level === level);
    return at < 0 || at < t ? top : path[at]!;
  };
  let strata: S[] = leavesOf(top)
    .filter((c) => unitsOf(c.code).length > 0)
    .map((c) => ({ node: c, members: [c] }));
  for (const level of ['street', 'district']) {
    const thin = new Set(strata.filter((s) => units(s).length < 2).map((s) => above(s.members[0]!, level).code));
    const next: S[] = strata.filter((s) => !thin.has(above(s.members[0]!, level).code));
    for (const code of thin) {
      const merged = strata.filter((s) => above(s.members[0]!, level).code === code);
      next.push({ node: above(merged[0]!.members[0]!, level), members: merged.flatMap((s) => s.members) });
    }
    strata = next;
  }
  if (strata.length > 1 && strata.some((s) => units(s).length < 2)) strata = [{ node: top, members: strata.flatMap((s) => s.members) }];
  return {
    strata: strata.map((s) => ({ pop: s.members.reduce((a, c) => a + c.population, 0), units: units(s) })),
    collapsed: strata
      .filter((s) => s.node.level !== 'community')
      .map((s) => ({
        code: s.node.code,
        name: s.node.name,
        level: s.node.level,
        communities: s.members.map((c) => c.code).sort(),
        n: units(s).length,
      }))
      .sort((a, b) => (a.code < b.code ? -1 : 1)),
  };
}

export interface VolunteerRecordExp {
  regionCode: string;
  createdAt: Date;
}
export interface ServiceRecordExp {
  regionCode: string | null;
  minutes: number;
  checkedOutAt: Date;
}

/** GET /stats/volunteers from the raw records: stocks at the period's end, flows within it. */
export function volunteersExp(
  roots: RegionNodeExp[],
  region: string | undefined,
  from: string,
  to: string,
  vols: VolunteerRecordExp[],
  hours: ServiceRecordExp[],
) {
  const node = region ? findNode(roots, region)! : roots[0]!;
  const within = (at: Date) => localDay(at) >= from && localDay(at) <= to;
  const row = (codes: Set<string>, population: number) => {
    const mine = vols.filter((v) => codes.has(v.regionCode));
    const volunteers = mine.filter((v) => localDay(v.createdAt) <= to).length;
    const served = hours.filter((h) => codes.has(h.regionCode ?? '') && within(h.checkedOutAt));
    const rate = wilsonExp(volunteers, population);
    return {
      volunteers,
      population,
      rate,
      meetsTarget: (rate.rate ?? 0) >= 0.1,
      registrations: mine.filter((v) => within(v.createdAt)).length,
      hours: served.reduce((s, h) => s + h.minutes, 0) / 60,
      services: served.length,
    };
  };
  const leaves = leavesOf(node);
  const children = node.children.length ? node.children : [node];
  return {
    ...row(
      new Set(leaves.map((c) => c.code)),
      leaves.reduce((s, c) => s + c.population, 0),
    ),
    target: 0.1,
    asOf: to,
    basis: { volunteers: 'endOfPeriod', rate: 'endOfPeriod', registrations: 'period', hours: 'period', services: 'period' },
    byRegion: children.map((c) => ({
      code: c.code,
      name: c.name,
      level: c.level,
      ...row(new Set(leavesOf(c).map((l) => l.code)), c.population),
    })),
  };
}
