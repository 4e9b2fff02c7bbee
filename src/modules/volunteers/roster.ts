import type { RosterEventDoc } from './volunteers.model';
import type { SignupStatus } from './volunteers.schema';

/**
 * An activity's roster: a pure function of its roster log (roster-log.ts). Every process that has
 * read the same prefix of the log holds the same roster, so "who is confirmed" is never decided
 * by a racing counter: seats are given in log order, and a cancelled seat goes to the earliest
 * waitlisted volunteer.
 */
export interface RosterEntry {
  residentId: string;
  regionCode: string | null;
  name: string;
  phoneMasked: string;
  signedUpAt: Date;
  /** seq of the sign-up event */
  seq: number;
}

export interface Roster {
  activityId: string;
  /** last applied seq */
  seq: number;
  capacity: number;
  confirmed: RosterEntry[];
  waitlist: RosterEntry[];
}

export type Applied =
  | { type: 'signup'; status: SignupStatus; position?: number }
  | { type: 'cancel'; was: SignupStatus; promoted: RosterEntry[] }
  | { type: 'capacity'; promoted: RosterEntry[] }
  | { type: 'ignored' };

export const emptyRoster = (activityId: string, capacity: number): Roster => ({
  activityId,
  seq: 0,
  capacity,
  confirmed: [],
  waitlist: [],
});

/** Moves waitlisted volunteers onto free seats, earliest first. */
function fillSeats(r: Roster): RosterEntry[] {
  const promoted: RosterEntry[] = [];
  while (r.confirmed.length < r.capacity && r.waitlist.length) {
    const next = r.waitlist.shift()!;
    r.confirmed.push(next);
    promoted.push(next);
  }
  return promoted;
}

export function statusOf(r: Roster, residentId: string): { status: SignupStatus; position?: number } | undefined {
  if (r.confirmed.some((e) => e.residentId === residentId)) return { status: 'confirmed' };
  const i = r.waitlist.findIndex((e) => e.residentId === residentId);
  return i >= 0 ? { status: 'waitlisted', position: i + 1 } : undefined;
}

/** Applies the next event of the log (e.seq must be r.seq + 1). Invalid events are no-ops. */
export function applyEvent(
  r: Roster,
  e: Pick<RosterEventDoc, 'seq' | 'type' | 'residentId' | 'regionCode' | 'name' | 'phoneMasked' | 'capacity' | 'at'>,
): Applied {
  if (e.seq !== r.seq + 1) throw new Error(`roster ${r.activityId}: event ${e.seq} applied after ${r.seq}`);
  r.seq = e.seq;
  if (e.type === 'signup' && e.residentId && !statusOf(r, e.residentId)) {
    const entry: RosterEntry = {
      residentId: e.residentId,
      regionCode: e.regionCode ?? null,
      name: e.name ?? '',
      phoneMasked: e.phoneMasked ?? '',
      signedUpAt: e.at,
      seq: e.seq,
    };
    if (r.confirmed.length < r.capacity && r.waitlist.length === 0) {
      r.confirmed.push(entry);
      return { type: 'signup', status: 'confirmed' };
    }
    r.waitlist.push(entry);
    return { type: 'signup', status: 'waitlisted', position: r.waitlist.length };
  }
  if (e.type === 'cancel' && e.residentId) {
    const was = statusOf(r, e.residentId);
    if (!was) return { type: 'ignored' };
    if (was.status === 'confirmed') r.confirmed = r.confirmed.filter((x) => x.residentId !== e.residentId);
    else r.waitlist = r.waitlist.filter((x) => x.residentId !== e.residentId);
    return { type: 'cancel', was: was.status, promoted: fillSeats(r) };
  }
  if (e.type === 'capacity' && typeof e.capacity === 'number' && e.capacity > 0) {
    // A smaller capacity never takes a seat away from someone confirmed; it only stops new ones.
    r.capacity = e.capacity;
    return { type: 'capacity', promoted: fillSeats(r) };
  }
  return { type: 'ignored' };
}

export const counts = (r: Roster) => ({
  capacity: r.capacity,
  confirmedCount: r.confirmed.length,
  waitlistCount: r.waitlist.length,
  seatsLeft: Math.max(0, r.capacity - r.confirmed.length),
});
