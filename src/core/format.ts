/**
 * How figures leave the system: rounded in exports, formatted as percentages in texts, charts and
 * pages. Pure and import-free, so the H5 pages bundle this very file (src/h5/src/format.ts).
 */

/** Decimals kept in exports: rates (0–1) to 4, hours and scores to 1. */
export const RATE_DECIMALS = 4;
export const HOURS_DECIMALS = 1;

/**
 * x rounded to `decimals` places, without float noise: an integer divided by a power of ten is
 * the double nearest the decimal, which prints as that decimal (36.34999083333334 → 36.3).
 */
export function roundTo(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no "-0"
}

export const roundRate = (x: number | null | undefined): number | null =>
  x === null || x === undefined ? null : roundTo(x, RATE_DECIMALS);
export const roundHours = (x: number | null | undefined): number | null =>
  x === null || x === undefined ? null : roundTo(x, HOURS_DECIMALS);
/** Mean scores (0–100) keep one decimal, like hours. */
export const roundScore = roundHours;

/**
 * Excel's format for the rates of an export: 0 as 0%, under 1 % with two decimals (the 4 decimals
 * a rate is rounded to), otherwise one.
 */
export const PERCENT_NUMFMT = '[=0]0%;[<0.01]0.00%;0.0%';

/** Decimals shown for rates under 1 %: two significant digits, at most this many. */
const MAX_SMALL_DECIMALS = 6;

/**
 * A rate (0–1) as a percentage: one decimal normally (72.3%, 100.0%), two significant digits under
 * 1 % (0.04%, 0.5%, 0.0012%) so a small rate never reads "0.0%", and exactly 0 as "0%". Null → "—".
 */
export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0%';
  const p = Math.abs(x * 100);
  const sign = x < 0 ? '-' : '';
  if (p >= 1) return `${sign}${p.toFixed(1)}%`;
  const decimals = Math.min(MAX_SMALL_DECIMALS, Math.max(1, 1 - Math.floor(Math.log10(p))));
  const shown = Number(p.toFixed(decimals));
  if (shown >= 1) return `${sign}${shown.toFixed(1)}%`; // 0.996 rounds up to 1.00: show it as 1.0
  if (shown === 0) return `${sign}<${(10 ** -MAX_SMALL_DECIMALS).toFixed(MAX_SMALL_DECIMALS)}%`;
  // Trailing zeros say nothing here (0.040 → 0.04), but keep one decimal (0.10 → 0.1).
  return `${sign}${p.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '.0')}%`;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * A length of time as people say it: "46 天 16 小时", "3 天", "5 小时", "20 分钟" (whole units,
 * rounded down, so a deadline is never shown further away than it is; under a minute reads "1 分钟").
 */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= DAY_MS) {
    const days = Math.floor(abs / DAY_MS);
    const hours = Math.floor((abs % DAY_MS) / HOUR_MS);
    return hours ? `${days} 天 ${hours} 小时` : `${days} 天`;
  }
  if (abs >= HOUR_MS) return `${Math.floor(abs / HOUR_MS)} 小时`;
  return `${Math.max(1, Math.floor(abs / MINUTE_MS))} 分钟`;
}

/** A deadline seen at `at`: "剩余 3 小时" before it, "已超期 46 天 16 小时" after it. */
export function formatDue(deadline: Date | number, at: Date | number): string {
  const left = Number(deadline) - Number(at);
  return left >= 0 ? `剩余 ${formatDuration(left)}` : `已超期 ${formatDuration(left)}`;
}
