import { AppError, isDuplicateKey, notFound } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { recordParticipation } from '../counters';
import { getActivity, type ActivityDoc } from './activities.service';
import { attendanceId, CHECKIN_OPENS_MS, CHECKOUT_CLOSES_MS, fmt, recordedByLabel, settleHours } from './attendance.service';
import { myRosterStatus, signupId } from './signups.service';
import { hoursOf } from './volunteers.counters';
import { Attendance, type AttendanceDoc } from './volunteers.model';
import { findVolunteer } from './volunteers.service';
import type { ManualAttendance, ManualAttendanceResult } from './volunteers.schema';

export interface Organiser {
  staffId: string;
  username: string;
}

/**
 * 管理员代签: the organiser checks a confirmed volunteer in or out at the door (an elderly volunteer
 * without a phone), or records it afterwards with the actual time (补录). The same attendance
 * record as a self-service check-in (its _id is the once-only guard) with `recordedBy` set, and the
 * same participation, hours and points.
 */
export async function recordAttendanceFor(
  activityId: string,
  input: ManualAttendance,
  organiser: Organiser,
): Promise<ManualAttendanceResult> {
  const activity = await getActivity(activityId);
  if (activity.status !== 'open') throw new AppError('CHECKIN_CLOSED', '活动已取消，不能代签');
  const volunteer = await findVolunteer(input.residentId);
  if (!volunteer) throw notFound('志愿者');
  const status = await myRosterStatus(activity, input.residentId);
  if (status?.status !== 'confirmed')
    throw new AppError(
      'NOT_CONFIRMED',
      status
        ? `${volunteer.realName} 目前在候补第 ${status.position} 位，转为正式报名后才能代签`
        : `${volunteer.realName} 没有报名此活动，不能代签`,
    );
  const at = whenOf(activity, input.at);
  const recordedBy = { staffId: organiser.staffId, username: organiser.username };
  const base = {
    activityId,
    residentId: input.residentId,
    name: volunteer.realName,
    kind: input.kind,
    at: isoLocal(at),
    recordedBy: recordedByLabel({ recordedBy })!,
  };
  const who = { id: input.residentId, regionCode: volunteer.regionCode };
  if (input.kind === 'in') {
    await insertOnce(activityId, input.residentId, 'in', at, recordedBy);
    await recordParticipation(who, 'signup', at, signupId(activityId, input.residentId));
    await recordParticipation(who, 'checkin', at, signupId(activityId, input.residentId));
    return base;
  }
  const checkedIn = await Attendance.findById(attendanceId(activityId, input.residentId, 'in')).lean<AttendanceDoc>();
  if (!checkedIn) throw new AppError('NOT_CHECKED_IN', `${volunteer.realName} 还没有签到，请先代签到`);
  if (at <= checkedIn.at)
    throw new AppError('VALIDATION_FAILED', `签退时间必须晚于签到时间（${fmt(checkedIn.at)}）`, [
      { path: 'at', message: '签退时间必须晚于签到时间' },
    ]);
  await insertOnce(activityId, input.residentId, 'out', at, recordedBy);
  const { minutes, points } = await settleHours(activity, input.residentId, volunteer.regionCode, checkedIn.at, at);
  return { ...base, hours: hoursOf(minutes), pointsAwarded: points };
}

/** The time recorded: now, or the actual time given; never in the future, never outside the attendance window. */
function whenOf(activity: ActivityDoc, given: string | undefined): Date {
  const t = now();
  const at = given ? new Date(given) : t;
  const opens = new Date(activity.startAt.getTime() - CHECKIN_OPENS_MS);
  const closes = new Date(activity.endAt.getTime() + CHECKOUT_CLOSES_MS);
  const problem =
    at > t
      ? '代签时间不能晚于现在'
      : at < opens
        ? `代签时间不能早于签到开放时间（${fmt(opens)}）`
        : at > closes
          ? `活动结束已超过 2 小时，请填写实际签到或签退时间（${fmt(opens)} 至 ${fmt(closes)} 之间）补录`
          : undefined;
  if (problem) throw new AppError('VALIDATION_FAILED', problem, [{ path: 'at', message: problem }]);
  return at;
}

async function insertOnce(activityId: string, residentId: string, kind: 'in' | 'out', at: Date, recordedBy: Organiser): Promise<void> {
  try {
    await Attendance.create({
      _id: attendanceId(activityId, residentId, kind),
      activityId,
      residentId,
      kind,
      at,
      distanceMeters: null,
      recordedBy,
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const prior = await Attendance.findById(attendanceId(activityId, residentId, kind)).lean<AttendanceDoc>();
    const word = kind === 'in' ? '签到' : '签退';
    throw new AppError(
      kind === 'in' ? 'ALREADY_CHECKED_IN' : 'ALREADY_CHECKED_OUT',
      `该志愿者已于 ${prior ? fmt(prior.at) : '之前'} ${word}${prior?.recordedBy ? `（${recordedByLabel(prior)}）` : ''}`,
    );
  }
}
