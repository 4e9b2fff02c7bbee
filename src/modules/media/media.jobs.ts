import { trusted } from 'mongoose';
import type { JobDefinition } from '../types';
import { Media, type MediaDoc } from './media.model';
import { deleteMedia } from './media.service';

/** Drafts nobody attached within a day (an abandoned bot report, a failed submission) are deleted. */
export async function deleteStaleDrafts(at: Date, maxAgeHours = 24): Promise<number> {
  const before = new Date(at.getTime() - maxAgeHours * 3600_000);
  const stale = await Media.find({ status: 'draft', createdAt: trusted({ $lt: before }) }).lean<MediaDoc[]>();
  for (const doc of stale) await deleteMedia(doc);
  return stale.length;
}

export const mediaJobs: JobDefinition[] = [
  {
    name: 'media.drafts-cleanup',
    title: '草稿照片清理',
    schedule: '10 4 * * *',
    description: '删除 24 小时内未使用的草稿照片',
    run: async (at) => ({ deleted: await deleteStaleDrafts(at) }),
    summarize: (c) => (c.deleted ? `删除了 ${c.deleted} 张超过 24 小时未使用的草稿照片。` : '没有需要删除的草稿照片。'),
  },
];
