import { now } from '../../core/time';
import { appendAt, keyedSerializer, newNonce, readLog } from '../../core/store';
import { applyEvent, emptyRoster, type Applied, type Roster } from './roster';
import { RosterEvent, type ActivityDoc, type RosterEventDoc } from './volunteers.model';

/**
 * The roster of each activity, derived from its log `activity_roster_events` (`<activityId>:<seq>`).
 *
 * Why the seat count is exact under any concurrency, in one process or many:
 *  - Every sign-up, cancellation and capacity change is an event appended at the next seq by a
 *    unique-_id insert (the store's log, src/core/store/log.ts). The log is therefore one total order that every process
 *    agrees on, and the roster is a pure function of it (roster.ts): seats go in log order, and
 *    nobody ever holds a count that two writers could both increment.
 *  - A writer decides on the roster of seq 1..n-1 and then inserts seq n. The insert succeeds only
 *    if n was free, and since the log has no holes nothing after n exists either: the roster it
 *    decided on was exactly the current one. If another process took n first, the insert fails
 *    with a duplicate key, the writer reads that event, decides again and tries n+1. So "already
 *    signed up", "not signed up" and "confirmed or waitlisted" are decided on the true state.
 *  - Within a process appends to one activity are serialized (one insert each, no probing), so
 *    200 simultaneous sign-ups cost 200 inserts; readers catch up with one point read (a miss)
 *    when nothing new was written elsewhere.
 * The cache is per process and never wrong, only possibly behind: every read first catches up.
 */
/** One writer per activity's log in this process. */
const serialized = keyedSerializer();

export type RosterEventInput = Pick<RosterEventDoc, 'type'> &
  Partial<Pick<RosterEventDoc, 'residentId' | 'regionCode' | 'name' | 'phoneMasked' | 'capacity'>>;
type ActivityRef = Pick<ActivityDoc, '_id' | 'capacity'>;

let stores = 0;

/** One process's view of the rosters (a class so that tests can run two "processes" side by side). */
export class RosterStore {
  private readonly rosters = new Map<string, Roster>();
  private readonly name = `roster${++stores}`;

  private cached(activity: ActivityRef): Roster {
    let r = this.rosters.get(activity._id);
    if (!r) this.rosters.set(activity._id, (r = emptyRoster(activity._id, activity.capacity)));
    return r;
  }

  private serial<T>(r: Roster, fn: () => Promise<T>): Promise<T> {
    return serialized(`${this.name}:${r.activityId}`, fn);
  }

  /** The current roster (read-only for callers: it is the cache). */
  read(activity: ActivityRef): Promise<Roster> {
    const r = this.cached(activity);
    return this.serial(r, async () => {
      await catchUp(r);
      return r;
    });
  }

  /**
   * Appends the event `decide` returns for the current roster; `decide` may throw (e.g. 409 when
   * already signed up) and is asked again whenever another process appended first.
   */
  append(activity: ActivityRef, decide: (r: Roster) => RosterEventInput): Promise<{ applied: Applied; roster: Roster; seq: number }> {
    const r = this.cached(activity);
    return this.serial(r, async () => {
      for (;;) {
        const input = decide(r);
        const event = {
          activityId: r.activityId,
          seq: r.seq + 1,
          residentId: null,
          regionCode: null,
          name: null,
          phoneMasked: null,
          capacity: null,
          ...input,
          nonce: newNonce(),
          at: now(),
        };
        if ((await appendAt(RosterEvent, r.activityId, event.seq, event)) === 'ok')
          return { applied: applyEvent(r, event), roster: r, seq: event.seq };
        await catchUp(r);
      }
    });
  }

  forget(): void {
    this.rosters.clear();
  }
}

async function catchUp(r: Roster): Promise<void> {
  for (const e of await readLog<RosterEventDoc>(RosterEvent, r.activityId, r.seq)) applyEvent(r, e);
}

const store = new RosterStore();

export const readRoster = (activity: ActivityRef): Promise<Roster> => store.read(activity);
export const appendToRoster = (activity: ActivityRef, decide: (r: Roster) => RosterEventInput) => store.append(activity, decide);

/** Forgets this process's cached rosters (tests: a restart). */
export const forgetRosters = (): void => store.forget();
