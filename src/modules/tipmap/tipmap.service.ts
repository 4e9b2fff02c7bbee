import { readByIds } from '../../core/store';
import { dayKey, isoLocal } from '../../core/time';
import { listCategories } from '../catalog/catalog.service';
import { regionPath, communitiesUnder } from '../regions/regions.service';
import { campaignSpan, NO_REGION, num, periodDays, periodYears, readCounters, resolvePeriod, sub, type Period } from '../counters';
import { tipoffCounterId } from '../tipoffs';
import { OpenTipoff, Tipoff, type OpenTipoffDoc, type TipoffDoc } from '../tipoffs/tipoffs.model';
import type { TipoffStatus } from '../tipoffs/tipoffs.schema';
import type { MapCommunity, MapPoint, MapQuery, TipoffMapView } from './tipmap.schema';

/** At most this many unfinished tip-offs are drawn one by one (one point read each); the rest are counted. */
export const MAX_POINTS = 500;
/** Point reads of tip-offs in flight at once. */
const CONCURRENCY = 16;
/** What tipoff_open holds; the other statuses are finished and read from the per-day counters. */
const OPEN: readonly TipoffStatus[] = ['submitted', 'accepted', 'assigned', 'rectified'];
const FINISHED: readonly TipoffStatus[] = ['closed', 'rejected', 'merged'];

/**
 * The tip-off map, bounded whatever the number of tip-offs ever made:
 * - unfinished tip-offs from the small tipoff_open queue (one scan of it, as the queues do), filtered
 *   there, then at most MAX_POINTS of them, newest first, read by _id for their coordinates;
 * - finished ones from the per-day tip-off counters (tip:<community>:<year>, point reads: O(communities
 *   × years), days summed in memory), drawn per community at its centre.
 * Both count the tip-offs reported in the period, in their current state.
 */
export async function tipoffMap(q: MapQuery): Promise<TipoffMapView> {
  const period = resolvePeriod(q, await campaignSpan());
  const wantOpen = !q.status || OPEN.includes(q.status);
  const wantFinished = !q.status || FINISHED.includes(q.status);
  const [open, finished] = await Promise.all([
    wantOpen ? openPoints(q, period) : { points: [], total: 0, unplaced: 0 },
    wantFinished ? finishedByCommunity(q, period) : { communities: [], unplaced: 0 },
  ]);
  return {
    period: { from: period.from, to: period.to, label: period.label },
    points: open.points,
    openTotal: open.total,
    maxPoints: MAX_POINTS,
    communities: finished.communities,
    unplaced: open.unplaced + finished.unplaced,
  };
}

async function openPoints(q: MapQuery, period: Period): Promise<{ points: MapPoint[]; total: number; unplaced: number }> {
  const inPeriod = (o: OpenTipoffDoc) => {
    const day = dayKey(o.createdAt);
    return day >= period.from && day <= period.to;
  };
  const matching = (await OpenTipoff.find().lean<OpenTipoffDoc[]>())
    .filter((o) => inPeriod(o) && (!q.status || o.status === q.status) && (!q.category || o.categoryCode === q.category))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const docs = await readEach(matching.slice(0, MAX_POINTS).map((o) => o._id));
  const names = new Map(listCategories().map((c) => [c.code, c.name]));
  const points: MapPoint[] = [];
  for (const t of docs) {
    if (!t || t.location?.lat == null || t.location.lng == null) continue;
    points.push({
      id: t._id,
      status: t.status,
      categoryCode: t.categoryCode,
      categoryName: names.get(t.categoryCode) ?? t.categoryCode,
      lat: t.location.lat,
      lng: t.location.lng,
      place:
        t.location.address ||
        (t.regionCode
          ? regionPath(t.regionCode)
              .map((r) => r.name)
              .slice(1)
              .join(' ')
          : '') ||
        '未填写地点',
      reportedAt: isoLocal(t.createdAt),
    });
  }
  const shown = Math.min(matching.length, MAX_POINTS);
  return { points, total: matching.length, unplaced: shown - points.length };
}

/** The tip-offs by _id, CONCURRENCY at a time: point reads, the one filter FerretDB serves by index. */
const readEach = (ids: string[]): Promise<(TipoffDoc | null)[]> =>
  readByIds<TipoffDoc>(Tipoff, ids, {
    projection: { status: 1, categoryCode: 1, location: 1, regionCode: 1, createdAt: 1 },
    concurrency: CONCURRENCY,
  });

async function finishedByCommunity(q: MapQuery, period: Period): Promise<{ communities: MapCommunity[]; unplaced: number }> {
  const communities = communitiesUnder();
  const years = periodYears(period);
  const keys = [...communities.map((c) => c.code), NO_REGION];
  const docs = await readCounters(keys.flatMap((k) => years.map((y) => tipoffCounterId(k, y))));
  const days = periodDays(period);
  const tally = (key: string): Map<TipoffStatus, number> => {
    const byStatus = new Map<TipoffStatus, number>();
    for (const day of days) {
      const entries = sub(sub(docs.get(tipoffCounterId(key, day.slice(0, 4)))?.[day]).s);
      for (const [k, v] of Object.entries(entries)) {
        const [status, category] = k.split('|') as [TipoffStatus, string];
        if (!FINISHED.includes(status) || (q.status && status !== q.status) || (q.category && category !== q.category)) continue;
        byStatus.set(status, (byStatus.get(status) ?? 0) + num(v));
      }
    }
    return byStatus;
  };
  const out: MapCommunity[] = [];
  for (const c of communities) {
    const byStatus = tally(c.code);
    const total = [...byStatus.values()].reduce((s, n) => s + n, 0);
    if (!total || !c.center) continue;
    out.push({
      code: c.code,
      name: c.name,
      label: regionPath(c.code)
        .slice(1)
        .map((r) => r.name)
        .join(' · '),
      lat: c.center.lat,
      lng: c.center.lng,
      total,
      byStatus: FINISHED.filter((s) => byStatus.get(s)).map((s) => ({ status: s, count: byStatus.get(s)! })),
    });
  }
  const unplaced = [...tally(NO_REGION).values()].reduce((s, n) => s + n, 0);
  return { communities: out, unplaced };
}
