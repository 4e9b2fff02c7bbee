import { config } from '../../config';
import { AppError, isDuplicateKey } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { claimOnce } from '../../core/store';
import { distanceMeters } from '../regions/regions.service';
import { awardPoints } from '../residents/residents.service';
import { recordParticipation } from '../counters';
import { getActivity, type ActivityDoc } from './activities.service';
import { myRosterStatus, signupId, type AttendanceState } from './signups.service';
import { countServiceHours, hoursOf } from './volunteers.counters';
import { Attendance, ServiceHours, type AttendanceDoc, type ServiceHoursDoc } from './volunteers.model';
import { requireVolunteer } from './volunteers.service';
import type { CheckinResult, CheckoutResult, CodeBody } from './volunteers.schema';

/** Check-in opens this long before the start; check-out closes this long after the end. */
export const CHECKIN_OPENS_MS = 60 * 60_000;
export const CHECKOUT_CLOSES_MS = 2 * 60 * 60_000;

export const attendanceId = (activityId: string, residentId: string, kind: 'in' | 'out') => `${activityId}:${residentId}:${kind}`;
export const fmt = (d: Date) => isoLocal(d).slice(5, 16).replace('T', ' ');

/** How the roster shows who recorded a check-in or check-out: null when the volunteer did. */
export const recordedByLabel = (d: Pick<AttendanceDoc, 'recordedBy'> | null | undefined): string | null =>
  d?.recordedBy ? `管理员代签（${d.recordedBy.username}）` : null;

export async function attendanceOf(activityId: string, residentId: string): Promise<AttendanceState> {
  const [i, o, h] = await Promise.all([
    Attendance.findById(attendanceId(activityId, residentId, 'in')).lean<AttendanceDoc>(),
    Attendance.findById(attendanceId(activityId, residentId, 'out')).lean<AttendanceDoc>(),
    ServiceHours.findById(`${residentId}:${activityId}`).lean<ServiceHoursDoc>(),
  ]);
  return { in: i?.at, out: o?.at, hours: h ? hoursOf(h.minutes) : undefined, inBy: recordedByLabel(i), outBy: recordedByLabel(o) };
}

/** The code, the seat and (when asked for) the place: what every check-in and check-out proves. */
async function verify(residentId: string, activityId: string, body: CodeBody): Promise<{ activity: ActivityDoc; distance: number | null }> {
  const activity = await getActivity(activityId);
  if (activity.status !== 'open') throw new AppError('CHECKIN_CLOSED', '活动已取消');
  if (body.code !== activity.checkinCode) throw new AppError('INVALID_CHECKIN_CODE', '签到码不正确，请核对现场二维码或签到码');
  const status = await myRosterStatus(activity, residentId);
  if (status?.status !== 'confirmed')
    throw new AppError('NOT_CONFIRMED', status ? `您目前在候补第 ${status.position} 位，转为正式报名后才能签到` : '您没有报名此活动');
  const radius = config().VOLUNTEER_CHECKIN_RADIUS_M;
  const here = body.lat !== undefined && body.lng !== undefined ? { lat: body.lat, lng: body.lng } : undefined;
  if (activity.requireLocation && !here)
    throw new AppError('VALIDATION_FAILED', '本活动需要定位签到，请允许获取位置或发送您的位置', [{ path: 'lat', message: '请提供位置' }]);
  if (!here || !activity.location?.lat || radius === 0) return { activity, distance: null };
  const distance = Math.round(distanceMeters(here, { lat: activity.location.lat, lng: activity.location.lng! }));
  if (distance > radius)
    throw new AppError('TOO_FAR_FROM_ACTIVITY', `您距离活动地点约 ${distance} 米，请到达现场（${radius} 米内）后再签到`, {
      distanceMeters: distance,
      radiusMeters: radius,
    });
  return { activity, distance };
}

/** POST /activities/:id/checkins: once per volunteer and activity (the attendance _id). */
export async function checkIn(residentId: string, activityId: string, body: CodeBody): Promise<CheckinResult> {
  const volunteer = await requireVolunteer(residentId);
  const { activity, distance } = await verify(residentId, activityId, body);
  const at = now();
  if (at.getTime() < activity.startAt.getTime() - CHECKIN_OPENS_MS)
    throw new AppError(
      'CHECKIN_CLOSED',
      `签到将于活动开始前 1 小时（${fmt(new Date(activity.startAt.getTime() - CHECKIN_OPENS_MS))}）开放`,
    );
  if (at >= activity.endAt) throw new AppError('CHECKIN_CLOSED', '活动已结束，不能签到');
  try {
    await Attendance.create({
      _id: attendanceId(activityId, residentId, 'in'),
      activityId,
      residentId,
      kind: 'in',
      at,
      distanceMeters: distance,
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const prior = await Attendance.findById(attendanceId(activityId, residentId, 'in')).lean<AttendanceDoc>();
    throw new AppError(
      'ALREADY_CHECKED_IN',
      `您已于 ${prior ? fmt(prior.at) : '之前'} 签到`,
      prior ? { checkedInAt: isoLocal(prior.at) } : undefined,
    );
  }
  const who = { id: residentId, regionCode: volunteer.regionCode };
  // The sign-up's own record is idempotent: repeating it here heals a sign-up whose request died
  // between taking the seat and recording it.
  await recordParticipation(who, 'signup', at, signupId(activityId, residentId));
  await recordParticipation(who, 'checkin', at, signupId(activityId, residentId));
  return { checkedInAt: isoLocal(at), activityId, title: activity.title };
}

/** Hours are the checked-in time clipped to the activity window, in whole minutes. */
export function servedMinutes(activity: Pick<ActivityDoc, 'startAt' | 'endAt'>, checkedIn: Date, checkedOut: Date): number {
  const from = Math.max(checkedIn.getTime(), activity.startAt.getTime());
  const to = Math.min(checkedOut.getTime(), activity.endAt.getTime());
  return Math.max(0, Math.floor((to - from) / 60_000));
}

/**
 * Writes the ledger entry, counters and points once (the ledger _id is the guard), so a retried
 * or repeated check-out cannot count hours twice.
 */
export async function settleHours(
  activity: ActivityDoc,
  residentId: string,
  regionCode: string,
  checkedIn: Date,
  checkedOut: Date,
): Promise<{ minutes: number; points: number }> {
  const minutes = servedMinutes(activity, checkedIn, checkedOut);
  const entry: ServiceHoursDoc = {
    _id: `${residentId}:${activity._id}`,
    residentId,
    activityId: activity._id,
    minutes,
    regionCode,
    checkedInAt: checkedIn,
    checkedOutAt: checkedOut,
    activity: {
      title: activity.title,
      description: activity.description,
      address: activity.address,
      regionCode: activity.regionCode,
      organizer: activity.organizer,
      startAt: activity.startAt,
      endAt: activity.endAt,
    },
    recordedAt: now(),
  };
  if (!(await claimOnce(ServiceHours, entry))) return { minutes, points: 0 };
  countServiceHours(residentId, regionCode, minutes, checkedOut);
  const points = Math.round((minutes / 60) * config().VOLUNTEER_POINTS_PER_HOUR);
  const awarded = await awardPoints(residentId, points, 'volunteer-hours', activity._id, activity.title);
  return { minutes, points: awarded ? points : 0 };
}

/** POST /activities/:id/checkouts: ends the service and books the hours. */
export async function checkOut(residentId: string, activityId: string, body: CodeBody): Promise<CheckoutResult> {
  const volunteer = await requireVolunteer(residentId);
  const { activity, distance } = await verify(residentId, activityId, body);
  const checkedIn = await Attendance.findById(attendanceId(activityId, residentId, 'in')).lean<AttendanceDoc>();
  if (!checkedIn) throw new AppError('NOT_CHECKED_IN', '您还没有签到，请先签到');
  const at = now();
  if (at.getTime() > activity.endAt.getTime() + CHECKOUT_CLOSES_MS)
    throw new AppError('CHECKIN_CLOSED', '活动结束已超过 2 小时，不能签退，请联系组织者补录');
  try {
    await Attendance.create({
      _id: attendanceId(activityId, residentId, 'out'),
      activityId,
      residentId,
      kind: 'out',
      at,
      distanceMeters: distance,
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const prior = await Attendance.findById(attendanceId(activityId, residentId, 'out')).lean<AttendanceDoc>();
    // A check-out that failed after its record was written is completed here, then reported as done.
    if (prior) await settleHours(activity, residentId, volunteer.regionCode, checkedIn.at, prior.at);
    throw new AppError(
      'ALREADY_CHECKED_OUT',
      `您已于 ${prior ? fmt(prior.at) : '之前'} 签退`,
      prior ? { checkedOutAt: isoLocal(prior.at) } : undefined,
    );
  }
  const { minutes, points } = await settleHours(activity, residentId, volunteer.regionCode, checkedIn.at, at);
  return { checkedOutAt: isoLocal(at), hours: hoursOf(minutes), activityId, title: activity.title, pointsAwarded: points };
}
