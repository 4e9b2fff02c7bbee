import type { Role, StaffPrincipal } from '../../core/auth';
import { AppError, forbidden } from '../../core/errors';
import type { TipoffDoc } from './tipoffs.model';
import { actionNames, statusNames, type TipoffAction, type TipoffStatus } from './tipoffs.schema';

/**
 * The tip-off workflow: submitted → accepted → assigned → rectified → closed, submitted → rejected,
 * rectified → assigned (reopen); plus reassignment (assigned → assigned) and merging a duplicate
 * (submitted, accepted or assigned → merged); a unit's 申请退回 / 申请延期 waits in `request` (the
 * status stays assigned) until the office approves or refuses it. Accepting routes at once: the accept transition records accepted, then the
 * system's assignment to the unit, so "accepted" is passed through, never waited in.
 */
export const ACTIVE_STATUSES: readonly TipoffStatus[] = ['submitted', 'accepted', 'assigned', 'rectified'];
/** A unit sees a tip-off from its assignment on (never one still waiting for the office's triage). */
export const UNIT_VISIBLE_STATUSES: readonly TipoffStatus[] = ['assigned', 'rectified', 'closed'];
/** The deadline runs while the unit has not rectified. */
const DEADLINE_RUNNING: readonly TipoffStatus[] = ['accepted', 'assigned'];

const OFFICE: readonly Role[] = ['office', 'admin'];
interface Rule {
  from: readonly TipoffStatus[];
  roles: readonly Role[];
  /** true: only while a unit's request waits for the office; false: only while none does */
  pending?: boolean;
}
export const rules: Record<TipoffAction, Rule> = {
  accept: { from: ['submitted'], roles: OFFICE },
  reject: { from: ['submitted'], roles: OFFICE },
  merge: { from: ['submitted', 'accepted', 'assigned'], roles: OFFICE },
  assign: { from: ['accepted', 'assigned'], roles: OFFICE },
  rectify: { from: ['assigned'], roles: ['unit', ...OFFICE] },
  close: { from: ['rectified'], roles: OFFICE },
  reopen: { from: ['rectified'], roles: OFFICE },
  // A unit asks; the office decides. One request at a time, so a decision always answers the one asked.
  'request-return': { from: ['assigned'], roles: ['unit'], pending: false },
  'request-extension': { from: ['assigned'], roles: ['unit'], pending: false },
  'approve-request': { from: ['assigned'], roles: OFFICE, pending: true },
  'refuse-request': { from: ['assigned'], roles: OFFICE, pending: true },
};

type RuleView = Pick<TipoffDoc, 'status'> & { request?: unknown };
const pendingOk = (rule: Rule, doc: RuleView) => rule.pending === undefined || rule.pending === Boolean(doc.request);

export const isActive = (s: string): boolean => ACTIVE_STATUSES.includes(s as TipoffStatus);

/** Whether a staff member may see the tip-off at all: the office always, a unit only its own. */
export function staffMaySee(doc: Pick<TipoffDoc, 'status' | 'unitCode'>, staff: StaffPrincipal): boolean {
  if (staff.role === 'enumerator') return false; // fieldwork accounts see no tip-off
  if (staff.role !== 'unit') return true;
  return doc.unitCode === staff.unitCode && UNIT_VISIBLE_STATUSES.includes(doc.status as TipoffStatus);
}

/** Throws 403 when the role may not take the action, 409 INVALID_TRANSITION when the status forbids it. */
export function assertTransition(doc: RuleView, staff: StaffPrincipal, action: TipoffAction): void {
  const rule = rules[action];
  if (!rule.roles.includes(staff.role)) throw forbidden(`您的角色不能进行“${actionNames[action]}”操作`);
  if (!rule.from.includes(doc.status as TipoffStatus)) {
    const allowed = rule.from.map((s) => statusNames[s]).join('、');
    throw new AppError(
      'INVALID_TRANSITION',
      `当前状态为“${statusNames[doc.status as TipoffStatus]}”，不能进行“${actionNames[action]}”操作（仅限${allowed}）`,
      {
        status: doc.status,
        action,
      },
    );
  }
  if (!pendingOk(rule, doc)) {
    const why = rule.pending ? '没有待审核的申请' : '已有一个申请等待文明办审核，请等待答复';
    throw new AppError('INVALID_TRANSITION', `${why}，不能进行“${actionNames[action]}”操作`, { status: doc.status, action });
  }
}

/** The actions a staff member may take on the tip-off now (the consoles show these buttons). */
export function allowedActions(doc: Pick<TipoffDoc, 'status' | 'unitCode'> & { request?: unknown }, staff: StaffPrincipal): TipoffAction[] {
  if (!staffMaySee(doc, staff)) return [];
  return (Object.keys(rules) as TipoffAction[]).filter(
    (a) => rules[a].roles.includes(staff.role) && rules[a].from.includes(doc.status as TipoffStatus) && pendingOk(rules[a], doc),
  );
}

export function isOverdue(doc: Pick<TipoffDoc, 'status' | 'deadlineAt'>, at: Date): boolean {
  return Boolean(doc.deadlineAt && DEADLINE_RUNNING.includes(doc.status as TipoffStatus) && doc.deadlineAt.getTime() < at.getTime());
}

/** 受理时限: a submitted tip-off's acceptance deadline (its category's acceptHours after submission). */
export const acceptDueFrom = (createdAt: Date, acceptHours: number): Date => new Date(createdAt.getTime() + acceptHours * 3600_000);

export const deadlineFrom = (at: Date, hours: number): Date => new Date(at.getTime() + hours * 3600_000);
