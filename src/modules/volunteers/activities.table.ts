import { now } from '../../core/time';
import { getRegion } from '../regions/regions.service';
import { allActivities, inRegion, type ActivityDoc } from './activities.service';
import { presentActivities } from './activities.present';
import type { ActivityTableQuery } from './volunteers.schema';

type Phase = 'running' | 'upcoming' | 'past';

export const phaseOf = (a: Pick<ActivityDoc, 'startAt' | 'endAt'>, at = now()): Phase =>
  at >= a.endAt ? 'past' : at >= a.startAt ? 'running' : 'upcoming';

/**
 * The console's activity table: every activity (cancelled too), by phase (running, upcoming, past),
 * status, region and text, sorted and paged. Activities are held in memory, so this is a filter
 * over that list; only the page's rows read their rosters.
 */
export async function activityTable(q: ActivityTableQuery, origin: string) {
  if (q.region) getRegion(q.region);
  const at = now();
  const text = q.q?.toLowerCase();
  const matching = (await allActivities()).filter(
    (a) =>
      (!q.status || a.status === q.status) &&
      (!q.region || inRegion(a, q.region)) &&
      (!text || [a.title, a.address, a.organizer].some((v) => v.toLowerCase().includes(text))),
  );
  const phases = { running: 0, upcoming: 0, past: 0 };
  for (const a of matching) phases[phaseOf(a, at)] += 1;
  const rows = matching.filter((a) => !q.phase || phaseOf(a, at) === q.phase).sort(byField(q.sort, q.order));
  const page = rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  const items = await presentActivities(page, { organiser: true, origin });
  return { items: items.map((v, i) => ({ ...v, phase: phaseOf(page[i]!, at) })), total: rows.length, phases };
}

function byField(field: ActivityTableQuery['sort'], order: 'asc' | 'desc') {
  const sign = order === 'asc' ? 1 : -1;
  const key = (a: ActivityDoc) => (field === 'title' ? a.title : a[field].getTime());
  return (a: ActivityDoc, b: ActivityDoc) => {
    const ka = key(a);
    const kb = key(b);
    const c = typeof ka === 'string' ? ka.localeCompare(kb as string, 'zh-CN') : ka - (kb as number);
    return sign * c || (a._id < b._id ? -1 : 1);
  };
}
