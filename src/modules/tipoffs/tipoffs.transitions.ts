import type { StaffPrincipal } from '../../core/auth';
import { conflict, invalid, notFound } from '../../core/errors';
import { now } from '../../core/time';
import { claimOnce } from '../../core/store';
import { getUnit, listCategories } from '../catalog/catalog.service';
import { attachMedia, requireOwnDrafts, uploaderOf } from '../media/media.service';
import { awardPoints } from '../residents/residents.service';
import { regionPath, requireCommunity } from '../regions/regions.service';
import { recordParticipation } from '../counters';
import { countTipoffChange } from './tipoffs.counters';
import { syncOpenIndex } from './tipoffs.lists';
import { Tipoff, TipoffTransition, type HistoryEntry, type TipoffDoc, type TransitionDoc } from './tipoffs.model';
import { notifyReporter, notifyStaffOf } from './tipoffs.notify';
import type { TipoffAction, TransitionInput } from './tipoffs.schema';
import { loadTipoff } from './tipoffs.service';
import { assertTransition, deadlineFrom, staffMaySee } from './tipoffs.workflow';

/** Points for a resident whose tip-off the office accepts. */
export const TIPOFF_ACCEPT_POINTS = 5;

const deadlineHours = (categoryCode: string) => listCategories().find((c) => c.code === categoryCode)?.deadlineHours ?? 72;

function staffActor(s: StaffPrincipal): HistoryEntry['actor'] {
  return { kind: 'staff', id: s.staffId, name: s.username, role: s.role, ...(s.unitCode ? { unitCode: s.unitCode } : {}) };
}

/** The office places a tip-off in a community when it accepts or assigns it (Open311 reports may come unplaced). */
function placement(input: TransitionInput): Record<string, unknown> {
  if (!input.regionCode) return {};
  if (input.action !== 'accept' && input.action !== 'assign')
    throw invalid('只有受理或分派时可以指定所在社区', [{ path: 'regionCode', message: '受理或分派时才能指定' }]);
  const community = requireCommunity(input.regionCode);
  return { regionCode: community.code, regionPath: regionPath(community.code).map((r) => r.code) };
}

/** The fields an action sets, history included (checked beforehand: role, status, its own inputs). */
async function plan(doc: TipoffDoc, staff: StaffPrincipal, input: TransitionInput, at: Date): Promise<Record<string, unknown>> {
  const note = input.note || null;
  const entry = (action: string, from: string, to: string, extra: Partial<HistoryEntry> = {}) =>
    ({ action, from, to, at, actor: staffActor(staff), note, unitCode: null, photos: [], ...extra }) as HistoryEntry;
  const entries: HistoryEntry[] = [];
  // Whatever the office does next answers (or overtakes) a unit's pending request.
  const set: Record<string, unknown> = { ...placement(input), request: null };
  switch (input.action) {
    case 'accept': {
      const unitCode = input.unitCode ? getUnit(input.unitCode).code : doc.unitCode;
      entries.push(entry('accept', 'submitted', 'accepted'));
      // Routed at once: the system assigns the category's unit (or the one the office chose).
      entries.push(entry('assign', 'accepted', 'assigned', { actor: { kind: 'system' } as HistoryEntry['actor'], note: null, unitCode }));
      Object.assign(set, {
        status: 'assigned',
        unitCode,
        acceptedAt: at,
        deadlineAt: deadlineFrom(at, deadlineHours(doc.categoryCode)),
        possibleDuplicateOf: null,
      });
      break;
    }
    case 'reject':
      if (!note) throw invalid('请填写不予受理的原因', [{ path: 'note', message: '请填写原因' }]);
      entries.push(entry('reject', doc.status, 'rejected'));
      Object.assign(set, { status: 'rejected', closedAt: at });
      break;
    case 'merge': {
      const target = input.duplicateOf ?? doc.possibleDuplicateOf;
      if (!target || target === doc._id)
        throw invalid('请指定与之重复的随手拍编号', [{ path: 'duplicateOf', message: '请指定重复的编号' }]);
      const other = await Tipoff.findById(target).lean<TipoffDoc>();
      if (!other || other.status === 'merged' || other.status === 'rejected')
        throw invalid(`随手拍 ${target} 不存在或已不予受理/已合并，不能合并到它`, [{ path: 'duplicateOf', message: '目标无效' }]);
      entries.push(entry('merge', doc.status, 'merged', { note: note ?? `与 ${target} 为同一问题`, unitCode: other.unitCode }));
      Object.assign(set, { status: 'merged', mergedInto: target, closedAt: at, possibleDuplicateOf: null });
      break;
    }
    case 'request-return':
    case 'request-extension': {
      if (!note) throw invalid('请填写申请理由', [{ path: 'note', message: '请填写理由' }]);
      const kind = input.action === 'request-return' ? 'return' : 'extension';
      let wanted: Date | null = null;
      if (kind === 'extension') {
        if (!input.deadlineAt) throw invalid('请填写申请延期到的时间', [{ path: 'deadlineAt', message: '请选择新的整改时限' }]);
        wanted = new Date(input.deadlineAt);
        if (wanted.getTime() <= Math.max(at.getTime(), doc.deadlineAt?.getTime() ?? 0)) {
          throw invalid('申请的新时限须晚于现在和原整改时限', [{ path: 'deadlineAt', message: '请选择更晚的时间' }]);
        }
      }
      entries.push(entry(input.action, 'assigned', 'assigned', { unitCode: doc.unitCode }));
      Object.assign(set, { request: { kind, reason: note, deadlineAt: wanted, at, unitCode: doc.unitCode } });
      break;
    }
    case 'approve-request':
    case 'refuse-request':
      Object.assign(set, decide(doc, input, at, entry));
      entries.push(...(set.entries as HistoryEntry[]));
      delete set.entries;
      break;
    case 'assign': {
      if (!input.unitCode) throw invalid('请选择责任单位', [{ path: 'unitCode', message: '请选择责任单位' }]);
      const unitCode = getUnit(input.unitCode).code;
      if (doc.status === 'assigned' && unitCode === doc.unitCode)
        throw invalid('该问题已由这个单位处理', [{ path: 'unitCode', message: '请选择其他单位' }]);
      entries.push(entry('assign', doc.status, 'assigned', { unitCode }));
      Object.assign(set, {
        status: 'assigned',
        unitCode,
        ...(doc.deadlineAt ? {} : { deadlineAt: deadlineFrom(at, deadlineHours(doc.categoryCode)) }),
      });
      break;
    }
    case 'rectify': {
      const photos = [...new Set(input.photos ?? [])];
      if (!photos.length) throw invalid('整改完成需上传整改后的照片', [{ path: 'photos', message: '请上传整改后照片' }]);
      await requireOwnDrafts(photos, uploaderOf(staff));
      entries.push(entry('rectify', 'assigned', 'rectified', { unitCode: doc.unitCode, photos }));
      Object.assign(set, { status: 'rectified', rectifiedAt: at, afterPhotos: [...doc.afterPhotos, ...photos] });
      break;
    }
    case 'close':
      entries.push(entry('close', 'rectified', 'closed'));
      Object.assign(set, { status: 'closed', closedAt: at });
      break;
    case 'reopen':
      entries.push(entry('reopen', 'rectified', 'assigned', { unitCode: doc.unitCode }));
      Object.assign(set, { status: 'assigned', rectifiedAt: null, deadlineAt: deadlineFrom(at, deadlineHours(doc.categoryCode)) });
      break;
  }
  return { ...set, seq: doc.seq + 1, updatedAt: at, history: [...doc.history, ...entries] };
}

type EntryMaker = (action: string, from: string, to: string, extra?: Partial<HistoryEntry>) => HistoryEntry;

/**
 * The office answers a unit's request. Approving a return hands the tip-off back to triage (accepted,
 * no unit deadline) or, with `unitCode`, straight to the right unit with a fresh deadline; approving an
 * extension moves the deadline to the one asked for. Refusing changes nothing but the record.
 */
function decide(doc: TipoffDoc, input: TransitionInput, at: Date, entry: EntryMaker): Record<string, unknown> {
  const req = doc.request!;
  const asked = req.kind === 'return' ? '退回' : '延期';
  if (input.action === 'refuse-request') {
    if (!input.note) throw invalid(`请填写不同意${asked}的原因`, [{ path: 'note', message: '请填写原因' }]);
    return { entries: [entry('refuse-request', 'assigned', 'assigned', { unitCode: req.unitCode })] };
  }
  if (req.kind === 'extension') {
    return { deadlineAt: req.deadlineAt, entries: [entry('approve-request', 'assigned', 'assigned', { unitCode: req.unitCode })] };
  }
  const unitCode = input.unitCode ? getUnit(input.unitCode).code : null;
  if (unitCode === req.unitCode) throw invalid('退回的问题请改派给其他单位', [{ path: 'unitCode', message: '请选择其他单位' }]);
  const back = entry('approve-request', 'assigned', 'accepted', { unitCode: req.unitCode });
  if (!unitCode) return { status: 'accepted', deadlineAt: null, entries: [back] };
  const assign = entry('assign', 'accepted', 'assigned', { unitCode, note: null });
  return { status: 'assigned', unitCode, deadlineAt: deadlineFrom(at, deadlineHours(doc.categoryCode)), entries: [back, assign] };
}

/** What follows a transition; every step is idempotent, so a rolled-forward transition may run it again. */
async function effects(doc: TipoffDoc, t: TransitionDoc): Promise<void> {
  const action = t.action as TipoffAction;
  const last = doc.history[doc.history.length - 1];
  if (action === 'rectify' && last?.photos?.length) await attachMedia(last.photos, { kind: 'tipoff', id: doc._id });
  let points = 0;
  if (action === 'accept' && doc.source === 'resident' && doc.reporterId) {
    // The act of participation is the report itself: it counts on the day it was made, in the
    // reporter's community at that time; the points are granted once (ledger _id guard).
    await recordParticipation({ id: doc.reporterId, regionCode: doc.reporterRegionCode }, 'tipoff', doc.createdAt, doc._id);
    await awardPoints(doc.reporterId, TIPOFF_ACCEPT_POINTS, 'tipoff', doc._id, '随手拍被受理');
    points = TIPOFF_ACCEPT_POINTS;
  }
  const note = doc.history.filter((e) => e.action === action).pop()?.note ?? null;
  await notifyReporter(doc, action, t.seq, note, points);
  await notifyStaffOf(doc, action, t.seq);
  if (action === 'merge' && doc.mergedInto) await recordMergeIn(doc.mergedInto, doc, t.at);
}

/**
 * The primary's timeline records the duplicate merged into it: a transition of its own (`merge-in`,
 * status unchanged) through the same `<id>:<seq>` guard, so it never overwrites a concurrent one; a
 * lost race reloads and tries again. Idempotent: a rolled-forward merge finds the entry already there.
 */
async function recordMergeIn(primaryId: string, merged: TipoffDoc, at: Date): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const doc = await loadCurrent(primaryId);
    if (doc.history.some((e) => e.action === 'merge-in' && e.note?.includes(merged._id))) return;
    const entry = {
      action: 'merge-in',
      from: doc.status,
      to: doc.status,
      at,
      actor: { kind: 'system' },
      note: `合并了重复举报 ${merged._id}`,
      unitCode: null,
      photos: [],
    } as unknown as HistoryEntry;
    const seq = doc.seq + 1;
    const set = { seq, updatedAt: at, history: [...doc.history, entry] };
    if (
      !(await claimOnce(TipoffTransition, {
        _id: `${primaryId}:${seq}`,
        tipoffId: primaryId,
        seq,
        action: 'merge-in',
        actorId: null,
        at,
        set,
      }))
    )
      continue;
    await Tipoff.updateOne({ _id: primaryId }, { $set: set });
    return;
  }
}

async function apply(before: TipoffDoc, t: TransitionDoc): Promise<TipoffDoc> {
  await Tipoff.updateOne({ _id: before._id }, { $set: t.set });
  const after = { ...before, ...t.set } as TipoffDoc;
  countTipoffChange(before, after);
  await syncOpenIndex(after);
  if (t.action !== 'merge-in') await effects(after, t);
  return after;
}

/** The tip-off with any transition that won its insert but was interrupted before the update, rolled forward. */
async function loadCurrent(id: string): Promise<TipoffDoc> {
  const doc = await loadTipoff(id);
  const pending = await TipoffTransition.findById(`${id}:${doc.seq + 1}`).lean<TransitionDoc>();
  return pending ? apply(doc, pending) : doc;
}

/**
 * Moves a tip-off (tipoffs.workflow.ts). Two staff acting at once: both read seq n, both try to insert
 * transition n+1, exactly one succeeds; the other gets 409 CONFLICT and sees the new state on reload.
 */
export async function transitionTipoff(id: string, staff: StaffPrincipal, input: TransitionInput): Promise<TipoffDoc> {
  const doc = await loadCurrent(id);
  if (!staffMaySee(doc, staff)) throw notFound('随手拍');
  assertTransition(doc, staff, input.action);
  const at = now();
  const set = await plan(doc, staff, input, at);
  const seq = doc.seq + 1;
  const t = { _id: `${id}:${seq}`, tipoffId: id, seq, action: input.action, actorId: staff.staffId, at, set } as TransitionDoc;
  if (!(await claimOnce(TipoffTransition, t))) throw conflict('该问题刚刚已被其他工作人员处理，请刷新后再试');
  return apply(doc, t);
}
