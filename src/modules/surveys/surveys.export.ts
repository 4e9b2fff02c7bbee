import type ExcelJS from 'exceljs';
import { loadExcel } from '../../core/lazy';
import { regionLabel } from '../regions/regions.service';
import { getResident } from '../residents/residents.service';
import { SurveyResponse, type ResponseDoc } from './surveys.model';
import { maskedAnswers } from './surveys.moderation';
import { answerText } from './surveys.respond';
import { surveyResults } from './surveys.results';
import { getSurvey } from './surveys.service';
import { isoLocal } from '../../core/time';

const header = (row: ExcelJS.Row) => {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
};

/** Named surveys show who answered (resident id and nickname, never contact data). */
async function nicknames(rows: ResponseDoc[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.residentId).filter((x): x is string => Boolean(x)))];
  const found = await Promise.all(
    ids.map((id) =>
      getResident(id).then(
        (r) => [id, r.nickname] as const,
        () => [id, ''] as const,
      ),
    ),
  );
  return new Map(found);
}

/**
 * The responses of a survey as an XLSX workbook: 答卷 (one row per response), 统计 (per-question
 * counts), 题目 (the questions). An export is an office read of one survey; it reads that survey's
 * responses once. Anonymous surveys export no identity and no time finer than the day, in an order
 * (day, random id) that says nothing about who answered when.
 */
export async function exportResponses(surveyId: string): Promise<{ buffer: Buffer; filename: string; rows: number }> {
  const s = await getSurvey(surveyId, { drafts: true });
  // Held (flagged interviews awaiting review) and rejected responses count nowhere, exports included.
  const rows = (await SurveyResponse.find({ surveyId }).lean<ResponseDoc[]>()).filter((r) => !r.hold);
  rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a._id < b._id ? -1 : 1));
  const names = s.anonymous ? new Map<string, string>() : await nicknames(rows);
  const masks = await maskedAnswers(surveyId); // 内容安全: held or rejected text answers

  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'wenming';
  const sheet = wb.addWorksheet('答卷');
  const identity = s.anonymous
    ? []
    : [
        { header: '居民编号', width: 26 },
        { header: '昵称', width: 14 },
        { header: '提交时间', width: 26 },
      ];
  sheet.columns = [
    { header: '序号', width: 6 },
    { header: '日期', width: 12 },
    ...identity,
    { header: '计入社区', width: 28 },
    ...s.questions.map((q, i) => ({ header: `${i + 1}. ${q.text}`, width: 24 })),
  ];
  header(sheet.getRow(1));
  rows.forEach((r, i) => {
    const byQ = new Map(r.answers.map((a) => [a.q, a.v]));
    const who = s.anonymous ? [] : [r.residentId ?? '', names.get(r.residentId ?? '') ?? '', r.at ? isoLocal(r.at) : ''];
    sheet.addRow([
      i + 1,
      r.day,
      ...who,
      r.regionCode ? regionLabel(r.regionCode) : '未选择',
      ...s.questions.map((q) => masks.get(`${r._id}:${q.id}`) ?? answerText(q, byQ.get(q.id))),
    ]);
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];

  const results = await surveyResults(surveyId);
  const stats = wb.addWorksheet('统计');
  stats.columns = [
    { header: '题目', width: 40 },
    { header: '选项', width: 28 },
    { header: '人数', width: 8 },
    { header: '占比(%)', width: 10 },
  ];
  header(stats.getRow(1));
  results.questions.forEach((q, i) => {
    stats.addRow([`${i + 1}. ${q.text}（作答 ${q.answered} 人）`, '', q.answered, '']);
    for (const o of q.options ?? []) stats.addRow(['', `${o.key}. ${o.text}`, o.count, o.percent]);
    for (const v of q.values ?? []) stats.addRow(['', v.label, v.count, v.percent]);
    if (q.positive) stats.addRow(['', '指标正向（知晓/支持/满意）', q.positive.count, q.positive.percent]);
  });

  const questions = wb.addWorksheet('题目');
  questions.columns = [
    { header: '序号', width: 6 },
    { header: '编号', width: 14 },
    { header: '题型', width: 10 },
    { header: '题目', width: 50 },
    { header: '必答', width: 6 },
    { header: '指标', width: 16 },
    { header: '选项', width: 60 },
  ];
  header(questions.getRow(1));
  s.questions.forEach((q, i) =>
    questions.addRow([
      i + 1,
      q.id,
      q.type,
      q.text,
      q.required ? '是' : '否',
      q.indicator ?? '',
      (q.options ?? []).map((o) => `${o.key}. ${o.text}`).join('  '),
    ]),
  );

  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, filename: `${s._id}-responses.xlsx`, rows: rows.length };
}
