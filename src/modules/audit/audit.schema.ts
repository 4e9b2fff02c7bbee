import { z } from 'zod';
import { roles } from '../../core/auth';
import { line } from '../../core/text';

export const auditQuery = z.object({
  username: line(32).optional(),
  role: z.enum(roles).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** text in the action label or the path */
  // Cleaned of control characters: a NUL cannot go into a database regular expression.
  q: line(60).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  username: z.string(),
  role: z.enum(roles),
  unitCode: z.string().optional(),
  method: z.string(),
  path: z.string(),
  action: z.string(),
  target: z.record(z.string(), z.string()),
  changes: z.record(z.string(), z.unknown()),
  before: z.record(z.string(), z.unknown()).optional(),
  status: z.number(),
  requestId: z.string().optional(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const auditListSchema = z.object({ items: z.array(auditEntrySchema), total: z.number(), page: z.number(), pageSize: z.number() });
