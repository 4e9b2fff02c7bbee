import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../config';
import { notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { isoLocal, now } from '../../core/time';
import { notifyStaff } from '../notices/notices.service';
import { queueWecom } from '../notices/wecom';
import { queueRoomMessage, type RoomRef } from '../rooms/rooms.service';
import { renderBriefChart } from './briefs.chart';
import { briefWeek, computeBriefFigures } from './briefs.figures';
import { Brief, type BriefDoc } from './briefs.model';
import type { BriefFigures, BriefView } from './briefs.schema';
import { briefText } from './briefs.text';
import { briefWorkbook } from './briefs.xlsx';

const DIR = 'briefs';
const abs = (rel: string) => path.join(config().dataDir, rel);

/** The office's room from config: by id when given, else by topic; none when neither is set. */
export function officeRoom(): RoomRef | undefined {
  const cfg = config();
  if (cfg.BRIEF_ROOM_ID) return { id: cfg.BRIEF_ROOM_ID };
  if (cfg.BRIEF_ROOM_TOPIC) return { topic: cfg.BRIEF_ROOM_TOPIC };
  return undefined;
}

/**
 * The weekly brief job: the figures of the last whole week (and the week before), a chart PNG, an
 * xlsx with the chart inside, kept under DATA_DIR/briefs/ and in `briefs`; then posted to the office's
 * room by the bot (text, chart, workbook — once per week) and announced in the office's inbox.
 */
export async function generateWeeklyBrief(at: Date): Promise<Record<string, number>> {
  const week = briefWeek(at);
  const figures = await computeBriefFigures(week);
  const text = briefText(figures);
  const { png } = await renderBriefChart(figures);
  const xlsx = await briefWorkbook(figures, png, text);
  fs.mkdirSync(abs(DIR), { recursive: true });
  const chartPath = path.join(DIR, `${figures.week}.png`);
  const xlsxPath = path.join(DIR, `${figures.week}.xlsx`);
  // Written to a temporary name and renamed, so a download never sees half a file.
  for (const [rel, buf] of [
    [chartPath, png],
    [xlsxPath, xlsx],
  ] as const) {
    fs.writeFileSync(abs(rel) + '.tmp', buf);
    fs.renameSync(abs(rel) + '.tmp', abs(rel));
  }
  const room = officeRoom();
  const doc = {
    _id: figures.week,
    label: week.label,
    from: week.from,
    to: week.to,
    generatedAt: now(),
    text,
    figures,
    xlsxPath,
    chartPath,
    sentTo: room ? ('id' in room ? room.id : room.topic) : null,
  };
  await Brief.replaceOne({ _id: doc._id }, doc, { upsert: true });

  let queued = 0;
  if (room) {
    const parts = [
      { kind: 'text' as const, text },
      { kind: 'file' as const, path: chartPath, name: `工作周报图表-${figures.week}.png` },
      { kind: 'file' as const, path: xlsxPath, name: `文明城市创建工作周报-${figures.week}.xlsx` },
    ];
    queued = (await queueRoomMessage(room, 'brief', parts, `brief:${figures.week}`)) ? 1 : 0;
  } else {
    logger.info({ week: figures.week }, 'weekly brief kept without a room (BRIEF_ROOM_ID / BRIEF_ROOM_TOPIC unset)');
  }
  const fresh = await notifyStaff(
    'office',
    { kind: 'brief', title: `工作周报（${figures.week}）已生成`, text: text.split('\n').slice(0, 4).join('\n'), link: '/console/briefs' },
    `brief:${figures.week}`,
  );
  // The office's 企业微信 group (when WECOM_WEBHOOK_URL is set): the text, then the chart; once a week,
  // like the announcement (a brief generated again is not posted again).
  if (fresh)
    await queueWecom(`brief:${figures.week}`, [
      { kind: 'text', text },
      { kind: 'image', path: chartPath },
    ]);
  return { queuedToRoom: queued, units: figures.units.length, districts: figures.districts.length, xlsxBytes: xlsx.length };
}

export function presentBrief(b: BriefDoc): BriefView {
  return {
    id: b._id,
    label: b.label,
    from: b.from,
    to: b.to,
    generatedAt: isoLocal(b.generatedAt),
    sentTo: b.sentTo ?? null,
    xlsxUrl: `/api/v1/admin/briefs/${b._id}.xlsx`,
    chartUrl: `/api/v1/admin/briefs/${b._id}.png`,
    text: b.text,
    figures: b.figures as BriefFigures,
  };
}

/** Every brief, newest first (one a week: a small collection). */
export async function listBriefs(): Promise<BriefView[]> {
  const docs = await Brief.find().sort({ _id: -1 }).lean<BriefDoc[]>();
  return docs.map(presentBrief);
}

export async function briefFile(id: string, kind: 'xlsx' | 'png'): Promise<{ file: string; name: string }> {
  const b = await Brief.findById(id).lean<BriefDoc>();
  const rel = b && (kind === 'xlsx' ? b.xlsxPath : b.chartPath);
  if (!rel || !fs.existsSync(abs(rel))) throw notFound('简报');
  return { file: abs(rel), name: kind === 'xlsx' ? `文明城市创建工作周报-${id}.xlsx` : `工作周报图表-${id}.png` };
}
