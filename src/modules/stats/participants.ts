import { counterIds, dayDiff, num, type Period, periodDays, periodYears, readCounters, type Scope, sub } from '../counters';

/**
 * Distinct participants of a period per region key, exactly. Each resident is counted once, in the
 * region of their first act of the period, so sums over region keys are exact too.
 *
 * - A period that is exactly a day, ISO week, month, quarter, year or campaign-to-date reads that
 *   bucket of the `who:` counters (one number per document).
 * - Any other range uses the `gap:` counters: a resident's first participation day inside [from, to]
 *   is the one day of the range whose previous participation day lies before `from` (or which has
 *   none), so Σ over the range's days of the entries with gap > day − from counts each resident once.
 * Both read O(region keys × years) documents, never a participation.
 */
export async function distinctParticipants(scope: Scope, keys: string[], period: Period): Promise<Map<string, number>> {
  return period.bucket ? byBucket(scope, keys, period, period.bucket) : byGaps(scope, keys, period);
}

/** Reads the bucket; an ISO week's acts may sit in the documents of two calendar years. */
export async function byBucket(scope: Scope, keys: string[], period: Period, bucket: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (bucket === 'all') {
    const docs = await readCounters(keys.map((r) => counterIds.participantsAll(scope, r)));
    for (const r of keys) out.set(r, num(docs.get(counterIds.participantsAll(scope, r))!.all));
    return out;
  }
  const years = periodYears(period);
  const docs = await readCounters(keys.flatMap((r) => years.map((y) => counterIds.participants(scope, r, y))));
  for (const r of keys)
    out.set(
      r,
      years.reduce((s, y) => s + num(docs.get(counterIds.participants(scope, r, y))![bucket]), 0),
    );
  return out;
}

/** Exact distinct count for any whole-day range from the gap histograms. */
export async function byGaps(scope: Scope, keys: string[], period: Period): Promise<Map<string, number>> {
  const years = periodYears(period);
  const days = periodDays(period);
  const docs = await readCounters(keys.flatMap((r) => years.map((y) => counterIds.gaps(scope, r, y))));
  const out = new Map<string, number>();
  for (const r of keys) {
    let total = 0;
    for (const day of days) {
      const entries = sub(docs.get(counterIds.gaps(scope, r, day.slice(0, 4)))![day]);
      const since = dayDiff(period.from, day);
      for (const [gap, count] of Object.entries(entries)) if (gap === 'n' || Number(gap.slice(1)) > since) total += num(count);
    }
    out.set(r, total);
  }
  return out;
}

/** Distinct participants per day (the `d:` buckets), summed over the region keys. */
export async function dailyParticipants(scope: Scope, keys: string[], period: Period): Promise<Map<string, number>> {
  const years = periodYears(period);
  const docs = await readCounters(keys.flatMap((r) => years.map((y) => counterIds.participants(scope, r, y))));
  const out = new Map<string, number>();
  for (const day of periodDays(period)) {
    out.set(
      day,
      keys.reduce((s, r) => s + num(docs.get(counterIds.participants(scope, r, day.slice(0, 4)))![`d:${day}`]), 0),
    );
  }
  return out;
}

/** Acts of participation per day summed over the region keys (the `act:` counters). */
export async function dailyActs(kind: Exclude<Scope, 'all'>, keys: string[], period: Period): Promise<Map<string, number>> {
  const years = periodYears(period);
  const docs = await readCounters(keys.flatMap((r) => years.map((y) => counterIds.acts(kind, r, y))));
  const out = new Map<string, number>();
  for (const day of periodDays(period))
    out.set(
      day,
      keys.reduce((s, r) => s + num(docs.get(counterIds.acts(kind, r, day.slice(0, 4)))![day]), 0),
    );
  return out;
}
