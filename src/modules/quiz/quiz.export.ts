import { loadExcel } from '../../core/lazy';
import { optionsOf } from '../questionnaire/questionnaire.service';
import { freshQuiz } from './quiz.bank';
import { COLUMNS, OPTION_KEYS, TYPE_NAMES } from './quiz.import';
import type { QuizQuestion } from './quiz.schema';

/** The bank as the import reads it: same header, one question a row, judge answers as 对/错. */
const HEADER = [
  COLUMNS.id[0],
  COLUMNS.type[0],
  COLUMNS.text[0],
  ...OPTION_KEYS.map((k) => `选项${k}`),
  COLUMNS.answer[0],
  COLUMNS.explanation[0],
  COLUMNS.topic[0],
  COLUMNS.indicator[0],
];

function rowOf(q: QuizQuestion): string[] {
  const judge = q.type === 'judge' && !q.options?.length;
  const options = judge ? [] : optionsOf(q);
  const answer = judge ? (q.answer?.[0] === 'A' ? '对' : '错') : (q.answer ?? []).join('');
  return [
    q.id,
    TYPE_NAMES[q.type as keyof typeof TYPE_NAMES] ?? q.type,
    q.text,
    ...OPTION_KEYS.map((k) => options.find((o) => o.key === k)?.text ?? ''),
    answer,
    q.explanation ?? '',
    q.topic ?? '',
    q.indicator ?? '',
  ];
}

async function bankRows(quizId: string, includeRetired: boolean): Promise<{ title: string; rows: string[][] }> {
  const { quiz, questions } = await freshQuiz(quizId);
  return { title: quiz.title, rows: questions.filter((d) => includeRetired || d.status === 'active').map((d) => rowOf(d.q)) };
}

/** A spreadsheet cell that starts with = + - @ would run as a formula when opened: quote it. */
const defuse = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export async function exportCsv(quizId: string, includeRetired: boolean): Promise<{ filename: string; body: Buffer }> {
  const { rows } = await bankRows(quizId, includeRetired);
  const text = [HEADER, ...rows].map((r) => r.map((v) => csvCell(defuse(v))).join(',')).join('\r\n');
  // The BOM makes Excel open the UTF-8 file with the Chinese intact.
  return { filename: `${quizId}.csv`, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + '\r\n', 'utf8')]) };
}

export async function exportXlsx(quizId: string, includeRetired: boolean): Promise<{ filename: string; body: Buffer }> {
  const { title, rows } = await bankRows(quizId, includeRetired);
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'wenming';
  const ws = wb.addWorksheet('题库');
  ws.addRow(HEADER).font = { bold: true };
  for (const r of rows) ws.addRow(r); // XLSX cells are typed strings, never formulas
  ws.columns.forEach((c, i) => (c.width = [14, 6, 48].at(i) ?? (i < 3 + OPTION_KEYS.length ? 18 : 24)));
  ws.getColumn(3 + OPTION_KEYS.length + 2).width = 48;
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  wb.title = title;
  return { filename: `${quizId}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
