/**
 * Independent reference computations for the statistics tests: straight from raw fixture records,
 * with the formulas of DESIGN.md written out again (never the service's code).
 */
export type RateExp = { rate: number | null; ci: [number, number] | null; n: number; lowSample: boolean };

const Z = 1.96;

export function wilsonExp(k: number, n: number): RateExp {
  if (n === 0) return { rate: null, ci: null, n: 0, lowSample: true };
  const p = k / n;
  const q = Math.min(p, 1);
  const lo = (q + (Z * Z) / (2 * n) - Z * Math.sqrt((q * (1 - q)) / n + (Z * Z) / (4 * n * n))) / (1 + (Z * Z) / n);
  const hi = (q + (Z * Z) / (2 * n) + Z * Math.sqrt((q * (1 - q)) / n + (Z * Z) / (4 * n * n))) / (1 + (Z * Z) / n);
  return { rate: p, ci: [Math.max(0, lo), Math.min(1, hi)], n, lowSample: n < 30 };
}

/** Post-stratified: strata = communities with n > 0, weights by population. */
export function weightedExp(strata: Array<{ pop: number; k: number; n: number }>): RateExp {
  const used = strata.filter((s) => s.n > 0);
  const n = used.reduce((a, s) => a + s.n, 0);
  if (!used.length) return { rate: null, ci: null, n, lowSample: true };
  const total = used.reduce((a, s) => a + s.pop, 0);
  const rate = used.reduce((a, s) => a + (s.pop / total) * (s.k / s.n), 0);
  const v = used.reduce((a, s) => a + (s.pop / total) ** 2 * (s.k / s.n) * (1 - s.k / s.n) / s.n, 0);
  return { rate, ci: [Math.max(0, rate - Z * Math.sqrt(v)), Math.min(1, rate + Z * Math.sqrt(v))], n, lowSample: n < 30 };
}

export const localDay = (at: Date): string => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export function daysFromTo(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
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
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
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
