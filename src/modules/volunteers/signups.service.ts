import { AppError, notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { isoLocal, now } from '../../core/time';
import { notifyResident } from '../outbox/outbox.service';
import { regionLabel } from '../regions/regions.service';
import { recordParticipation } from '../counters';
import { checkCapacity } from './activity-edit';
import { getActivity, signupOpen, type ActivityDoc } from './activities.service';
import { counts, statusOf, type Roster, type RosterEntry } from './roster';
import { appendToRoster, readRoster } from './roster-log';
import { addActivityRef } from './volunteer-refs';
import { requireVolunteer } from './volunteers.service';
import type { RosterView, SignupResult } from './volunteers.schema';

/** The id of a volunteer's sign-up for an activity: the participation source and dedupe keys use it. */
export const signupId = (activityId: string, residentId: string): string => `${activityId}:${residentId}`;

const when = (a: ActivityDoc) => isoLocal(a.startAt).slice(5, 16).replace('T', ' ');

/** A sign-up counts as participation once it holds a seat (at once, or when promoted). */
async function recordConfirmed(activity: ActivityDoc, e: Pick<RosterEntry, 'residentId' | 'regionCode'>, at: Date): Promise<void> {
  await recordParticipation({ id: e.residentId, regionCode: e.regionCode }, 'signup', at, signupId(activity._id, e.residentId));
}

/**
 * POST /activities/:id/signups: a seat while seats remain, else a place on the waitlist. The
 * roster log (roster-log.ts) makes the seat count exact under any concurrency.
 */
export async function signUpForActivity(residentId: string, activityId: string): Promise<SignupResult> {
  const [volunteer, activity] = await Promise.all([requireVolunteer(residentId), getActivity(activityId)]);
  if (activity.status === 'cancelled') throw new AppError('SIGNUP_CLOSED', '活动已取消');
  if (!signupOpen(activity)) throw new AppError('SIGNUP_CLOSED', '活动已开始，报名已截止');
  // The index entry first: a crash after it leaves a harmless extra entry (lists show only activities
  // the volunteer holds a place in), never a sign-up missing from "my sign-ups".
  await addActivityRef(residentId, activityId);
  const { applied } = await appendToRoster(activity, (r) => {
    if (statusOf(r, residentId)) throw new AppError('ALREADY_SIGNED_UP', '您已报名此活动');
    return { type: 'signup', residentId, regionCode: volunteer.regionCode, name: volunteer.realName, phoneMasked: volunteer.phoneMasked };
  });
  if (applied.type !== 'signup') throw new Error('unexpected roster result');
  if (applied.status === 'confirmed') await recordConfirmed(activity, { residentId, regionCode: volunteer.regionCode }, now());
  return applied.status === 'confirmed' ? { status: 'confirmed' } : { status: 'waitlisted', position: applied.position! };
}

/** Seats freed by a cancellation or a larger capacity go to the earliest waitlisted: tell them. */
async function onPromoted(activity: ActivityDoc, promoted: RosterEntry[], seq: number): Promise<void> {
  for (const e of promoted) {
    await recordConfirmed(activity, e, now());
    await notifyResident(
      e.residentId,
      `好消息！您候补的志愿活动「${activity.title}」（${when(activity)}）有名额了，您已转为正式报名。请准时参加，现场扫码签到。`,
      `volunteer:${activity._id}:promoted:${seq}`,
    ).catch((err) => logger.warn({ err, activityId: activity._id }, 'promotion notice failed'));
  }
}

/** DELETE /activities/:id/signups/me: frees the seat (or waitlist place); the first waitlisted moves up. */
export async function cancelSignup(residentId: string, activityId: string): Promise<void> {
  const activity = await getActivity(activityId);
  if (now() >= activity.startAt) throw new AppError('SIGNUP_CLOSED', '活动已开始，不能取消报名，如有特殊情况请联系组织者');
  const { applied, seq } = await appendToRoster(activity, (r) => {
    if (!statusOf(r, residentId)) throw notFound('您的报名');
    return { type: 'cancel', residentId };
  });
  if (applied.type === 'cancel') await onPromoted(activity, applied.promoted, seq);
}

/** Office: a new capacity. More seats promote the waitlist; fewer than the confirmed are refused. */
export async function changeCapacity(activityId: string, capacity: number): Promise<void> {
  const activity = await getActivity(activityId);
  if ((await readRoster(activity)).capacity === capacity) return;
  // Checked against the roster the event is appended to, so a sign-up racing the edit counts.
  const { applied, seq } = await appendToRoster(activity, (r) => {
    checkCapacity(capacity, r.confirmed.length);
    return { type: 'capacity', capacity };
  });
  if (applied.type === 'capacity') await onPromoted(activity, applied.promoted, seq);
}

export async function rosterOf(activityId: string): Promise<{ activity: ActivityDoc; roster: Roster }> {
  const activity = await getActivity(activityId);
  return { activity, roster: await readRoster(activity) };
}

export async function rosterCounts(activity: ActivityDoc) {
  return counts(await readRoster(activity));
}

export async function myRosterStatus(activity: ActivityDoc, residentId: string) {
  return statusOf(await readRoster(activity), residentId);
}

/** One volunteer's check-in and check-out at an activity, as the roster shows them (read by attendance.service). */
export interface AttendanceState {
  in?: Date;
  out?: Date;
  hours?: number;
  inBy?: string | null;
  outBy?: string | null;
}

/** Office: who is confirmed and waitlisted (names and masked phones only). */
export function presentRoster(
  activity: ActivityDoc,
  roster: Roster,
  attendance: Map<string, AttendanceState & { volunteerNo?: string }>,
): RosterView {
  const entry = (e: RosterEntry, status: 'confirmed' | 'waitlisted', position?: number) => ({
    residentId: e.residentId,
    name: e.name,
    phoneMasked: e.phoneMasked,
    status,
    ...(position ? { position } : {}),
    signedUpAt: isoLocal(e.signedUpAt),
    ...(status === 'confirmed' ? confirmedFields(attendance.get(e.residentId)) : {}),
  });
  return {
    activityId: activity._id,
    capacity: roster.capacity,
    confirmed: roster.confirmed.map((e) => entry(e, 'confirmed')),
    waitlist: roster.waitlist.map((e, i) => entry(e, 'waitlisted', i + 1)),
  };
}

function confirmedFields(a: (AttendanceState & { volunteerNo?: string }) | undefined) {
  return {
    checkedInAt: a?.in ? isoLocal(a.in) : null,
    checkedOutAt: a?.out ? isoLocal(a.out) : null,
    checkedInBy: a?.inBy ?? null,
    checkedOutBy: a?.outBy ?? null,
    hours: a?.hours ?? null,
    ...(a?.volunteerNo ? { volunteerNo: a.volunteerNo } : {}),
  };
}

export const regionNameOf = (a: ActivityDoc): string => regionLabel(a.regionCode);

/** Cancels every sign-up of a volunteer for activities that have not started (deregistration). */
export async function cancelUpcomingSignups(residentId: string, activityIds: string[]): Promise<number> {
  let cancelled = 0;
  for (const id of activityIds) {
    const activity = await getActivity(id).catch(() => undefined);
    if (!activity || now() >= activity.startAt || !(await myRosterStatus(activity, residentId))) continue;
    await cancelSignup(residentId, id).then(
      () => (cancelled += 1),
      (err) => logger.warn({ err, activityId: id }, 'cancel on deregistration failed'),
    );
  }
  return cancelled;
}
