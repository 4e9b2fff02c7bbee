import { isoLocal } from '../../core/time';
import type { AuditEntryView } from './audit.schema';

const ROLE = { admin: '系统管理员', office: '文明办', unit: '责任单位', enumerator: '调查员' } as const;
const HEADER = ['时间', '用户名', '角色', '单位', '操作', '方法', '路径', '对象', '修改前', '内容', '结果', '请求编号'];

/** A cell that starts with = + - @ would run as a formula when opened: quote it. */
const defuse = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const pairs = (o: Record<string, unknown>) =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');

export function auditCsv(entries: AuditEntryView[]): Buffer {
  const rows = entries.map((e) => [
    isoLocal(new Date(e.at)),
    e.username,
    ROLE[e.role],
    e.unitCode ?? '',
    e.action,
    e.method,
    e.path,
    pairs(e.target),
    pairs(e.before ?? {}),
    pairs(e.changes),
    String(e.status),
    e.requestId ?? '',
  ]);
  const text = [HEADER, ...rows].map((r) => r.map((v) => csvCell(defuse(v))).join(',')).join('\r\n');
  // The BOM makes Excel open the UTF-8 file with the Chinese intact.
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + '\r\n', 'utf8')]);
}
