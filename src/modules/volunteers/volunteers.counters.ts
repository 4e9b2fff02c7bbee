import { counterWriter } from '../stats/counter-writer';
import { regionKey } from '../stats/counter-keys';
import type { Emit } from '../stats/stats.rebuild';
import { Counter } from '../stats/stats.model';
import { ServiceHours, Volunteer } from './volunteers.model';

/**
 * Volunteer counters (caches of the volunteers and the hours ledger, in stat_counters, written by
 * the serialized counter writer and recomputed by `npm run stats:rebuild`):
 *   vol:<community>     c.n volunteers registered there, c.minutes served, c.served activities
 *   volres:<residentId> c.minutes, c.served: one volunteer's totals
 * The statistics module reads vol:* for 志愿者注册率 and hours by region.
 */
export const volunteerCounterIds = {
  region: (regionCode: string | null | undefined) => `vol:${regionKey(regionCode)}`,
  resident: (residentId: string) => `volres:${residentId}`,
};

export function countVolunteerRegistered(regionCode: string, delta: 1 | -1 = 1): void {
  counterWriter.inc(volunteerCounterIds.region(regionCode), 'n', delta);
}

export function countServiceHours(residentId: string, regionCode: string | null, minutes: number): void {
  for (const id of [volunteerCounterIds.region(regionCode), volunteerCounterIds.resident(residentId)]) {
    counterWriter.inc(id, 'minutes', minutes);
    counterWriter.inc(id, 'served', 1);
  }
}

/** A volunteer's totals: written counters plus this process's unwritten deltas. */
export async function volunteerTotals(residentId: string): Promise<{ minutes: number; served: number }> {
  const id = volunteerCounterIds.resident(residentId);
  const doc = await Counter.findById(id).lean<{ c?: Record<string, number> }>();
  const pending = counterWriter.pendingFor(id);
  return { minutes: (doc?.c?.minutes ?? 0) + (pending.minutes ?? 0), served: (doc?.c?.served ?? 0) + (pending.served ?? 0) };
}

/** For the rebuild: the same counters from the source records. */
export async function volunteerCounterSource(emit: Emit): Promise<void> {
  for (const v of await Volunteer.find({}, { regionCode: 1 }).lean()) emit(volunteerCounterIds.region(v.regionCode), 'n', 1);
  for (const h of await ServiceHours.find({}, { residentId: 1, regionCode: 1, minutes: 1 }).lean()) {
    for (const id of [volunteerCounterIds.region(h.regionCode), volunteerCounterIds.resident(h.residentId)]) {
      emit(id, 'minutes', h.minutes);
      emit(id, 'served', 1);
    }
  }
}

export const hoursOf = (minutes: number): number => Math.round(minutes / 6) / 10;
