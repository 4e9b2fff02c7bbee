import { now } from '../../core/time';
import { appendAt, keyedSerializer, newNonce, readLog } from '../../core/store';
import { VolunteerRef, type VolunteerRefDoc } from './volunteers.model';

/**
 * A volunteer's activities, newest last: the per-owner index behind "my sign-ups" and the service
 * record, a dense log `<residentId>:<n>` (the store's log) read by point reads. An activity is added
 * once, at the first sign-up; the list is cached per process and caught up on every read.
 */
interface Refs {
  seq: number;
  activityIds: string[];
}

const MAX_CACHED = 20_000;
const cache = new Map<string, Refs>();
/** One writer per volunteer's log in this process. */
const serialized = keyedSerializer();

function cachedRefs(residentId: string): Refs {
  let r = cache.get(residentId);
  if (r) {
    cache.delete(residentId); // re-insert: Map order is the eviction order (least recently used first)
  } else {
    r = { seq: 0, activityIds: [] };
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
  cache.set(residentId, r);
  return r;
}

function apply(r: Refs, docs: VolunteerRefDoc[]): void {
  for (const d of docs) {
    r.seq += 1;
    if (!r.activityIds.includes(d.activityId)) r.activityIds.push(d.activityId);
  }
}

export function listActivityRefs(residentId: string): Promise<string[]> {
  const r = cachedRefs(residentId);
  return serialized(`refs:${residentId}`, async () => {
    apply(r, await readLog<VolunteerRefDoc>(VolunteerRef, residentId, r.seq));
    return [...r.activityIds];
  });
}

export function addActivityRef(residentId: string, activityId: string): Promise<void> {
  const r = cachedRefs(residentId);
  return serialized(`refs:${residentId}`, async () => {
    for (;;) {
      apply(r, await readLog<VolunteerRefDoc>(VolunteerRef, residentId, r.seq));
      if (r.activityIds.includes(activityId)) return;
      const entry = { activityId, nonce: newNonce(), at: now() };
      if ((await appendAt(VolunteerRef, residentId, r.seq + 1, entry)) === 'ok') return apply(r, [{ _id: '', ...entry }]);
    }
  });
}
