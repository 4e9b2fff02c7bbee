import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';

/**
 * One staff write. _id is `<ISO time>-<random>`: it sorts by time, so the log reads newest first
 * and a date range is an _id range, and retention deletes an _id prefix range.
 */
export const AuditEntry = defineModel('AuditEntry', 'audit_log', {
  _id: String,
  at: { type: Date, required: true },
  staffId: { type: String, required: true },
  username: { type: String, required: true },
  role: { type: String, required: true },
  unitCode: { type: String, default: null },
  method: { type: String, required: true },
  path: { type: String, required: true },
  action: { type: String, required: true },
  /** the route's path parameters: which object */
  target: { type: Schema.Types.Mixed, default: {} },
  /** the request's fields and values, personal data masked, passwords never kept */
  changes: { type: Schema.Types.Mixed, default: {} },
  /** the object's fields before the write, where the route offers them cheaply (masked the same way) */
  before: { type: Schema.Types.Mixed, default: null },
  status: { type: Number, required: true },
  requestId: { type: String, default: null },
});
export type AuditDoc = DocOf<typeof AuditEntry>;
