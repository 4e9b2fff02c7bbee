import type { StaffPrincipal } from '../../core/auth';
import { conflict, notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { isoLocal, now } from '../../core/time';
import { claimOnce, readExisting } from '../../core/store';
import { photoView } from '../media/media.service';
import { notifyResident } from '../outbox/outbox.service';
import {
  ModerationDecision,
  ModerationItem,
  ModerationQueue,
  ModerationTrace,
  type ModerationItemDoc,
  type ModerationQueueDoc,
} from './moderation.model';
import {
  kindNames,
  sourceNames,
  type ModerationItemView,
  type ModerationKind,
  type ModerationList,
  type ModerationListQuery,
  type Verdict,
} from './moderation.schema';
import { openidOf, scenes, startImageCheck, wechatTextVerdict } from './moderation.wechat';
import { findSensitive } from './moderation.words';

/**
 * 内容安全: resident content is checked before anyone else sees it. Text goes through the
 * sensitive-word list (always, first) and then WeChat's msg_sec_check (when configured); photos go
 * to WeChat's media_check_async, whose verdict comes back later. Flagged content is held for the
 * office; the owning module hides it meanwhile through its registered handler.
 */

/** What the module that owns the content does when the office (or WeChat) decides. */
export interface ModerationHandler {
  /** how the resident is told what it is about: 「您的随手拍（编号 T…）」 */
  describe(item: ModerationItemDoc): string;
  /** the content goes public (approved, or WeChat's clean verdict on the last photo) */
  release(item: ModerationItemDoc): Promise<void>;
  /** the content must stay hidden (a late flag on photos that were pending) */
  hold(item: ModerationItemDoc): Promise<void>;
  /** the office rejected it; returns true when the owner already told the resident (e.g. 不予受理) */
  reject(item: ModerationItemDoc, reason: string, staff: StaffPrincipal): Promise<boolean>;
  /** what rejection means for this kind, told to the resident after the reason */
  afterReject: string;
}

const handlers = new Map<ModerationKind, ModerationHandler>();

/** An owning module (tip-offs, residents, surveys) says how to show, hide and reject its content. */
export function registerModerationKind(kind: ModerationKind, handler: ModerationHandler): void {
  handlers.set(kind, handler);
}

function handlerOf(kind: ModerationKind): ModerationHandler {
  const h = handlers.get(kind);
  if (!h) throw new Error(`no moderation handler for ${kind}`);
  return h;
}

export const flagged = (v: Verdict | undefined): v is Verdict => Boolean(v && v.suggest !== 'pass');

/** A text's verdict: the word list first (no network), then WeChat; undefined when clean or unchecked. */
export async function screenText(text: string, who: { kind: ModerationKind; residentId?: string | null }): Promise<Verdict | undefined> {
  if (!text.trim()) return undefined;
  const hit = findSensitive(text);
  if (hit) return { suggest: 'risky', source: 'words', label: `${hit.category}：${hit.match}` };
  const verdict = await wechatTextVerdict(text, await openidOf(who.residentId), scenes[who.kind]);
  return flagged(verdict) ? verdict : undefined;
}

/** The openid under which a resident's photos can be sent to WeChat, or undefined (then they are not checked). */
export const imageChecker = (residentId: string | null | undefined) => openidOf(residentId);

export interface NewCase {
  kind: ModerationKind;
  ref: string;
  residentId: string | null;
  /** what the content belongs to (survey:<id>), see hiddenInScope */
  scope?: string;
  text: string;
  photos?: string[];
  /** the text's verdict (screenText) */
  verdict?: Verdict;
  /** the openid to send photos to WeChat under (imageChecker); none: photos are not checked */
  openid?: string;
  /** when the case is recorded as opened (an anonymous survey answer: its day only, as the response) */
  at?: Date;
}

/** What the owner sets on its content: hidden while pending or held, public (null) otherwise. */
export type CaseState = 'pending' | 'held' | null;

/** Which state a case will open in, known before the content is stored (so it is never public by mistake). */
export const caseState = (c: Pick<NewCase, 'verdict' | 'openid' | 'photos'>): CaseState =>
  flagged(c.verdict) ? 'held' : c.openid && c.photos?.length ? 'pending' : null;

const idOf = (kind: ModerationKind, ref: string) => `${kind}:${ref}`;

async function tell(item: ModerationItemDoc, text: string, step: string): Promise<void> {
  if (!item.residentId) return;
  // Once per case and step: a later case of the same content (a second nickname) is told again.
  await notifyResident(item.residentId, text, `moderation:${item._id}:${item.createdAt.getTime()}:${step}`).catch((err) =>
    logger.warn({ err, item: item._id }, 'moderation notice not sent'),
  );
}

const heldNotice = (item: ModerationItemDoc) => `${handlerOf(item.kind).describe(item)}正在审核，通过后将公开。感谢您的理解与支持！`;

/**
 * Opens a case for content just stored with `caseState(c)`: nothing for clean content without
 * checked photos; otherwise the item, its queue entry, the resident's notice when held, and the
 * photos' asynchronous checks when pending.
 */
export async function openCase(c: NewCase): Promise<CaseState> {
  const state = caseState(c);
  if (!state) return null;
  const at = c.at ?? now();
  const photos = c.photos ?? [];
  const item: ModerationItemDoc = {
    _id: idOf(c.kind, c.ref),
    kind: c.kind,
    ref: c.ref,
    scope: c.scope ?? null,
    status: state,
    residentId: c.residentId,
    text: c.text,
    photos,
    label: state === 'held' ? c.verdict!.label : '',
    source: state === 'held' ? c.verdict!.source : null,
    traces: [],
    createdAt: at,
    updatedAt: at,
    decidedAt: null,
    decidedBy: null,
    reason: null,
  };
  await ModerationItem.replaceOne({ _id: item._id }, item, { upsert: true });
  await ModerationQueue.replaceOne({ _id: item._id }, { _id: item._id, kind: item.kind, status: state, createdAt: at }, { upsert: true });
  if (state === 'held') await tell(item, heldNotice(item), 'held');
  else await startChecks(item, c.openid!);
  return state;
}

/** Sends each photo to WeChat; a photo WeChat would not take leaves the case for the office. */
async function startChecks(item: ModerationItemDoc, openid: string): Promise<void> {
  const traces: string[] = [];
  for (const mediaId of item.photos) {
    const traceId = await startImageCheck(mediaId, openid, scenes[item.kind]);
    if (!traceId) return holdItem(item._id, { suggest: 'review', source: 'wechat', label: '图片未能提交微信审核' });
    await ModerationTrace.create({ _id: traceId, itemId: item._id, mediaId, createdAt: now(), suggest: null });
    traces.push(traceId);
  }
  await ModerationItem.updateOne({ _id: item._id }, { $set: { traces } });
  // A verdict may have come back before the trace list was written: look once more now that it is.
  await releaseIfAllPassed(item._id);
}

/** A pending item is flagged: held, hidden by its owner, the resident told. A decided item stays decided. */
async function holdItem(itemId: string, v: Verdict): Promise<void> {
  const item = await ModerationItem.findById(itemId).lean<ModerationItemDoc>();
  if (!item || (item.status !== 'pending' && item.status !== 'held')) return;
  const label = item.label ? (item.label.includes(v.label) ? item.label : `${item.label}；${v.label}`) : v.label;
  const wasPending = item.status === 'pending';
  const held = { ...item, status: 'held' as const, label, source: item.source ?? v.source, updatedAt: now() };
  await ModerationItem.updateOne({ _id: itemId }, { $set: { status: 'held', label, source: held.source, updatedAt: held.updatedAt } });
  await ModerationQueue.updateOne({ _id: itemId }, { $set: { status: 'held' } });
  if (!wasPending) return;
  await handlerOf(item.kind).hold(held);
  await tell(held, heldNotice(held), 'held');
}

/**
 * WeChat's verdict on one photo (the `wxa_media_check` push). Risky or review holds the content;
 * clean verdicts on every photo of a pending item release it. Each verdict is written on its own
 * trace (a point update), so two verdicts arriving at once cannot lose each other; an unknown
 * trace_id is logged and ignored.
 */
export async function onImageVerdict(traceId: string, v: Verdict): Promise<void> {
  const trace = await ModerationTrace.findById(traceId).lean<{ itemId: string }>();
  if (!trace) {
    logger.info({ traceId }, 'wechat media check verdict for an unknown trace_id');
    return;
  }
  await ModerationTrace.updateOne({ _id: traceId }, { $set: { suggest: v.suggest } });
  if (flagged(v)) return holdItem(trace.itemId, { ...v, label: `图片：${v.label}` });
  await releaseIfAllPassed(trace.itemId);
}

/** A pending item whose every photo WeChat passed goes public (idempotent: two last verdicts may both get here). */
async function releaseIfAllPassed(itemId: string): Promise<void> {
  const item = await ModerationItem.findById(itemId).lean<ModerationItemDoc>();
  if (!item || item.status !== 'pending' || !item.photos.length || item.traces.length !== item.photos.length) return;
  const traces = await Promise.all(
    item.traces.map((id) => ModerationTrace.findById(id, { suggest: 1 }).lean<{ suggest: string | null }>()),
  );
  if (!traces.every((t) => t?.suggest === 'pass')) return;
  await ModerationItem.updateOne({ _id: item._id }, { $set: { status: 'passed', updatedAt: now() } });
  await ModerationQueue.deleteOne({ _id: item._id });
  await handlerOf(item.kind).release({ ...item, status: 'passed' });
}

/** The office's decision on this case is taken once: the decision insert is the guard (a later case of the same content is a new one). */
async function claim(item: ModerationItemDoc, action: 'approve' | 'reject', staff: StaffPrincipal): Promise<void> {
  if (item.status !== 'held' && item.status !== 'pending') throw conflict('该内容已审核过，请刷新列表');
  if (
    !(await claimOnce(ModerationDecision, { _id: `${item._id}:${item.createdAt.getTime()}`, action, staffId: staff.staffId, at: now() }))
  ) {
    throw conflict('该内容刚刚已被其他工作人员审核，请刷新列表');
  }
}

async function loadItem(id: string): Promise<ModerationItemDoc> {
  const item = await ModerationItem.findById(id).lean<ModerationItemDoc>();
  if (!item) throw notFound('待审核内容');
  return item;
}

async function settle(
  item: ModerationItemDoc,
  status: 'approved' | 'rejected',
  staff: StaffPrincipal,
  reason: string | null,
): Promise<ModerationItemDoc> {
  const at = now();
  const set = { status, decidedAt: at, decidedBy: staff.username, reason, updatedAt: at };
  await ModerationItem.updateOne({ _id: item._id }, { $set: set });
  await ModerationQueue.deleteOne({ _id: item._id });
  return { ...item, ...set };
}

export async function approveItem(id: string, staff: StaffPrincipal): Promise<ModerationItemDoc> {
  const item = await loadItem(id);
  await claim(item, 'approve', staff);
  const done = await settle(item, 'approved', staff, null);
  await handlerOf(item.kind).release(done);
  await tell(done, `${handlerOf(item.kind).describe(done)}已审核通过，现已公开。感谢您的参与！`, 'approved');
  return done;
}

export async function rejectItem(id: string, staff: StaffPrincipal, reason: string): Promise<ModerationItemDoc> {
  const item = await loadItem(id);
  await claim(item, 'reject', staff);
  const done = await settle(item, 'rejected', staff, reason);
  const h = handlerOf(item.kind);
  const told = await h.reject(done, reason, staff);
  if (!told) await tell(done, `很抱歉，${h.describe(done)}未通过审核。原因：${reason}。${h.afterReject}`, 'rejected');
  return done;
}

/** Approves several; an item someone else decided meanwhile is skipped and named, the rest go through. */
export async function approveMany(
  ids: string[],
  staff: StaffPrincipal,
): Promise<{ approved: string[]; skipped: { id: string; why: string }[] }> {
  const approved: string[] = [];
  const skipped: { id: string; why: string }[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      await approveItem(id, staff);
      approved.push(id);
    } catch (err) {
      skipped.push({ id, why: (err as Error).message });
    }
  }
  return { approved, skipped };
}

export function presentItem(d: ModerationItemDoc): ModerationItemView {
  const text = d.kind === 'nickname' ? `昵称：${d.text}` : d.text;
  return {
    id: d._id,
    kind: d.kind,
    kindName: kindNames[d.kind],
    ref: d.ref,
    status: d.status,
    excerpt: text.length > 120 ? `${text.slice(0, 119)}…` : text,
    photos: d.photos.map(photoView),
    label: d.label || (d.status === 'pending' ? '图片审核中' : ''),
    source: (d.source as ModerationItemView['source']) ?? null,
    sourceName: d.source ? sourceNames[d.source as 'words' | 'wechat'] : '—',
    createdAt: isoLocal(d.createdAt),
    decidedAt: d.decidedAt ? isoLocal(d.decidedAt) : null,
    decidedBy: d.decidedBy ?? null,
    reason: d.reason ?? null,
  };
}

/**
 * The queue (held or pending: the small moderation_queue, then its items by _id) or the decided
 * history (approved, rejected: a filtered read of the items, an office browsing the past, newest 5000).
 */
export async function listItems(q: ModerationListQuery): Promise<ModerationList> {
  const skip = (q.page - 1) * q.pageSize;
  const sign = q.order === 'asc' ? 1 : -1;
  const has = (d: ModerationItemDoc) => !q.q || d.text.includes(q.q);
  let docs: ModerationItemDoc[];
  if (q.status === 'held' || q.status === 'pending') {
    // The queue is small by design: read it whole, then its items by _id (parallel point reads).
    const rows = (await ModerationQueue.find({ status: q.status }).lean<ModerationQueueDoc[]>()).filter(
      (r) => !q.kind || r.kind === q.kind,
    );
    const found = await readExisting<ModerationItemDoc>(
      ModerationItem,
      rows.map((r) => r._id),
    );
    docs = found.filter(has).sort((a, b) => sign * (a.createdAt.getTime() - b.createdAt.getTime()) || (a._id < b._id ? -sign : sign));
  } else {
    const filter = { status: q.status, ...(q.kind ? { kind: q.kind } : {}) };
    docs = (await ModerationItem.find(filter).sort({ decidedAt: sign, _id: sign }).limit(5000).lean<ModerationItemDoc[]>()).filter(has);
  }
  return { items: docs.slice(skip, skip + q.pageSize).map(presentItem), total: docs.length, page: q.page, pageSize: q.pageSize };
}

/** Pending past this: WeChat's verdict is not coming; the office looks at the photos itself. */
export const PENDING_LIMIT_MS = 30 * 60_000;

/** The job: pending items whose verdict never came are held for the office (their content stays hidden). */
export async function holdOverdueChecks(at: Date = now()): Promise<{ held: number }> {
  const rows = await ModerationQueue.find({ status: 'pending' }).lean<ModerationQueueDoc[]>();
  const late = rows.filter((r) => at.getTime() - r.createdAt.getTime() > PENDING_LIMIT_MS);
  for (const r of late) await holdItem(r._id, { suggest: 'review', source: 'wechat', label: '微信未返回图片审核结果' });
  return { held: late.length };
}

/** Whether a piece of content is hidden now (held, pending or rejected): for owners without a field of their own. */
export async function isHidden(kind: ModerationKind, ref: string): Promise<boolean> {
  const item = await ModerationItem.findById(idOf(kind, ref), { status: 1 }).lean<{ status: string }>();
  return Boolean(item && ['pending', 'held', 'rejected'].includes(item.status));
}

/**
 * The hidden items of one scope (e.g. a survey's held or rejected text answers) as ref → what to
 * show instead. A filtered read of the items: only flagged content has items, and it is an office export.
 */
export async function hiddenInScope(kind: ModerationKind, scope: string): Promise<Map<string, string>> {
  const docs = await ModerationItem.find({ kind, scope }, { ref: 1, status: 1 }).lean<Pick<ModerationItemDoc, 'ref' | 'status'>[]>();
  const masks = new Map<string, string>();
  for (const d of docs) {
    if (d.status === 'rejected') masks.set(d.ref, '（内容未通过审核，已隐藏）');
    else if (d.status === 'held' || d.status === 'pending') masks.set(d.ref, '（内容审核中）');
  }
  return masks;
}
