import type ExcelJS from 'exceljs';
import { HOURS_DECIMALS, PERCENT_NUMFMT, RATE_DECIMALS, roundTo } from '../../core/format';
import { loadExcel } from '../../core/lazy';
import type { StatsFilters, StatsReport } from './stats.service';
import {
  gapTables,
  indicatorTables,
  participationTables,
  sampleTables,
  tipoffTables,
  volunteerTables,
  type Cell,
  type Column,
  type Table,
} from './tables';

/** The sheets of the report, one per topic, in the order an office reads them. */
export function reportSheets(r: StatsReport): Array<{ name: string; tables: Table[] }> {
  return [
    { name: '知晓率', tables: indicatorTables('awareness', r.awareness) },
    { name: '答题知晓', tables: indicatorTables('awareness', r.quizAwareness) },
    { name: '参与率', tables: participationTables(r.participation) },
    { name: '支持率', tables: indicatorTables('support', r.support) },
    { name: '满意度', tables: indicatorTables('satisfaction', r.satisfaction) },
    { name: '志愿者', tables: volunteerTables(r.volunteers) },
    { name: '随手拍', tables: tipoffTables(r.tipoffs) },
    { name: '知识薄弱点', tables: gapTables(r.knowledgeGaps) },
    { name: '样本监测', tables: sampleTables(r.sampleMonitor) },
  ];
}

const FORMATS: Partial<Record<Column['kind'], string>> = { percent: PERCENT_NUMFMT, int: '#,##0', number: '0.0', ratio: '0.00' };

/** Decimals a number keeps in an export: rates 4, hours, medians and scores 1 (no float noise). */
const DECIMALS: Record<Column['kind'], number> = {
  percent: RATE_DECIMALS,
  ratio: RATE_DECIMALS,
  number: HOURS_DECIMALS,
  int: 0,
  text: RATE_DECIMALS,
  bool: 0,
};

/** A text cell that starts with = + - @ would run as a formula when opened: quote it. */
const defuse = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);

/** A cell as written to CSV and XLSX alike: booleans in words, numbers rounded for their column. */
export function cellValue(c: Cell, kind: Column['kind']): string | number | null {
  if (c === null) return null;
  if (typeof c === 'boolean') return c ? '是' : '否';
  return typeof c === 'string' ? defuse(c) : roundTo(c, DECIMALS[kind]);
}

export function filterLines(f: StatsFilters, generatedAt: string): string[][] {
  return [
    ['区域', f.region.name + (f.region.code ? `（${f.region.code}）` : '')],
    ['时间', f.period.label],
    ['生成时间', generatedAt],
    [
      '说明',
      '知晓率、支持率、满意度以受访者为单位（n = 受访人数，每人一份答卷），默认来自问卷；答题知晓单列（n = 答题人次），不与问卷混合。95% 区间为 Wilson 区间（按有效样本量，计入同一人多题回答的相关性）；加权率按社区常住人口事后分层，受访不足 2 人的社区并入街道。样本量小于 30 标为“样本不足”。',
    ],
  ];
}

function writeTable(ws: ExcelJS.Worksheet, t: Table): void {
  ws.addRow([]);
  ws.addRow([t.title]).font = { bold: true, size: 12 };
  const header = ws.addRow(t.columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  header.eachCell((cell) => (cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF3E5E5' } }));
  for (const row of t.rows) {
    const r = ws.addRow(row.map((c, i) => cellValue(c, t.columns[i]?.kind ?? 'text')));
    t.columns.forEach((c, i) => {
      const fmt = FORMATS[c.kind];
      if (fmt) r.getCell(i + 1).numFmt = fmt;
    });
  }
}

/** The Excel report: filters at the top of every sheet, then its tables; numbers stay exact. */
export async function reportXlsx(r: StatsReport): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'wenming';
  wb.title = `文明城市创建统计报表 ${r.filters.region.name} ${r.filters.period.label}`;
  for (const sheet of reportSheets(r)) {
    const ws = wb.addWorksheet(sheet.name);
    ws.addRow([`${sheet.name} · 文明城市创建统计报表`]).font = { bold: true, size: 14 };
    for (const line of filterLines(r.filters, r.generatedAt)) ws.addRow(line).getCell(1).font = { bold: true };
    for (const t of sheet.tables) writeTable(ws, t);
    const widest = Math.max(...sheet.tables.map((t) => t.columns.length));
    for (let i = 1; i <= widest; i++) ws.getColumn(i).width = i <= 3 ? 18 : 13;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One table as CSV (UTF-8 with BOM, so Excel keeps the Chinese): a header row, then the rows; rates as 0–1 decimals. */
export function tableCsv(t: Table): Buffer {
  const lines = [t.columns.map((c) => csvCell(c.kind === 'percent' ? `${c.header}(0-1)` : c.header)).join(',')];
  for (const row of t.rows) lines.push(row.map((c, i) => csvCell(cellValue(c, t.columns[i]?.kind ?? 'text'))).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}
