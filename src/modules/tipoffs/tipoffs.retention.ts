import { trusted } from 'mongoose';
import { config } from '../../config';
import { daysBefore } from '../../core/time';
import { attachedMediaBefore, deleteMedia, type MediaDoc } from '../media';
import type { RetentionRule } from '../types';
import { Tipoff, type TipoffDoc } from './tipoffs.model';
import type { TipoffStatus } from './tipoffs.schema';

/** A finished tip-off: nothing more will be done with its photos or its reporter. */
const FINISHED: TipoffStatus[] = ['closed', 'rejected', 'merged'];

/**
 * Tip-off photos past RETENTION_DAYS_PHOTOS, once their tip-off is finished: the files and their
 * records are deleted and the tip-off keeps no reference (an open tip-off keeps its evidence).
 */
async function purgePhotos(at: Date): Promise<Record<string, number>> {
  const due = await attachedMediaBefore('tipoff', daysBefore(at, config().RETENTION_DAYS_PHOTOS));
  const byTipoff = new Map<string, MediaDoc[]>();
  for (const m of due) byTipoff.set(m.owner!.id, [...(byTipoff.get(m.owner!.id) ?? []), m]);
  let photosDeleted = 0;
  let tipoffs = 0;
  for (const [id, photos] of byTipoff) {
    const t = await Tipoff.findById(id, { status: 1, photos: 1, afterPhotos: 1 }).lean<TipoffDoc>();
    if (t && !FINISHED.includes(t.status as TipoffStatus)) continue;
    for (const m of photos) await deleteMedia(m);
    photosDeleted += photos.length;
    if (t) {
      const gone = new Set(photos.map((m) => m._id));
      await Tipoff.updateOne(
        { _id: id },
        { $set: { photos: t.photos.filter((p) => !gone.has(p)), afterPhotos: t.afterPhotos.filter((p) => !gone.has(p)) } },
      );
      tipoffs++;
    }
  }
  return { photosDeleted, tipoffsPhotosPurged: tipoffs };
}

/**
 * Finished tip-offs closed more than RETENTION_DAYS_PERSONAL ago lose the link to their reporter
 * (the nightly tipoffs.reindex then drops them from "my tip-offs"); category, place and outcome stay
 * for the statistics.
 */
async function anonymizeReporters(at: Date): Promise<number> {
  const res = await Tipoff.updateMany(
    {
      status: trusted({ $in: FINISHED }),
      closedAt: trusted({ $lt: daysBefore(at, config().RETENTION_DAYS_PERSONAL) }),
      reporterId: trusted({ $ne: null }),
    },
    { $set: { reporterId: null } },
  );
  return res.modifiedCount;
}

export const tipoffRetention: RetentionRule[] = [
  {
    name: 'tipoffs.photos',
    apply: purgePhotos,
    labels: { photosDeleted: '张随手拍照片', tipoffsPhotosPurged: '件随手拍的照片引用' },
  },
  {
    name: 'tipoffs.reporters',
    apply: async (at) => ({ reportersAnonymized: await anonymizeReporters(at) }),
    labels: { reportersAnonymized: '件随手拍的举报人（已匿名）' },
  },
];
