import { field, outcomeLabels, visitsOf, type AssignedHousehold, type Assignment } from './field-sync';

/** What the work page shows of a household: the phone's own unsynced visit wins over the server's state. */
export interface HouseholdView {
  outcome: string;
  /** waiting to be sent */
  pending: boolean;
  /** the server refused the visit recorded on the phone, in Chinese */
  error: string;
  errorKey: string;
  done: boolean;
}

export function viewOf(surveyId: string, h: AssignedHousehold): HouseholdView {
  const local = visitsOf(surveyId, h.id);
  const waiting = local.filter((v) => !v.error).at(-1);
  const refused = local.find((v) => v.error);
  const outcome = waiting?.input.outcome ?? h.outcome;
  return {
    outcome: outcome ? outcomeLabels[outcome] : '未访',
    pending: Boolean(waiting),
    error: refused?.error?.message ?? '',
    errorKey: refused?.key ?? '',
    done: outcome === 'completed' || h.final || Boolean(h.replacedBy),
  };
}

/** The households of a survey, by community (the order the server gives: sample first, then reserve). */
export function byCommunity(a: Assignment): Array<{ regionCode: string; community: string; households: AssignedHousehold[] }> {
  const groups = new Map<string, { regionCode: string; community: string; households: AssignedHousehold[] }>();
  for (const h of a.households) {
    const g = groups.get(h.regionCode) ?? { regionCode: h.regionCode, community: h.community, households: [] };
    g.households.push(h);
    groups.set(h.regionCode, g);
  }
  return [...groups.values()];
}

/** A reserve household not yet in use replaces one of the community's issued households that ended without an interview. */
export function replaceable(a: Assignment, reserve: AssignedHousehold): AssignedHousehold[] {
  // A refusal recorded offline counts: the queue syncs in order, so it reaches the server first.
  const endedHere = (h: AssignedHousehold) =>
    visitsOf(a.survey.id, h.id).some((v) => !v.error && ['refused', 'vacant', 'other'].includes(v.input.outcome));
  return a.households.filter(
    (h) =>
      h.regionCode === reserve.regionCode &&
      (h.role === 'sample' || h.replacementFor) &&
      !h.replacedBy &&
      h.outcome !== 'completed' &&
      (h.final || endedHere(h)),
  );
}

export const needsReplacement = (h: AssignedHousehold) => h.role === 'reserve' && !h.replacementFor;

export function syncText(): string {
  const waiting = field.queue.filter((v) => !v.error).length;
  if (field.syncing && waiting) return `正在同步 ${waiting} 份…`;
  if (waiting) return `待同步 ${waiting} 份`;
  return '已同步';
}

/** The phone's position, if it gives one within a few seconds (never required). */
export function currentPosition(): Promise<{ lat: number; lng: number } | undefined> {
  if (!('geolocation' in navigator)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => resolve(undefined),
      { timeout: 5000, maximumAge: 120_000, enableHighAccuracy: false },
    );
  });
}
