import { isoLocal, now } from '../../core/time';
import { notFound } from '../../core/errors';
import { readExisting } from '../../core/store';
import { regionLabel } from '../regions/regions.service';
import { getActivity, type ActivityDoc } from './activities.service';
import { presentActivity } from './activities.present';
import { hoursOf } from './volunteers.counters';
import { ServiceHours, type ServiceHoursDoc } from './volunteers.model';
import { listActivityRefs } from './volunteer-refs';
import { findVolunteer, volunteerNo } from './volunteers.service';
import type { ActivityView, ServiceRecord } from './volunteers.schema';

/** The issuer named on the record when an entry's organiser is unknown. */
const DEFAULT_ISSUER = '文明城市创建志愿服务平台';

async function activitiesOf(residentId: string): Promise<ActivityDoc[]> {
  const ids = await listActivityRefs(residentId);
  const found = await Promise.all(ids.map((id) => getActivity(id).catch(() => undefined)));
  return found.filter((a): a is ActivityDoc => Boolean(a));
}

/** "我的报名": every activity the volunteer signed up for and still holds a place in, newest first. */
export async function listMySignups(residentId: string): Promise<ActivityView[]> {
  const views = await Promise.all((await activitiesOf(residentId)).map((a) => presentActivity(a, { residentId })));
  return views.filter((v) => v.my).sort((a, b) => (a.startAt < b.startAt ? 1 : -1));
}

/**
 * 志愿服务记录 (民政部令第67号《志愿服务记录与证明出具办法（试行）》): the volunteer's identity
 * (ID number masked), and per activity its name, content, place, time, hours, organiser and the
 * date it was recorded. Read from the hours ledger by point reads along the volunteer's index.
 */
export async function serviceRecord(residentId: string): Promise<ServiceRecord> {
  const v = await findVolunteer(residentId);
  if (!v) throw notFound('志愿者信息');
  const ids = await listActivityRefs(residentId);
  const ledger = await readExisting<ServiceHoursDoc>(
    ServiceHours,
    ids.map((id) => `${residentId}:${id}`),
  );
  ledger.sort((a, b) => a.checkedInAt.getTime() - b.checkedInAt.getTime());
  const entries = ledger.map((h) => ({
    activityId: h.activityId,
    title: h.activity?.title ?? '',
    content: h.activity?.description ?? '',
    place: `${regionLabel(h.activity?.regionCode)} ${h.activity?.address ?? ''}`.trim(),
    startAt: isoLocal(h.activity?.startAt ?? h.checkedInAt),
    endAt: isoLocal(h.activity?.endAt ?? h.checkedOutAt),
    checkedInAt: isoLocal(h.checkedInAt),
    checkedOutAt: isoLocal(h.checkedOutAt),
    hours: hoursOf(h.minutes),
    organizer: h.activity?.organizer ?? DEFAULT_ISSUER,
    recordedAt: isoLocal(h.recordedAt),
  }));
  const minutes = ledger.reduce((s, h) => s + h.minutes, 0);
  return {
    volunteer: {
      volunteerNo: volunteerNo(v),
      realName: v.realName,
      gender: v.gender === 'male' ? '男' : '女',
      idType: '居民身份证',
      idNumberMasked: v.idNumberMasked,
      regionName: regionLabel(v.regionCode),
      skills: v.skills ?? [],
      registeredAt: isoLocal(v.createdAt),
    },
    entries,
    totalHours: hoursOf(minutes),
    activities: entries.length,
    issuedAt: isoLocal(now()),
    issuer: DEFAULT_ISSUER,
  };
}
