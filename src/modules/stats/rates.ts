/** The rates and 95 % intervals of docs/statistics.md. Pure functions, no I/O. */
export const Z = 1.96;
export const LOW_SAMPLE = 30;

/**
 * Every rate the statistics report: `n` counts people (responses), `answers` the answers behind
 * them, `designEffect` how much the clustering of answers within people widens the interval.
 */
export interface Rate {
  rate: number | null;
  ci: [number, number] | null;
  n: number;
  answers: number;
  designEffect: number | null;
  lowSample: boolean;
}

const clip = (x: number) => Math.min(1, Math.max(0, x));

/** An empty rate: no responses give rate null and ci null. */
export const noRate = (answers = 0): Rate => ({ rate: null, ci: null, n: 0, answers, designEffect: null, lowSample: true });

/**
 * The Wilson score interval of a proportion p on a (possibly effective, non-integer) sample size n:
 * (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n).
 */
export function wilsonInterval(p: number, n: number): [number, number] {
  // A count above its base (participants who moved away, against residents known now) keeps its
  // rate but gets the interval of a full share rather than a NaN.
  const q = Math.min(1, Math.max(0, p));
  const z2 = Z * Z;
  const centre = q + z2 / (2 * n);
  const half = Z * Math.sqrt((q * (1 - q)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  return [clip((centre - half) / denom), clip((centre + half) / denom)];
}

/** k of n independent units (people, tip-offs): Wilson on (k, n), each unit one answer. */
export function wilson(k: number, n: number): Rate {
  if (n <= 0) return noRate();
  return { rate: k / n, ci: wilsonInterval(k / n, n), n, answers: n, designEffect: 1, lowSample: n < LOW_SAMPLE };
}

/**
 * Sums over the responses j of a group: m responses, Σn_j indicator answers, Σk_j aware/positive
 * ones, the squares and cross products for the variance, and for satisfaction Σ of each response's
 * mean score over the sm responses that had a score.
 */
export interface Sums {
  m: number;
  n: number;
  k: number;
  nn: number;
  kk: number;
  nk: number;
  ss: number;
  sm: number;
}
export const sumFields = ['m', 'n', 'k', 'nn', 'kk', 'nk', 'ss', 'sm'] as const;
export const emptySums = (): Sums => ({ m: 0, n: 0, k: 0, nn: 0, kk: 0, nk: 0, ss: 0, sm: 0 });

export function addSums(into: Sums, v: Partial<Record<keyof Sums, unknown>>): Sums {
  for (const f of sumFields) into[f] += typeof v[f] === 'number' ? v[f] : 0;
  return into;
}

/**
 * The ratio estimator p = Σk / Σn and its variance with respondents as clusters (linearization):
 * Var(p) = Σ(k_j − p·n_j)² / (m(m − 1)·n̄²), n̄ = Σn / m, for m ≥ 2 (null below).
 * Σ(k_j − p·n_j)² = Σk² − 2p·Σnk + p²·Σn², so the sums suffice.
 */
export function ratioEstimate(s: Sums): { p: number; variance: number | null } | null {
  if (s.m <= 0 || s.n <= 0) return null;
  const p = s.k / s.n;
  if (s.m < 2) return { p, variance: null };
  const nbar = s.n / s.m;
  const ss = Math.max(0, s.kk - 2 * p * s.nk + p * p * s.nn);
  return { p, variance: ss / (s.m * (s.m - 1) * nbar * nbar) };
}

/** n_eff = p(1 − p) / Var, or `fallback` (m) when the variance is 0 or unknown. */
function effectiveSize(p: number, variance: number | null, fallback: number): number {
  return variance === null || variance <= 0 ? fallback : (p * (1 - p)) / variance;
}

function rateOn(p: number, nEff: number, m: number, answers: number): Rate {
  return { rate: p, ci: wilsonInterval(p, nEff), n: m, answers, designEffect: m / nEff, lowSample: m < LOW_SAMPLE };
}

/**
 * A rate over responses (知晓率, 支持率, 满意度 of a kind): each response answered n_j tagged questions
 * and was aware / positive on k_j; the ratio estimator with Wilson on n_eff.
 */
export function responseRate(s: Sums): Rate {
  const est = ratioEstimate(s);
  if (!est) return noRate(s.n);
  return rateOn(est.p, effectiveSize(est.p, est.variance, s.m), s.m, s.n);
}

/**
 * One indicator's rate: a plain proportion over the responses that answered it, Wilson on (k, m).
 * A quiz attempt may draw two questions of one indicator; only then is it the ratio estimator.
 */
export function indicatorRate(s: Sums): Rate {
  if (s.m > 0 && s.n === s.m) return wilson(s.k, s.m);
  return responseRate(s);
}

/** Satisfaction's 0–100 score: the mean over responses of each response's mean option score. */
export const meanScore = (s: Sums): number | null => (s.sm > 0 ? s.ss / s.sm : null);

/** A stratum of the post-stratified rate: a community (or a merged group of them) with its population. */
export interface Stratum {
  population: number;
  sums: Sums;
}

/**
 * Post-stratified by population over the strata with responses: p_w = Σ w_c·p_c, w_c = pop_c / Σ pop,
 * Var(p_w) = Σ w_c²·Var(p_c), Wilson on (p_w, n_eff = p_w(1 − p_w) / Var(p_w)); n_eff = Σ m_c when the
 * variance is 0. Strata must already be merged so that each has m ≥ 2 (or be the only one).
 */
export function poststratified(strata: Stratum[]): Rate {
  const used = strata.filter((s) => s.sums.m > 0 && s.sums.n > 0);
  const m = used.reduce((a, s) => a + s.sums.m, 0);
  const answers = strata.reduce((a, s) => a + s.sums.n, 0);
  const total = used.reduce((a, s) => a + s.population, 0);
  if (!used.length || total <= 0) return noRate(answers);
  let p = 0;
  let variance = 0;
  for (const s of used) {
    const w = s.population / total;
    const est = ratioEstimate(s.sums)!;
    p += w * est.p;
    variance += w * w * (est.variance ?? 0);
  }
  return rateOn(p, effectiveSize(p, variance, m), m, answers);
}
