import type { StaffPrincipal } from '../../core/auth';
import { toAppError } from '../../core/http/middleware';
import { isoLocal, now } from '../../core/time';
import { loadExcel } from '../../core/lazy';
import { presentTipoffs } from './tipoffs.present';
import type { BulkInput, BulkResult, TipoffView } from './tipoffs.schema';
import { transitionTipoff } from './tipoffs.transitions';
import type { TipoffDoc } from './tipoffs.model';

/**
 * Bulk actions of the triage table: the same transition for each selected tip-off, one after another,
 * each with its own guard (a tip-off someone else moved meanwhile fails alone, with its reason).
 */
export async function bulkTransition(staff: StaffPrincipal, input: BulkInput): Promise<BulkResult> {
  const result: BulkResult = { done: [], failed: [] };
  for (const id of [...new Set(input.ids)]) {
    try {
      await transitionTipoff(id, staff, { action: input.action, unitCode: input.unitCode, note: input.note });
      result.done.push(id);
    } catch (err) {
      const e = toAppError(err);
      result.failed.push({ id, code: e.code, message: e.message });
    }
  }
  return result;
}

const HEADER = [
  '编号',
  '状态',
  '类别',
  '问题描述',
  '地址',
  '所在区域',
  '责任单位',
  '提交时间',
  '受理时限',
  '整改时限',
  '时限情况',
  '待审核申请',
  '来源',
];

function rowOf(v: TipoffView): string[] {
  return [
    v.id,
    v.statusName,
    v.categoryName,
    v.description,
    v.location.address ?? '',
    v.regionName,
    v.unitName,
    v.createdAt,
    v.acceptDueAt ?? '',
    v.deadlineAt ?? '',
    v.dueText ?? '',
    v.request ? `${v.request.kindName}：${v.request.reason}` : '',
    v.source === 'open311' ? '城市系统' : '居民',
  ];
}

/** A spreadsheet cell that starts with = + - @ would run as a formula when opened: quote it. */
const defuse = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The rows as the office reads them (place names, never coordinates; reporters never exported). */
export async function exportTriage(
  staff: StaffPrincipal,
  docs: TipoffDoc[],
  format: 'csv' | 'xlsx',
): Promise<{ filename: string; body: Buffer }> {
  const views = await presentTipoffs(docs, { kind: 'staff', staff });
  const rows = views.map(rowOf);
  const name = `随手拍-${isoLocal(now()).slice(0, 10)}`;
  if (format === 'csv') {
    const text = [HEADER, ...rows].map((r) => r.map((v) => csvCell(defuse(v))).join(',')).join('\r\n');
    // The BOM makes Excel open the UTF-8 file with the Chinese intact.
    return { filename: `${name}.csv`, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + '\r\n', 'utf8')]) };
  }
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'wenming';
  const ws = wb.addWorksheet('随手拍');
  ws.addRow(HEADER).font = { bold: true };
  for (const r of rows) ws.addRow(r); // typed strings, never formulas
  ws.columns.forEach((c, i) => (c.width = [16, 10, 14, 40, 24, 20, 20].at(i) ?? 22));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return { filename: `${name}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
