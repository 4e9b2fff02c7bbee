import { dayKey } from '../../core/time';
import { counterWriter, num, readCounterNow, regionKey, type Emit } from '../counters';
import { ServiceHours, Volunteer } from './volunteers.model';

/**
 * Volunteer counters (caches of the volunteers and the hours ledger, in stat_counters, written by
 * the serialized counter writer and recomputed by `npm run stats:rebuild`):
 *   vol:<community>           c.n volunteers registered there, c.minutes served, c.served activities
 *   volday:<community>:<year> c[<day>].r volunteers registered that day (and still registered: a
 *                             withdrawal takes its registration day back), .m minutes and .s services
 *                             booked at check-outs of that day
 *   volres:<residentId>       c.minutes, c.served: one volunteer's totals
 * The statistics module reads vol:* for the stock and volday:* for the figures of a period.
 */
export const volunteerCounterIds = {
  region: (regionCode: string | null | undefined) => `vol:${regionKey(regionCode)}`,
  days: (regionCode: string | null | undefined, year: string) => `volday:${regionKey(regionCode)}:${year}`,
  resident: (residentId: string) => `volres:${residentId}`,
};

type Effect = [string, string, number];

function registrationEffects(regionCode: string, registeredAt: Date, delta: 1 | -1): Effect[] {
  const day = dayKey(registeredAt);
  return [
    [volunteerCounterIds.region(regionCode), 'n', delta],
    [volunteerCounterIds.days(regionCode, day.slice(0, 4)), `${day}.r`, delta],
  ];
}

function hoursEffects(residentId: string, regionCode: string | null, minutes: number, checkedOutAt: Date): Effect[] {
  const day = dayKey(checkedOutAt);
  const days = volunteerCounterIds.days(regionCode, day.slice(0, 4));
  return [
    ...[volunteerCounterIds.region(regionCode), volunteerCounterIds.resident(residentId)].flatMap((id): Effect[] => [
      [id, 'minutes', minutes],
      [id, 'served', 1],
    ]),
    [days, `${day}.m`, minutes],
    [days, `${day}.s`, 1],
  ];
}

/** A registration (delta 1) or its withdrawal (-1), counted on the day it was registered. */
export function countVolunteerRegistered(regionCode: string, registeredAt: Date, delta: 1 | -1 = 1): void {
  for (const [id, f, d] of registrationEffects(regionCode, registeredAt, delta)) counterWriter.inc(id, f, d);
}

/** Hours booked at a check-out: on the volunteer's community and the day of the check-out. */
export function countServiceHours(residentId: string, regionCode: string | null, minutes: number, checkedOutAt: Date): void {
  for (const [id, f, d] of hoursEffects(residentId, regionCode, minutes, checkedOutAt)) counterWriter.inc(id, f, d);
}

/** A volunteer's totals: written counters plus this process's unwritten deltas. */
export async function volunteerTotals(residentId: string): Promise<{ minutes: number; served: number }> {
  const c = await readCounterNow(volunteerCounterIds.resident(residentId));
  return { minutes: num(c.minutes), served: num(c.served) };
}

/** For the rebuild: the same counters from the source records. */
export async function volunteerCounterSource(emit: Emit): Promise<void> {
  for (const v of await Volunteer.find({}, { regionCode: 1, createdAt: 1 }).lean())
    for (const e of registrationEffects(v.regionCode, v.createdAt, 1)) emit(...e);
  for (const h of await ServiceHours.find({}, { residentId: 1, regionCode: 1, minutes: 1, checkedOutAt: 1 }).lean()) {
    for (const e of hoursEffects(h.residentId, h.regionCode ?? null, h.minutes, h.checkedOutAt)) emit(...e);
  }
}

export const hoursOf = (minutes: number): number => Math.round(minutes / 6) / 10;
