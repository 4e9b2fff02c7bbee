import { logger } from '../../core/logger';
import { isoLocal } from '../../core/time';
import { notifyResident } from '../outbox/outbox.service';
import type { JobDefinition } from '../types';
import { activitiesStartingBetween, activityPlace, type ActivityDoc } from './activities.service';
import { readRoster } from './roster-log';

const HOUR = 3_600_000;

type ReminderKind = 'day' | 'hour';

/** Which reminder is due for an activity at `at`: the day before (24 h … 1 h ahead), then the hour before. */
export function reminderDue(a: Pick<ActivityDoc, 'startAt'>, at: Date): ReminderKind | undefined {
  const ahead = a.startAt.getTime() - at.getTime();
  if (ahead <= 0) return undefined;
  if (ahead <= HOUR) return 'hour';
  if (ahead <= 24 * HOUR) return 'day';
  return undefined;
}

function reminderText(a: ActivityDoc, kind: ReminderKind): string {
  const when = isoLocal(a.startAt).slice(5, 16).replace('T', ' ');
  const lead = kind === 'day' ? '明天有您报名的志愿活动' : '您报名的志愿活动 1 小时后开始';
  return `【活动提醒】${lead}：「${a.title}」，时间 ${when}，地点 ${activityPlace(a)}。请准时到场，扫描组织者出示的二维码或发送签到码签到。如不能参加，请提前取消报名，把名额留给候补的志愿者。`;
}

/** The reminder as a template notice (公众号模板消息, 小程序订阅消息): title, start, place. */
const reminderNotice = (a: ActivityDoc) => ({
  kind: 'activity-reminder' as const,
  data: { title: a.title, time: isoLocal(a.startAt).slice(0, 16).replace('T', ' '), place: activityPlace(a) },
});

/**
 * Sends the due reminders to the confirmed volunteers of activities starting within a day. Safe
 * to run as often as wanted: each (volunteer, activity, kind) is notified once (dedupe key), and
 * a volunteer promoted from the waitlist later still gets the reminders still due.
 */
export async function remindVolunteers(at: Date): Promise<{ day: number; hour: number }> {
  const sent = { day: 0, hour: 0 };
  for (const a of await activitiesStartingBetween(at, new Date(at.getTime() + 24 * HOUR))) {
    const kind = reminderDue(a, at);
    if (!kind) continue;
    const roster = await readRoster(a);
    for (const e of roster.confirmed) {
      const fresh = await notifyResident(e.residentId, reminderText(a, kind), `volunteer:${a._id}:remind-${kind}`, reminderNotice(a)).catch(
        (err) => {
          logger.warn({ err, activityId: a._id }, 'volunteer reminder failed');
          return false;
        },
      );
      if (fresh) sent[kind] += 1;
    }
  }
  return sent;
}

export const volunteerJobs: JobDefinition[] = [
  {
    name: 'volunteers.reminders',
    title: '志愿活动提醒',
    schedule: '*/5 * * * *',
    description: '志愿活动提醒：开始前一天和开始前 1 小时通知已报名的志愿者',
    run: remindVolunteers,
    summarize: (c) =>
      c.day || c.hour ? `发出活动提醒：开始前一天的 ${c.day ?? 0} 条，开始前 1 小时的 ${c.hour ?? 0} 条。` : '没有需要发出的活动提醒。',
  },
];
