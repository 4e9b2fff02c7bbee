import type ExcelJS from 'exceljs';
import { PERCENT_NUMFMT, roundHours, roundRate, roundScore, roundTo } from '../../core/format';
import { loadExcel } from '../../core/lazy';
import type { BriefFigures, RateFigure } from './briefs.schema';
import { changeText } from './briefs.text';

const PCT = PERCENT_NUMFMT;
const bold = (row: ExcelJS.Row) => {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
};
/** Rate, interval (rounded to 4 decimals) and n as numbers (Excel formats them as percentages). */
const rateCells = (r: RateFigure) => [roundRate(r.rate), roundRate(r.ci?.[0]), roundRate(r.ci?.[1]), r.n, r.lowSample ? '样本不足' : ''];

/**
 * The brief as a workbook the office keeps and forwards: 关键指标 (with the chart), 各区情况,
 * 单位排名 and 说明. Numbers stay numbers (percent-formatted), so the office can compute with them.
 */
export async function briefWorkbook(f: BriefFigures, chartPng: Buffer, text: string): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'wenming';
  wb.created = new Date();

  const key = wb.addWorksheet('关键指标');
  key.addRow([`文明城市创建工作周报 ${f.label}`]).font = { bold: true, size: 14 };
  key.addRow([`本周 ${f.from} 至 ${f.to}；上周 ${f.previousFrom} 至 ${f.previousTo}；全市`]);
  key.addRow([]);
  const head = key.addRow([
    '指标',
    '本周',
    '95%区间下限',
    '95%区间上限',
    '样本量',
    '说明',
    '上周',
    '上周样本量',
    '变化（百分点）',
    '较上周',
  ]);
  bold(head);
  for (const k of f.rates) {
    const row = key.addRow([
      k.title,
      ...rateCells(k.current),
      roundRate(k.previous.rate),
      k.previous.n,
      k.change === null ? null : roundTo(k.change * 100, 1),
      changeText(k),
    ]);
    for (const c of [2, 3, 4, 7]) row.getCell(c).numFmt = PCT;
  }
  const sat = f.rates.find((k) => k.key === 'satisfaction');
  key.addRow(['满意度平均分（0–100）', roundScore(sat?.meanScore), null, null, null, '', roundScore(sat?.previousMeanScore)]);
  key.addRow([
    '参与人数',
    f.participation.participants,
    null,
    null,
    null,
    `常住人口 ${f.participation.population}`,
    f.participation.previousParticipants,
  ]);
  key.addRow([
    '随手拍件数',
    f.tipoffs.total,
    null,
    null,
    null,
    `受理 ${f.tipoffs.accepted}，已整改 ${f.tipoffs.rectified}，逾期 ${f.tipoffs.overdue}`,
    f.tipoffs.previousTotal,
  ]);
  key.columns.forEach((c, i) => (c.width = i === 0 ? 22 : i === 5 || i === 9 ? 20 : 12));
  const image = wb.addImage({ buffer: chartPng as unknown as ExcelJS.Buffer, extension: 'png' });
  key.addImage(image, { tl: { col: 0, row: key.rowCount + 1 }, ext: { width: 900, height: 620 } });

  const districts = wb.addWorksheet('各区情况');
  bold(districts.addRow(['区', '参与率', '下限', '上限', '样本量（人口）', '说明', '知晓率', '下限', '上限', '样本量', '说明']));
  for (const d of f.districts) {
    const row = districts.addRow([d.name, ...rateCells(d.participation), ...rateCells(d.awareness)]);
    for (const c of [2, 3, 4, 7, 8, 9]) row.getCell(c).numFmt = PCT;
  }
  districts.columns.forEach((c, i) => (c.width = i === 0 ? 16 : 12));

  const units = wb.addWorksheet('单位排名');
  bold(
    units.addRow([
      '排名',
      '责任单位',
      '受理件数',
      '已整改',
      '逾期',
      '整改率',
      '按时整改率',
      '整改用时中位数（小时）',
      '按时整改率（占受理）',
      '95%区间下限（排名依据）',
      '说明',
    ]),
  );
  for (const u of f.units) {
    const ranking = u.rankingRate;
    const row = units.addRow([
      u.rank ?? '—',
      u.name,
      u.accepted,
      u.rectified,
      u.overdue,
      roundRate(u.rectificationRate.rate),
      roundRate(u.onTimeRate.rate),
      roundHours(u.medianHoursToRectify),
      roundRate(ranking?.rate),
      roundRate(ranking?.ci?.[0]),
      u.lowSample ? '样本不足（受理不足 10 件）' : '',
    ]);
    for (const c of [6, 7, 9, 10]) row.getCell(c).numFmt = PCT;
  }
  units.columns.forEach((c, i) => (c.width = i === 1 ? 30 : 12));

  const notes = wb.addWorksheet('说明');
  notes.getColumn(1).width = 100;
  for (const line of [
    '知晓率、满意度、支持率：居民在本周内最新一次作答，按社区常住人口加权（事后分层），95% 置信区间；满意度另附 0–100 平均分。',
    '参与率：本周至少参与一次（答题、问卷、随手拍、志愿报名或签到）的居民人数 ÷ 常住人口，Wilson 95% 区间。',
    '志愿者注册率：截至本周日的注册志愿者 ÷ 常住人口（目标 ≥ 10%），上周为截至上周日。',
    '整改率 = 已整改 ÷ 已受理；按时整改率 = 按时限整改 ÷ 已整改；均按本周上报的随手拍统计。',
    '单位排名：按“按时限整改 ÷ 已受理”的 95% 置信区间（Wilson）下限排序；本周受理不足 10 件的单位标“样本不足”，列在排名之后，不排名。',
    '比率保留 4 位小数，小时保留 1 位小数。',
    '样本量不足 30 的比率标注“样本不足”，仅供参考。数字与工作台统计接口（按自然周查询）一致。',
    '',
    '群消息原文：',
    ...text.split('\n'),
  ])
    notes.addRow([line]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
