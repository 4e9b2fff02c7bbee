/** The 95 % intervals of DESIGN.md §Participation and statistics. Pure functions, no I/O. */
export const Z = 1.96;
export const LOW_SAMPLE = 30;

export interface Rate {
  rate: number | null;
  ci: [number, number] | null;
  n: number;
  lowSample: boolean;
}

const clip = (x: number) => Math.min(1, Math.max(0, x));

/** An empty rate: n = 0 gives rate null and ci null. */
export const noRate = (): Rate => ({ rate: null, ci: null, n: 0, lowSample: true });

/**
 * k of n with the Wilson score interval:
 * (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n).
 */
export function wilson(k: number, n: number): Rate {
  if (n <= 0) return noRate();
  const p = k / n;
  // A count above its base (e.g. participants who moved away, against residents known now) keeps
  // its rate but gets the interval of a full share rather than a NaN.
  const q = Math.min(1, p);
  const z2 = Z * Z;
  const centre = q + z2 / (2 * n);
  const half = Z * Math.sqrt((q * (1 - q)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  return { rate: p, ci: [clip((centre - half) / denom), clip((centre + half) / denom)], n, lowSample: n < LOW_SAMPLE };
}

/** One stratum of a post-stratified rate: a community with its census population. */
export interface Stratum {
  population: number;
  k: number;
  n: number;
}

/**
 * Post-stratified by population over the strata with n > 0: Σ w·p with w = pop / Σ pop, and
 * ± z·sqrt(Σ w²·p(1-p)/n) clipped to [0, 1]. n is the answers behind it (Σ n).
 */
export function weighted(strata: Stratum[]): Rate {
  const used = strata.filter((s) => s.n > 0);
  const total = used.reduce((sum, s) => sum + s.population, 0);
  const n = used.reduce((sum, s) => sum + s.n, 0);
  if (!used.length || total <= 0) return { ...noRate(), n };
  let rate = 0;
  let variance = 0;
  for (const s of used) {
    const w = s.population / total;
    const p = s.k / s.n;
    rate += w * p;
    variance += (w * w * p * (1 - p)) / s.n;
  }
  const half = Z * Math.sqrt(variance);
  return { rate, ci: [clip(rate - half), clip(rate + half)], n, lowSample: n < LOW_SAMPLE };
}
