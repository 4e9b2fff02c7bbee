import crypto from 'node:crypto';
import { trusted } from 'mongoose';
import { config } from '../../config';
import type { StaffWrite } from '../../core/http/route';
import { logger } from '../../core/logger';
import { now, startOfDay, addDays } from '../../core/time';
import { maskFields } from './audit.mask';
import { AuditEntry, type AuditDoc } from './audit.model';
import type { AuditEntryView, AuditQuery } from './audit.schema';

const DAY = 86_400_000;

/** A time-sortable _id: the ISO instant, then random so two writes in one millisecond differ. */
export const auditIdAt = (at: Date): string => at.toISOString();
const newAuditId = (at: Date): string => `${auditIdAt(at)}-${crypto.randomBytes(4).toString('hex')}`;

export function entryOf(w: StaffWrite, at = now()): AuditDoc {
  const body = w.body && typeof w.body === 'object' && !Array.isArray(w.body) ? maskFields(w.body as Record<string, unknown>) : {};
  return {
    _id: newAuditId(at),
    at,
    staffId: w.auth.staffId,
    username: w.auth.username,
    role: w.auth.role,
    unitCode: w.auth.unitCode ?? null,
    method: w.method.toUpperCase(),
    path: w.path,
    action: w.summary,
    target: w.params,
    changes: body,
    before: w.before ? maskFields(w.before) : null,
    status: w.status,
    requestId: w.requestId ?? null,
  };
}

const pending = new Set<Promise<void>>();

/**
 * Records a staff write without holding up its response: the insert runs after the handler, and a
 * failure is logged at error level, never thrown into the request.
 */
export function recordWrite(w: StaffWrite): void {
  let doc: AuditDoc;
  try {
    doc = entryOf(w);
  } catch (err) {
    logger.error({ err, path: w.path, reqId: w.requestId }, 'audit entry could not be built');
    return;
  }
  const p: Promise<void> = AuditEntry.collection
    .insertOne(doc as never)
    .then(() => undefined)
    .catch((err: unknown) => logger.error({ err, auditId: doc._id, path: w.path, reqId: w.requestId }, 'audit write failed'))
    .finally(() => pending.delete(p));
  pending.add(p);
}

/** Waits for the audit writes in flight (tests, and a graceful shutdown). */
export async function flushAudit(): Promise<void> {
  await Promise.all([...pending]);
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function filterOf(q: Omit<AuditQuery, 'page' | 'pageSize'>): Record<string, unknown> {
  const range: Record<string, string> = {};
  if (q.from) range.$gte = auditIdAt(startOfDay(q.from));
  if (q.to) range.$lt = auditIdAt(startOfDay(addDays(q.to, 1)));
  const text = q.q ? new RegExp(escapeRegex(q.q), 'i') : undefined;
  // Operators built here from parsed values, never from client JSON: trusted past sanitizeFilter.
  return {
    ...(Object.keys(range).length ? { _id: trusted(range) } : {}),
    ...(q.username ? { username: q.username } : {}),
    ...(q.role ? { role: q.role } : {}),
    ...(text ? { $or: trusted([{ action: text }, { path: text }]) } : {}),
  };
}

export function presentEntry(d: AuditDoc): AuditEntryView {
  return {
    id: d._id,
    at: new Date(d.at).toISOString(),
    username: d.username,
    role: d.role as AuditEntryView['role'],
    ...(d.unitCode ? { unitCode: d.unitCode } : {}),
    method: d.method,
    path: d.path,
    action: d.action,
    target: (d.target ?? {}) as Record<string, string>,
    changes: (d.changes ?? {}) as Record<string, unknown>,
    ...(d.before ? { before: d.before as Record<string, unknown> } : {}),
    status: d.status,
    ...(d.requestId ? { requestId: d.requestId } : {}),
  };
}

export async function listAudit(q: AuditQuery): Promise<{ items: AuditEntryView[]; total: number }> {
  const filter = filterOf(q);
  const [docs, total] = await Promise.all([
    AuditEntry.find(filter)
      .sort({ _id: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean<AuditDoc[]>(),
    // Unfiltered (the page's first view): the collection's count from metadata, not a scan.
    Object.keys(filter).length ? AuditEntry.countDocuments(filter) : AuditEntry.estimatedDocumentCount(),
  ]);
  return { items: docs.map(presentEntry), total };
}

export const EXPORT_MAX_ROWS = 50_000;

/** Every entry the filters select (newest first, capped), for the export. */
export async function exportAudit(q: Omit<AuditQuery, 'page' | 'pageSize'>): Promise<AuditEntryView[]> {
  const docs = await AuditEntry.find(filterOf(q)).sort({ _id: -1 }).limit(EXPORT_MAX_ROWS).lean<AuditDoc[]>();
  return docs.map(presentEntry);
}

/** Deletes entries older than AUDIT_RETENTION_DAYS: one _id range. */
export async function applyAuditRetention(at: Date): Promise<Record<string, number>> {
  const cutoff = auditIdAt(new Date(at.getTime() - config().AUDIT_RETENTION_DAYS * DAY));
  const res = await AuditEntry.deleteMany({ _id: trusted({ $lt: cutoff }) });
  return { auditEntriesDeleted: res.deletedCount };
}
