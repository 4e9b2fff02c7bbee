import { trusted } from 'mongoose';
import type { StaffPrincipal } from '../../core/auth';
import { forbidden, isDuplicateKey, notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { isoLocal, now } from '../../core/time';
import { parse } from '../../core/validate';
import { dedupeKeySchema } from '../outbox/outbox.schema';
import { getUnit } from '../catalog/catalog.service';
import { StaffNotice, type NoticeDoc } from './notices.model';
import { queueWecom } from './wecom';
import { newNoticeSchema, type NewNotice, type NoticeList, type NoticeView } from './notices.schema';

export type Audience = 'office' | `unit:${string}`;
export const unitAudience = (unitCode: string): Audience => `unit:${unitCode}`;

/** Leaves a notice for the office or a unit, at most once per dedupeKey (its cause). False if already there. */
export async function notifyStaff(audience: Audience, notice: NewNotice, dedupeKey: string): Promise<boolean> {
  const n = parse(newNoticeSchema, notice, '工作通知');
  const key = parse(dedupeKeySchema, dedupeKey, '通知去重键');
  try {
    await StaffNotice.create({ _id: `${audience}:${key}`, audience, ...n, link: n.link ?? null, createdAt: now() });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  // The office's notices (督办, escalations) reach its 企业微信 group too; the weekly brief posts its
  // whole text and chart there itself (briefs.service.ts), not this short announcement.
  if (audience === 'office' && n.kind !== 'brief') {
    // The inbox has it already: a failed queue write is logged, never a reason to notify twice.
    await queueWecom(`notice:${key}`, [{ kind: 'text', text: `**${n.title}**\n${n.text}` }]).catch((err) =>
      logger.warn({ err, key }, 'office notice not queued for the wecom robot'),
    );
  }
  return true;
}

/** Whose inbox a staff member reads: a unit user only its unit's; office and admin the office's, or a unit's on request. */
export function audienceFor(staff: StaffPrincipal, unit?: string): Audience {
  if (staff.role === 'unit') {
    if (!staff.unitCode) throw forbidden('账号未关联责任单位');
    if (unit && unit !== staff.unitCode) throw forbidden('只能查看本单位的通知');
    return unitAudience(staff.unitCode);
  }
  if (unit) return unitAudience(getUnit(unit).code);
  return 'office';
}

function present(n: NoticeDoc): NoticeView {
  return {
    id: n._id,
    audience: n.audience,
    kind: n.kind,
    title: n.title,
    text: n.text,
    link: n.link ?? null,
    createdAt: isoLocal(n.createdAt),
    readAt: n.readAt ? isoLocal(n.readAt) : null,
  };
}

/**
 * An inbox, newest first, with its unread count. The (audience, createdAt) index serves MongoDB; on
 * FerretDB this scans staff_notices, which the retention job keeps to a year — a console page, not a
 * resident's hot path.
 */
export async function listNotices(audience: Audience, page: { limit: number; cursor?: string }): Promise<NoticeList> {
  const filter: Record<string, unknown> = { audience };
  const m = page.cursor?.match(/^(\d{1,15})_(.+)$/);
  if (m) {
    const at = new Date(Number(m[1]));
    // Built from the parsed cursor, never from client JSON: trusted past sanitizeFilter.
    filter.$or = [{ createdAt: trusted({ $lt: at }) }, { createdAt: at, _id: trusted({ $lt: m[2] }) }];
  }
  const [docs, unread] = await Promise.all([
    StaffNotice.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(page.limit + 1)
      .lean<NoticeDoc[]>(),
    StaffNotice.countDocuments({ audience, readAt: null }),
  ]);
  const items = docs.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(present),
    unread,
    nextCursor: docs.length > page.limit && last ? `${last.createdAt.getTime()}_${last._id}` : null,
  };
}

/** Marks a notice read (idempotent: the first reader and time stay). */
export async function markNoticeRead(id: string, staff: StaffPrincipal): Promise<NoticeView> {
  const doc = await StaffNotice.findById(id).lean<NoticeDoc>();
  if (!doc) throw notFound('通知');
  // Only the inbox's own readers mark it read: the office may look into a unit's inbox, not clear it.
  if (doc.audience !== audienceFor(staff)) throw notFound('通知');
  if (doc.readAt) return present(doc);
  const readAt = now();
  await StaffNotice.updateOne({ _id: id }, { $set: { readAt, readBy: staff.username } });
  return present({ ...doc, readAt, readBy: staff.username });
}
