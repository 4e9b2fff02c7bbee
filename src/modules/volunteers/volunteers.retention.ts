import { trusted } from 'mongoose';
import { config } from '../../config';
import { rawCollection } from '../../core/db';
import { daysBefore } from '../../core/time';
import { Participation } from '../counters';
import type { RetentionRule } from '../types';
import { Volunteer, VolunteerIdNumber, type VolunteerDoc } from './volunteers.model';

/**
 * Volunteers registered more than RETENTION_DAYS_PERSONAL ago who have neither signed up nor checked
 * in since: real name, phone and ID number are erased (the registration stays, anonymous, so the
 * volunteer rate of its community does not move), and the ID-number guard goes so the person can
 * register again.
 */
async function anonymizeVolunteers(at: Date): Promise<number> {
  const cutoff = daysBefore(at, config().RETENTION_DAYS_PERSONAL);
  const candidates = await Volunteer.find(
    { createdAt: trusted({ $lt: cutoff }), phoneEnc: trusted({ $ne: '' }) },
    { _id: 1, idNumberHash: 1 },
  ).lean<VolunteerDoc[]>();
  if (!candidates.length) return 0;
  const active = new Set(
    (
      await Participation.find({ kind: trusted({ $in: ['signup', 'checkin'] }), at: trusted({ $gte: cutoff }) }, { residentId: 1 }).lean<
        Array<{ residentId: string }>
      >()
    ).map((p) => p.residentId),
  );
  let n = 0;
  for (const v of candidates) {
    if (active.has(v._id)) continue;
    // Raw update: the erased values are deliberately not valid registration data.
    await rawCollection(Volunteer).updateOne(
      { _id: v._id },
      {
        $set: {
          realName: '（已匿名）',
          phoneEnc: '',
          phoneMasked: '',
          idNumberEnc: '',
          idNumberMasked: '',
          idNumberHash: '',
          anonymizedAt: at,
        },
      },
    );
    if (v.idNumberHash) await VolunteerIdNumber.deleteOne({ _id: v.idNumberHash });
    n++;
  }
  return n;
}

export const volunteerRetention: RetentionRule[] = [
  {
    name: 'volunteers.personal',
    apply: async (at) => ({ volunteersAnonymized: await anonymizeVolunteers(at) }),
    labels: { volunteersAnonymized: '位志愿者的个人信息（已匿名）' },
  },
];
