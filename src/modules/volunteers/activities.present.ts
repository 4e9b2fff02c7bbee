import { isoLocal } from '../../core/time';
import { regionLabel } from '../regions/regions.service';
import { checkinUrl, signupOpen, type ActivityDoc } from './activities.service';
import { attendanceOf } from './attendance.service';
import { counts, statusOf } from './roster';
import { readRoster } from './roster-log';
import type { ActivityView, MyStatus } from './volunteers.schema';

export interface Viewer {
  residentId?: string;
  /** organisers (office, admin) see the check-in code */
  organiser?: boolean;
  origin?: string;
}

async function myStatus(a: ActivityDoc, residentId: string): Promise<MyStatus | null> {
  const s = statusOf(await readRoster(a), residentId);
  if (!s) return null;
  const att = s.status === 'confirmed' ? await attendanceOf(a._id, residentId) : {};
  return {
    ...s,
    checkedInAt: att.in ? isoLocal(att.in) : null,
    checkedOutAt: att.out ? isoLocal(att.out) : null,
    hours: att.hours ?? null,
  };
}

/** An activity as the API shows it: counts from its roster, the caller's own status, the code for organisers. */
export async function presentActivity(a: ActivityDoc, viewer: Viewer = {}): Promise<ActivityView> {
  const c = counts(await readRoster(a));
  return {
    id: a._id,
    title: a.title,
    description: a.description,
    startAt: isoLocal(a.startAt),
    endAt: isoLocal(a.endAt),
    regionCode: a.regionCode,
    regionName: regionLabel(a.regionCode),
    address: a.address,
    location: a.location?.lat != null ? { lat: a.location.lat, lng: a.location.lng! } : null,
    requireLocation: Boolean(a.requireLocation),
    ...c,
    skills: a.skills ?? [],
    organizer: a.organizer,
    contact: a.contact ?? null,
    status: a.status as 'open' | 'cancelled',
    signupOpen: signupOpen(a),
    ...(viewer.residentId ? { my: await myStatus(a, viewer.residentId) } : {}),
    ...(viewer.organiser ? { checkinCode: a.checkinCode, checkinUrl: checkinUrl(a, viewer.origin) } : {}),
  };
}

export const presentActivities = (list: ActivityDoc[], viewer: Viewer = {}): Promise<ActivityView[]> =>
  Promise.all(list.map((a) => presentActivity(a, viewer)));
