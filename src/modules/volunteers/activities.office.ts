import { getActivity, updateActivity, type ActivityDoc } from './activities.service';
import { checkActivityEdit } from './activity-edit';
import { attendanceOf } from './attendance.service';
import { changeCapacity, presentRoster, rosterOf } from './signups.service';
import { findVolunteer, volunteerNo } from './volunteers.service';
import type { RosterView, UpdateActivity } from './volunteers.schema';

/**
 * PATCH /activities/:id: the rules first (activity-edit.ts), so a refused edit changes nothing;
 * capacity is its own roster event. Returns the activity and the changed fields as they were (the
 * audit log's "before").
 */
export async function editActivity(id: string, patch: UpdateActivity): Promise<{ activity: ActivityDoc; before: Record<string, unknown> }> {
  const { activity, roster } = await rosterOf(id);
  const current = { ...activity, capacity: roster.capacity };
  const changed = checkActivityEdit(current, patch);
  const before = Object.fromEntries(changed.map((k) => [k, (current as Record<string, unknown>)[k]]));
  const { capacity, ...rest } = patch;
  if (capacity !== undefined) await changeCapacity(id, capacity);
  return { activity: Object.keys(rest).length ? await updateActivity(id, rest) : await getActivity(id), before };
}

/** The organiser's roster: check-in and check-out with who recorded them, hours, and volunteer numbers to search by. */
export async function officeRoster(id: string): Promise<RosterView> {
  const { activity, roster } = await rosterOf(id);
  const attendance = new Map(
    await Promise.all(
      roster.confirmed.map(async (e) => {
        const [att, v] = await Promise.all([attendanceOf(id, e.residentId), findVolunteer(e.residentId)]);
        return [e.residentId, { ...att, volunteerNo: v ? volunteerNo(v) : undefined }] as const;
      }),
    ),
  );
  return presentRoster(activity, roster, attendance);
}
