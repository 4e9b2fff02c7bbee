import crypto from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { loadExcel } from '../../core/lazy';
import { AppError } from '../../core/errors';
import { indicatorProblem, writeQuestions } from './quiz.bank';
import { quizQuestionSchema, type QuizQuestion } from './quiz.schema';

/**
 * Question banks as tables (CSV or XLSX), one question a row under a header row. The export writes
 * the same columns, so an exported bank can be edited in Excel and imported back. An import checks
 * every row first and writes nothing when any row is bad: the report names row, column and problem.
 */
export const MAX_ROWS = 2000;
export const OPTION_KEYS = 'ABCDEFGH'.split('');

/** Field → header names accepted (the first is what the export writes). */
export const COLUMNS = {
  id: ['编号', 'id', '题号'],
  type: ['题型', 'type'],
  text: ['题目', '题干', 'text', 'question'],
  answer: ['答案', '正确答案', 'answer'],
  explanation: ['解析', '答案解析', 'explanation'],
  topic: ['主题', '分类', 'topic'],
  indicator: ['指标', 'indicator'],
} as const;
type Field = keyof typeof COLUMNS;
const REQUIRED: Field[] = ['type', 'text', 'answer'];

export const TYPE_NAMES = { single: '单选', multiple: '多选', judge: '判断' } as const;
const TYPE_WORDS: Record<string, QuizQuestion['type']> = {
  单选: 'single',
  单选题: 'single',
  single: 'single',
  多选: 'multiple',
  多选题: 'multiple',
  multiple: 'multiple',
  判断: 'judge',
  判断题: 'judge',
  judge: 'judge',
};

export interface RowError {
  row: number;
  column: string;
  /** "第 3 行 答案", for clients that read `path` like every validation error */
  path: string;
  message: string;
}

export interface Table {
  /** cell texts per row; index 0 is the header row */
  rows: string[][];
}

// ---- reading files ----

function decodeText(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    // Excel on Chinese Windows saves "CSV" in GBK.
    return new TextDecoder('gb18030').decode(buf);
  }
}

export async function readTable(buf: Buffer): Promise<Table> {
  if (!buf.length) throw new AppError('VALIDATION_FAILED', '文件是空的', [{ path: 'file', message: '文件是空的' }]);
  if (buf.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new AppError('VALIDATION_FAILED', '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入', [
      { path: 'file', message: '请另存为 .xlsx 或 CSV' },
    ]);
  }
  if (buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return readXlsx(buf);
  if (buf.subarray(0, 1024).includes(0))
    throw new AppError('VALIDATION_FAILED', '无法识别的文件，请上传 CSV 或 XLSX', [{ path: 'file', message: '请上传 CSV 或 XLSX' }]);
  const rows = parseCsv(decodeText(buf), { relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
  return { rows };
}

async function readXlsx(buf: Buffer): Promise<Table> {
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'XLSX 文件无法读取，请确认文件未损坏', [{ path: 'file', message: 'XLSX 文件无法读取' }]);
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [] };
  const rows: string[][] = [];
  for (let r = 1; r <= Math.min(ws.rowCount, MAX_ROWS + 2); r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(row.getCell(c).text ?? '');
    rows.push(cells);
  }
  return { rows };
}

// ---- checking rows ----

interface Header {
  fields: Partial<Record<Field, number>>;
  options: Array<{ key: string; index: number }>;
  names: string[];
}

function readHeader(cells: string[]): { header: Header; errors: RowError[] } {
  const header: Header = { fields: {}, options: [], names: cells.map((c) => c.trim()) };
  header.names.forEach((name, i) => {
    const lower = name.toLowerCase();
    const field = (Object.keys(COLUMNS) as Field[]).find((f) => (COLUMNS[f] as readonly string[]).some((n) => n.toLowerCase() === lower));
    if (field) header.fields[field] ??= i;
    const opt = /^(?:选项|option\s*)?([a-h])$/i.exec(name);
    if (opt) header.options.push({ key: opt[1]!.toUpperCase(), index: i });
  });
  const errors = REQUIRED.filter((f) => header.fields[f] === undefined).map((f) => err(1, COLUMNS[f][0], '缺少这一列（表头）'));
  return { header, errors };
}

const err = (row: number, column: string, message: string): RowError => ({ row, column, path: `第 ${row} 行 ${column}`, message });

function answerKeys(type: QuizQuestion['type'], raw: string): string[] {
  const s = raw.trim().toUpperCase();
  if (type === 'judge') {
    if (/^(对|正确|是|√|✓|T|TRUE|A)$/.test(s)) return ['A'];
    if (/^(错|错误|否|×|✗|F|FALSE|B)$/.test(s)) return ['B'];
  }
  return [
    ...new Set(
      s
        .replace(/[\s,，、;；]+/g, '')
        .split('')
        .filter(Boolean),
    ),
  ].sort();
}

/** Which column a schema issue belongs to. */
function columnOf(path: PropertyKey[], header: Header, optionColumns: number[]): string {
  const field = String(path[0] ?? 'text');
  if (field === 'options') {
    const column = typeof path[1] === 'number' ? optionColumns[path[1]] : undefined;
    return column !== undefined ? header.names[column]! : '选项';
  }
  return field in COLUMNS ? COLUMNS[field as Field][0] : field;
}

/** Trimmed, without the quote the CSV export puts before a leading = + - @ (formula defusing). */
const clean = (v: string | undefined) => (v ?? '').trim().replace(/^'(?=[=+\-@])/, '');

function rowToQuestion(raw: string[], rowNumber: number, header: Header): { question?: QuizQuestion; errors: RowError[] } {
  const cells = raw.map(clean);
  const cell = (f: Field) => (header.fields[f] !== undefined ? (cells[header.fields[f]!] ?? '').trim() : '');
  const errors: RowError[] = [];
  const type = TYPE_WORDS[cell('type').toLowerCase()];
  if (!type) errors.push(err(rowNumber, '题型', cell('type') ? `题型“${cell('type')}”无效，应为 单选、多选 或 判断` : '请填写题型'));
  const text = cell('text');
  const filled = header.options.filter((o) => (cells[o.index] ?? '').trim());
  const options = filled.map((o) => ({ key: o.key, text: cells[o.index]!.trim() }));
  if (!cell('answer')) errors.push(err(rowNumber, '答案', '请填写答案'));
  if (errors.length || !type) return { errors };
  const input = {
    id: cell('id') || `imp-${crypto.createHash('sha1').update(text).digest('hex').slice(0, 10)}`,
    type,
    text,
    ...(options.length ? { options } : {}),
    answer: answerKeys(type, cell('answer')),
    ...(cell('explanation') ? { explanation: cell('explanation') } : {}),
    ...(cell('topic') ? { topic: cell('topic') } : {}),
    ...(cell('indicator') ? { indicator: cell('indicator') } : {}),
  };
  const parsed = quizQuestionSchema.safeParse(input);
  if (!parsed.success)
    return {
      errors: parsed.error.issues.map((i) =>
        err(
          rowNumber,
          columnOf(
            i.path,
            header,
            filled.map((o) => o.index),
          ),
          i.message,
        ),
      ),
    };
  const problem = indicatorProblem(parsed.data.indicator);
  if (problem) return { errors: [err(rowNumber, '指标', problem)] };
  return { question: parsed.data, errors: [] };
}

/** Every row checked; questions only when no row is bad. Row numbers are the sheet's (header = 1). */
export function checkTable(table: Table): { questions: QuizQuestion[]; errors: RowError[] } {
  const [head, ...body] = table.rows;
  if (!head) return { questions: [], errors: [err(1, '表头', '文件中没有表头和题目')] };
  const { header, errors } = readHeader(head);
  if (errors.length) return { questions: [], errors };
  const rows = body.map((cells, i) => ({ cells, row: i + 2 })).filter((r) => r.cells.some((c) => c.trim()));
  if (!rows.length) return { questions: [], errors: [err(2, '题目', '文件中没有题目')] };
  if (rows.length > MAX_ROWS) return { questions: [], errors: [err(MAX_ROWS + 2, '题目', `一次最多导入 ${MAX_ROWS} 道题`)] };
  const questions: QuizQuestion[] = [];
  const all: RowError[] = [];
  const seen = new Map<string, number>();
  for (const { cells, row } of rows) {
    const r = rowToQuestion(cells, row, header);
    all.push(...r.errors);
    if (!r.question) continue;
    const first = seen.get(r.question.id);
    if (first) all.push(err(row, header.fields.id !== undefined ? '编号' : '题目', `与第 ${first} 行的题目编号重复`));
    else seen.set(r.question.id, row);
    questions.push(r.question);
  }
  return { questions, errors: all };
}

/** Imports a bank file into a quiz: all rows or none. */
export async function importQuestions(
  quizId: string,
  file: Buffer,
  mode: 'merge' | 'replace',
): Promise<{ total: number; created: number; updated: number; retired: number }> {
  const { questions, errors } = checkTable(await readTable(file));
  if (errors.length) {
    const shown = errors
      .slice(0, 3)
      .map((e) => `第 ${e.row} 行「${e.column}」：${e.message}`)
      .join('；');
    throw new AppError(
      'VALIDATION_FAILED',
      `导入失败，共 ${errors.length} 处错误，未导入任何题目。${shown}${errors.length > 3 ? '……' : ''}`,
      errors,
    );
  }
  const written = await writeQuestions(quizId, questions, { retireOthers: mode === 'replace' });
  return { total: questions.length, ...written };
}
