/**
 * Calendar buckets in the campaign's time zone. China has one offset (+08:00) and no daylight
 * saving, so a fixed offset is exact and avoids date libraries on the hot path.
 */
export const TZ_OFFSET_MS = 8 * 3600 * 1000;
export const TZ_SUFFIX = '+08:00';

let clock: () => Date = () => new Date();

/** The injectable clock: jobs and tests set it instead of waiting. */
export const now = (): Date => clock();
export function setClock(fn: (() => Date) | undefined): void {
  clock = fn ?? (() => new Date());
}

/** YYYY-MM-DD of an instant in Asia/Shanghai. */
export function dayKey(at: Date): string {
  return new Date(at.getTime() + TZ_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a local day starts. */
export function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00${TZ_SUFFIX}`);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ISO week key, e.g. 2026-W47, of a local day. */
export function isoWeekKey(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow);
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function monthKey(day: string): string {
  return day.slice(0, 7);
}

export function quarterKey(day: string): string {
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

export function yearKey(day: string): string {
  return day.slice(0, 4);
}

/** Every bucket a day belongs to: the keys distinct-per-bucket markers and counters use. */
export function bucketsOfDay(day: string): string[] {
  return [`d:${day}`, `w:${isoWeekKey(day)}`, `m:${monthKey(day)}`, `q:${quarterKey(day)}`, `y:${yearKey(day)}`, 'all'];
}

/** ISO-8601 with the +08:00 offset, the way the API shows times. */
export function isoLocal(at: Date): string {
  return new Date(at.getTime() + TZ_OFFSET_MS).toISOString().replace('Z', TZ_SUFFIX);
}

/** Days from..to inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The instant `days` whole days before `at` (a retention cut-off). */
export function daysBefore(at: Date, days: number): Date {
  return new Date(at.getTime() - days * 86_400_000);
}
