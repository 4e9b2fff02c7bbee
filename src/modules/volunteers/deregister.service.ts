import { notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { cancelUpcomingSignups } from './signups.service';
import { listActivityRefs } from './volunteer-refs';
import { countVolunteerRegistered } from './volunteers.counters';
import { Volunteer, VolunteerIdNumber, type VolunteerDoc } from './volunteers.model';

/**
 * DELETE /volunteers/me: the volunteer withdraws the consent (PIPL art. 15, 47). The registration
 * (name, encrypted phone and ID number) and the ID-number guard are deleted, seats in activities
 * not yet started are given up (the waitlist moves up). What stays is what the organisers must
 * keep: past rosters (name and masked phone) and the hours ledger behind issued service records.
 */
export async function deregisterVolunteer(residentId: string): Promise<{ cancelledSignups: number }> {
  const v = await Volunteer.findById(residentId).lean<VolunteerDoc>();
  if (!v) throw notFound('志愿者信息');
  const cancelledSignups = await cancelUpcomingSignups(residentId, await listActivityRefs(residentId));
  const removed = await Volunteer.deleteOne({ _id: residentId });
  await VolunteerIdNumber.deleteOne({ _id: v.idNumberHash });
  if (removed.deletedCount === 1) countVolunteerRegistered(v.regionCode, v.createdAt, -1);
  logger.info({ residentId, cancelledSignups }, 'volunteer deregistered');
  return { cancelledSignups };
}
