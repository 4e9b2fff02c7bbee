import type { RegionNode } from '../../../types';
import type { ActivityView } from '../../volunteer/volunteer-api';

/** The console's activity form: what the fields hold, and the API body they become. */
export interface ActivityForm {
  title: string;
  description: string;
  /** datetime-local values, e.g. 2026-12-05T09:00 (campaign time, +08:00) */
  start: string;
  end: string;
  regionCode: string;
  regionName: string;
  address: string;
  capacity: number;
  organizer: string;
  contact: string;
  /** check-in must be sent near the community centre */
  nearby: boolean;
}

export const emptyForm = (): ActivityForm => ({
  title: '',
  description: '',
  start: '',
  end: '',
  regionCode: '',
  regionName: '',
  address: '',
  capacity: 20,
  organizer: '',
  contact: '',
  nearby: false,
});

function centerOf(tree: RegionNode[], code: string): { lat: number; lng: number } | undefined {
  for (const n of tree) {
    if (n.code === code) return n.center ?? undefined;
    const hit = centerOf(n.children, code);
    if (hit) return hit;
  }
  return undefined;
}

/** The fields both a new activity and an edit send, as the API takes them. */
function bodyOf(f: ActivityForm) {
  return {
    title: f.title.trim(),
    description: f.description.trim(),
    startAt: `${f.start}:00+08:00`,
    endAt: `${f.end}:00+08:00`,
    regionCode: f.regionCode,
    address: f.address.trim(),
    capacity: Number(f.capacity),
    ...(f.organizer.trim() ? { organizer: f.organizer.trim() } : {}),
    ...(f.contact.trim() ? { contact: f.contact.trim() } : {}),
  };
}

export function toCreateBody(f: ActivityForm, tree: RegionNode[]) {
  const center = f.nearby ? centerOf(tree, f.regionCode) : undefined;
  return { ...bodyOf(f), ...(center ? { location: center, requireLocation: true } : {}) };
}

/** The form filled from an activity, to edit it (times shown in campaign time, +08:00). */
export function fromActivity(a: ActivityView): ActivityForm {
  return {
    title: a.title,
    description: a.description,
    start: a.startAt.slice(0, 16),
    end: a.endAt.slice(0, 16),
    regionCode: a.regionCode,
    regionName: a.regionName,
    address: a.address,
    capacity: a.capacity,
    organizer: a.organizer,
    contact: a.contact ?? '',
    nearby: a.requireLocation,
  };
}

/**
 * An edit sends every field the form shows; the service looks only at those that changed. A new
 * community moves the check-in point to its centre when check-in requires a location.
 */
export function toUpdateBody(f: ActivityForm, tree: RegionNode[], original: Pick<ActivityView, 'regionCode'>) {
  const center = f.nearby && f.regionCode !== original.regionCode ? centerOf(tree, f.regionCode) : undefined;
  return { ...(center ? { location: center } : {}), ...bodyOf(f) };
}
