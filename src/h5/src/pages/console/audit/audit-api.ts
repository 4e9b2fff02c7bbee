import { api } from '../../../api';
import type { AuditEntryView } from '../../../../../modules/audit/audit.schema';
import { queryOf } from '../staff/staff-admin-api';

/** 操作日志 (admin): the audit log with its filters, and the CSV export of the same filters. */
export type { AuditEntryView };
export interface AuditFilters {
  username?: string;
  role?: string;
  from?: string;
  to?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export const listAudit = (f: AuditFilters) => api.get<{ items: AuditEntryView[]; total: number }>(`/api/v1/audit?${queryOf(f)}`);
export const exportUrl = (f: AuditFilters) => `/api/v1/audit/export.csv?${queryOf({ ...f, page: undefined, pageSize: undefined })}`;

export const methodLabels: Record<string, string> = { POST: '新建/提交', PUT: '修改', PATCH: '修改', DELETE: '删除' };

/** "displayName=王五; role=unit" — the recorded fields, for a table cell. */
export const pairsText = (o: Record<string, unknown>) =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
