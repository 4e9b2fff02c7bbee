import mongoose, { trusted } from 'mongoose';
import { config } from '../../config';
import { rawCollection } from '../../core/db';
import { logger } from '../../core/logger';
import { addDays, dayKey } from '../../core/time';
import { DailyQuizPush } from '../dailyquiz/dailyquiz.model';
import { JobRun } from '../jobs/jobs.model';
import { Media, type MediaDoc } from '../media/media.model';
import { deleteMedia } from '../media/media.service';
import { StaffNotice } from '../notices/notices.model';
import { OutboxMessage, OutboxPending, PushDaily } from '../outbox/outbox.model';
import { UsedLink } from '../residents/residents.model';
import { RoomMessage } from '../rooms/rooms.model';
import { Participation } from '../counters';
import { Tipoff, type TipoffDoc } from '../tipoffs/tipoffs.model';
import type { TipoffStatus } from '../tipoffs/tipoffs.schema';
import { Volunteer, VolunteerIdNumber, type VolunteerDoc } from '../volunteers/volunteers.model';

const DAY = 86_400_000;
/** A finished tip-off: nothing more will be done with its photos or its reporter. */
const FINISHED: TipoffStatus[] = ['closed', 'rejected', 'merged'];
/** Operational records, not personal data: kept as long as they help operate the service. */
const KEEP_DAYS = { jobRuns: 90, dailyPushes: 30, pushCounts: 30, notices: 365, roomMessages: 365, idleConversations: 7 };

const before = (at: Date, days: number) => trusted({ $lt: new Date(at.getTime() - days * DAY) });

/**
 * Tip-off photos past RETENTION_DAYS_PHOTOS, once their tip-off is finished: the files and their
 * records are deleted and the tip-off keeps no reference (an open tip-off keeps its evidence).
 */
async function purgePhotos(at: Date): Promise<Record<string, number>> {
  const due = await Media.find({ status: 'attached', createdAt: before(at, config().RETENTION_DAYS_PHOTOS) }).lean<MediaDoc[]>();
  const byTipoff = new Map<string, MediaDoc[]>();
  for (const m of due) if (m.owner?.kind === 'tipoff') byTipoff.set(m.owner.id, [...(byTipoff.get(m.owner.id) ?? []), m]);
  let photosDeleted = 0;
  let tipoffs = 0;
  for (const [id, photos] of byTipoff) {
    const t = await Tipoff.findById(id, { status: 1, photos: 1, afterPhotos: 1 }).lean<TipoffDoc>();
    if (t && !FINISHED.includes(t.status as TipoffStatus)) continue;
    for (const m of photos) await deleteMedia(m);
    photosDeleted += photos.length;
    if (t) {
      const gone = new Set(photos.map((m) => m._id));
      await Tipoff.updateOne({ _id: id }, { $set: { photos: t.photos.filter((p) => !gone.has(p)), afterPhotos: t.afterPhotos.filter((p) => !gone.has(p)) } });
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
    { status: trusted({ $in: FINISHED }), closedAt: before(at, config().RETENTION_DAYS_PERSONAL), reporterId: trusted({ $ne: null }) },
    { $set: { reporterId: null } },
  );
  return res.modifiedCount;
}

/**
 * Volunteers registered more than RETENTION_DAYS_PERSONAL ago who have neither signed up nor checked
 * in since: real name, phone and ID number are erased (the registration stays, anonymous, so the
 * volunteer rate of its community does not move), and the ID-number guard goes so the person can
 * register again.
 */
async function anonymizeVolunteers(at: Date): Promise<number> {
  const cutoff = new Date(at.getTime() - config().RETENTION_DAYS_PERSONAL * DAY);
  const candidates = await Volunteer.find({ createdAt: trusted({ $lt: cutoff }), phoneEnc: trusted({ $ne: '' }) }, { _id: 1, idNumberHash: 1 }).lean<VolunteerDoc[]>();
  if (!candidates.length) return 0;
  const active = new Set(
    (await Participation.find({ kind: trusted({ $in: ['signup', 'checkin'] }), at: trusted({ $gte: cutoff }) }, { residentId: 1 }).lean<Array<{ residentId: string }>>()).map((p) => p.residentId),
  );
  let n = 0;
  for (const v of candidates) {
    if (active.has(v._id)) continue;
    // Raw update: the erased values are deliberately not valid registration data.
    await rawCollection(Volunteer).updateOne(
      { _id: v._id },
      { $set: { realName: '（已匿名）', phoneEnc: '', phoneMasked: '', idNumberEnc: '', idNumberMasked: '', idNumberHash: '', anonymizedAt: at } },
    );
    if (v.idNumberHash) await VolunteerIdNumber.deleteOne({ _id: v.idNumberHash });
    n++;
  }
  return n;
}

/** Day-keyed push counters `<channel>:<contact>:<day>`: no date field, so the day is read from the id. */
async function prunePushCounts(at: Date): Promise<number> {
  const oldest = addDays(dayKey(at), -KEEP_DAYS.pushCounts);
  const ids = (await PushDaily.find({}, { _id: 1 }).lean<Array<{ _id: string }>>()).map((d) => d._id).filter((id) => (id.match(/(\d{4}-\d{2}-\d{2})$/)?.[1] ?? '9999') < oldest);
  if (!ids.length) return 0;
  return (await PushDaily.deleteMany({ _id: trusted({ $in: ids }) })).deletedCount;
}

/**
 * The bot's saved conversation state (bots/store.ts) of contacts idle for a week is cleared: it may
 * hold what a person was typing (a half-finished registration). The contact's document stays, so the
 * bot still knows it met them. By collection name: src/ does not import the bot.
 */
async function clearIdleConversations(at: Date): Promise<number> {
  const cutoff = new Date(at.getTime() - KEEP_DAYS.idleConversations * DAY);
  const res = await mongoose.connection.collection('bot_conversations').updateMany({ updatedAt: { $lt: cutoff }, flow: { $ne: null } }, { $set: { flow: null, step: null, data: null } });
  return res.modifiedCount;
}

/**
 * Retention (PIPL: personal data kept only as long as necessary). Every rule reads by age, so the
 * whole job is a handful of collection scans: nightly. Returns what it deleted or anonymized.
 */
export async function applyRetention(at: Date): Promise<Record<string, number>> {
  const personalDays = config().RETENTION_DAYS_PERSONAL;
  const photos = await purgePhotos(at);
  const counts: Record<string, number> = {
    ...photos,
    reportersAnonymized: await anonymizeReporters(at),
    volunteersAnonymized: await anonymizeVolunteers(at),
    messagesDeleted: (await OutboxMessage.deleteMany({ createdAt: before(at, personalDays) })).deletedCount,
    queuedMessagesDeleted: (await OutboxPending.deleteMany({ createdAt: before(at, personalDays) })).deletedCount,
    // An idle conversation's saved state may hold what a person was typing (a half-finished registration).
    conversationsCleared: await clearIdleConversations(at),
    pushCountsDeleted: await prunePushCounts(at),
    dailyPushesDeleted: (await DailyQuizPush.deleteMany({ at: before(at, KEEP_DAYS.dailyPushes) })).deletedCount,
    jobRunsDeleted: (await JobRun.deleteMany({ startedAt: before(at, KEEP_DAYS.jobRuns) })).deletedCount,
    noticesDeleted: (await StaffNotice.deleteMany({ createdAt: before(at, KEEP_DAYS.notices) })).deletedCount,
    // A used bot link's guard is needed only until the link would have expired anyway.
    usedLinksDeleted: (await UsedLink.deleteMany({ expiresAt: before(at, 1) })).deletedCount,
    roomMessagesDeleted: (await RoomMessage.deleteMany({ createdAt: before(at, KEEP_DAYS.roomMessages), status: trusted({ $ne: 'pending' }) })).deletedCount,
  };
  logger.info(counts, 'retention applied');
  return counts;
}

/** What each count of applyRetention is, in the words of the 定时任务 page. */
const retentionLabels: Record<string, string> = {
  photosDeleted: '张随手拍照片',
  tipoffsPhotosPurged: '件随手拍的照片引用',
  reportersAnonymized: '件随手拍的举报人（已匿名）',
  volunteersAnonymized: '位志愿者的个人信息（已匿名）',
  messagesDeleted: '条居民消息',
  queuedMessagesDeleted: '条待推送消息',
  conversationsCleared: '个闲置的机器人会话',
  pushCountsDeleted: '条推送计数',
  dailyPushesDeleted: '条每日一题推送记录',
  jobRunsDeleted: '条定时任务运行记录',
  noticesDeleted: '条工作通知',
  usedLinksDeleted: '条已过期的链接记录',
  roomMessagesDeleted: '条群消息',
};

/** "清理了 3 张随手拍照片、12 条居民消息。" — the counts that are not zero. */
export function retentionSummary(counts: Record<string, number>): string {
  const parts = Object.entries(retentionLabels)
    .filter(([k]) => counts[k])
    .map(([k, label]) => `${counts[k]} ${label}`);
  return parts.length ? `清理了 ${parts.join('、')}。` : '没有到期需要清理的数据。';
}
