import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { formatPercent, roundRate } from '../../src/core/format';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../harness/app';
import { COMMUNITIES, staffSession } from '../factories';
import type { StaffPrincipal } from '../../src/core/auth';
import { setConfig } from '../../src/config';
import { setClock } from '../../src/core/time';
import { briefJobs } from '../../src/modules/briefs/briefs.jobs';
import type { BriefView, RateFigure } from '../../src/modules/briefs/briefs.schema';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { RoomMessage } from '../../src/modules/rooms/rooms.model';
import { createResident } from '../../src/modules/residents/residents.service';
import { recordParticipation, recordResponse } from '../../src/modules/counters/counters.recorder';
import { submitTipoff } from '../../src/modules/tipoffs/tipoffs.service';
import { transitionTipoff } from '../../src/modules/tipoffs/tipoffs.transitions';

let app: TestApp;
let brief: BriefView;
let office: string;

// The brief of Monday 2026-11-16 covers 2026-W46 (11-09 … 11-15), compared with W45 (11-02 … 11-08).
const RUN_AT = new Date('2026-11-16T09:00:00+08:00');
const day = (d: string, h = 10) => new Date(`${d}T${String(h).padStart(2, '0')}:00:00+08:00`);
const staff: StaffPrincipal = { kind: 'staff', staffId: 'office-b', username: 'office-b', role: 'office' };

/** Residents of the four communities answering and taking part in both weeks (a deterministic mix). */
async function seed(): Promise<void> {
  let seq = 0;
  for (const [week, days] of [
    ['W45', ['2026-11-03', '2026-11-05']],
    ['W46', ['2026-11-10', '2026-11-12', '2026-11-14']],
  ] as const) {
    for (let i = 0; i < 24; i++) {
      const community = COMMUNITIES[i % COMMUNITIES.length]!;
      const r = await createResident({ regionCode: community });
      const ref = { id: r._id, regionCode: community };
      const at = day(days[i % days.length]!);
      await recordParticipation(ref, i % 3 ? 'quiz' : 'survey', at, `brief-${week}-${++seq}`);
      await recordResponse({
        source: 'survey',
        instrumentId: 'brief',
        responseId: `brief-${seq}`,
        regionCode: community,
        at,
        answers: [
          { questionId: 'q1', indicator: 'aw-garbage', value: (i + (week === 'W46' ? 1 : 0)) % 4 !== 0 },
          { questionId: 'q2', indicator: 'aw-traffic', value: i % 2 === 0 },
          { questionId: 'q3', indicator: 'sa-overall', value: { positive: i % 5 !== 0, score: 60 + (i % 5) * 10 } },
          { questionId: 'q4', indicator: 'sp-campaign', value: i % 7 !== 0 },
        ],
      });
    }
  }
  // tip-offs reported in W46: one rectified in time (hwc), one overdue (cgj)
  for (const [category, rectify] of [
    ['overflowing-bins', true],
    ['street-vending', false],
  ] as const) {
    setClock(() => day('2026-11-10', 9));
    const t = await submitTipoff(
      { kind: 'open311', client: 'test' },
      { categoryCode: category, description: '周报测试问题', lat: 29.87, lng: 121.55, anonymous: false },
    );
    await transitionTipoff(t._id, staff, { action: 'accept' });
    if (rectify) {
      setClock(() => day('2026-11-10', 15));
      const { storePhoto } = await import('../../src/modules/media/media.service');
      const photo = await storePhoto(
        await sharp({ create: { width: 320, height: 240, channels: 3, background: '#777' } })
          .jpeg()
          .toBuffer(),
        { kind: 'staff', id: staff.staffId },
      );
      await transitionTipoff(t._id, staff, { action: 'rectify', photos: [photo._id] });
    }
  }
  setClock(undefined);
  await app.flush();
}

beforeAll(async () => {
  app = await startTestApp();
  await seed();
  setConfig({ BRIEF_ROOM_TOPIC: '创城办工作群' });
  // The job and the endpoints it is compared with read "now" (e.g. what is overdue) at the same instant.
  setClock(() => RUN_AT);
  const run = await createJobRunner({ jobs: briefJobs, instanceId: 't' }).runOccurrence('briefs.weekly', RUN_AT);
  if (run?.status !== 'ok') throw new Error(`brief failed: ${run?.error}`);
  office = (await staffSession(app, 'office')).token;
  brief = (await app.get('/api/v1/admin/briefs', { token: office })).body.items[0];
}, 120_000);
afterAll(async () => {
  setClock(undefined);
  setConfig({ BRIEF_ROOM_TOPIC: undefined });
  await app.close();
});

const rate = (k: string) => brief.figures.rates.find((r) => r.key === k)!;

describe('weekly brief (briefs.weekly)', () => {
  it('covers the last whole week and compares it with the week before', () => {
    expect(brief).toMatchObject({ id: '2026-W46', from: '2026-11-09', to: '2026-11-15', sentTo: '创城办工作群' });
    expect(brief.figures).toMatchObject({ previousFrom: '2026-11-02', previousTo: '2026-11-08' });
    expect(brief.figures.participation).toMatchObject({ participants: 24, previousParticipants: 24 });
    const aw = rate('awareness');
    expect(aw.current.n).toBeGreaterThan(0);
    expect(aw.change).toBeCloseTo(aw.current.rate! - aw.previous.rate!, 10);
    expect(brief.text).toMatch(/【文明城市创建工作周报】2026年第46周（11月9日—11月15日）/);
    expect(brief.text).toMatch(
      /知晓率（问卷） \d+\.\d%（\d+\.\d%–\d+\.\d%，受访 \d+ 人(，样本不足)?）.*较上周[↑↓]\d+\.\d 个百分点|与上周持平/,
    );
  });

  it('has exactly the numbers of the statistics endpoints, this week and last', async () => {
    const stats = async (topic: string, date: string) => {
      const res = await app.get(`/api/v1/stats/${topic}?period=week&date=${date}`, { token: office });
      expect(res.status).toBe(200);
      return res.body;
    };
    const plain = (r: RateFigure) => ({ rate: r.rate, ci: r.ci, n: r.n, lowSample: r.lowSample });
    for (const [date, which] of [
      ['2026-11-09', 'current'],
      ['2026-11-02', 'previous'],
    ] as const) {
      const [awareness, support, satisfaction, participation, tipoffs] = await Promise.all(
        ['awareness', 'support', 'satisfaction', 'participation', 'tipoffs'].map((t) => stats(t, date)),
      );
      expect(rate('awareness')[which]).toEqual(plain(awareness.overall.weighted));
      expect(rate('support')[which]).toEqual(plain(support.overall.weighted));
      expect(rate('satisfaction')[which]).toEqual(plain(satisfaction.overall.weighted));
      expect(rate('satisfaction')[which === 'current' ? 'meanScore' : 'previousMeanScore']).toBe(satisfaction.overall.meanScore);
      expect(rate('participation')[which]).toEqual(plain(participation.rate));
      expect(rate('rectification')[which]).toEqual(plain(tipoffs.rectificationRate));
      expect(rate('onTime')[which]).toEqual(plain(tipoffs.onTimeRate));
      if (which === 'current') {
        expect(brief.figures.participation.participants).toBe(participation.participants);
        expect(brief.figures.tipoffs).toMatchObject({
          total: tipoffs.total,
          accepted: tipoffs.accepted,
          rectified: tipoffs.rectified,
          overdue: tipoffs.overdue,
        });
        expect(brief.figures.districts.map((d) => [d.code, d.participation])).toEqual(
          participation.byRegion.map((r: { code: string; rate: RateFigure }) => [r.code, plain(r.rate)]),
        );
        expect(brief.figures.districts.map((d) => d.awareness)).toEqual(
          awareness.byRegion.map((r: { weighted: RateFigure }) => plain(r.weighted)),
        );
        expect(
          brief.figures.units.map((u) => [
            u.rank,
            u.code,
            u.accepted,
            u.rectified,
            u.overdue,
            u.rectificationRate,
            u.onTimeRate,
            u.medianHoursToRectify,
          ]),
        ).toEqual(
          tipoffs.byUnit.map(
            (u: {
              rank: number | null;
              code: string;
              accepted: number;
              rectified: number;
              overdue: number;
              rectificationRate: RateFigure;
              onTimeRate: RateFigure;
              medianHoursToRectify: number | null;
            }) => [
              u.rank,
              u.code,
              u.accepted,
              u.rectified,
              u.overdue,
              plain(u.rectificationRate),
              plain(u.onTimeRate),
              u.medianHoursToRectify,
            ],
          ),
        );
        expect(brief.figures.tipoffs.previousTotal).toBeGreaterThanOrEqual(0);
      } else {
        expect(brief.figures.participation.previousParticipants).toBe(participation.participants);
        expect(brief.figures.tipoffs.previousTotal).toBe(tipoffs.total);
      }
    }
    const [volunteers, before] = [await stats('volunteers', '2026-11-09'), await stats('volunteers', '2026-11-02')];
    expect(rate('volunteers').current).toEqual(plain(volunteers.rate));
    expect(rate('volunteers').previous).toEqual(plain(before.rate)); // as of each week's last day
    expect(rate('volunteers').change).toBe(
      volunteers.rate.rate === null || before.rate.rate === null ? null : volunteers.rate.rate - before.rate.rate,
    );
  });

  it('ranks no unit on one accepted tip-off: both are listed as 样本不足, hwc (on time) first', () => {
    expect(brief.figures.units.filter((u) => u.rank !== null)).toEqual([]);
    expect(brief.figures.units.slice(0, 2)).toMatchObject([
      { code: 'hwc', rank: null, lowSample: true, accepted: 1, rectified: 1 },
      { code: 'cgj', rank: null, lowSample: true, accepted: 1, rectified: 0 },
    ]);
    expect(brief.text).toContain('本周暂无受理满 10 件的单位，不排名。');
    expect(brief.text).toMatch(/样本不足（受理不足 10 件，不排名）：市环境卫生管理处（1 件）、\S+（1 件）/);
  });

  it('writes small rates with enough digits and no rate as 0.0%', () => {
    const participation = rate('participation').current.rate!;
    expect(participation).toBeGreaterThan(0);
    expect(participation).toBeLessThan(0.01); // 24 residents of a city
    expect(brief.text).toContain(`参与率 ${formatPercent(participation)}（`);
    expect(formatPercent(participation)).toMatch(/^0\.0*[1-9]\d?%$/);
    expect(brief.text).not.toMatch(/(^|[^\d.])0\.0%/);
  });

  it('keeps an xlsx with the chart and a PNG chart for download by the office', async () => {
    const xlsx = await fetch(app.baseUrl + brief.xlsxUrl, { headers: { authorization: `Bearer ${office}` } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(encodeURIComponent('文明城市创建工作周报-2026-W46.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['关键指标', '各区情况', '单位排名', '说明']);
    expect(wb.getWorksheet('关键指标')!.getImages()).toHaveLength(1);
    const row = wb.getWorksheet('关键指标')!.getRows(5, 1)![0]!;
    expect(row.getCell(1).value).toBe('知晓率（问卷）');
    expect(row.getCell(2).value).toBe(roundRate(rate('awareness').current.rate));
    const noisy: string[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((r) =>
        r.eachCell(
          (c) =>
            void (
              typeof c.value === 'number' &&
              !/^-?\d+(\.\d{1,4})?$/.test(String(c.value)) &&
              noisy.push(`${ws.name}!${c.address}=${c.value}`)
            ),
        ),
      ),
    );
    expect(noisy).toEqual([]);
    const units = wb.getWorksheet('单位排名')!;
    expect(units.getRow(2).values).toEqual(expect.arrayContaining(['—', '样本不足（受理不足 10 件）']));

    const png = await fetch(app.baseUrl + brief.chartUrl, { headers: { authorization: `Bearer ${office}` } });
    expect(png.headers.get('content-type')).toBe('image/png');
    const meta = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 900, height: 620 });

    const unit = await staffSession(app, 'unit', 'hwc');
    expect((await app.get(brief.xlsxUrl, { token: unit.token })).status).toBe(403);
    expect((await app.get('/api/v1/admin/briefs/2026-W01.xlsx', { token: office })).status).toBe(404);
  });

  it('queues text, chart and workbook for the office room once, and tells the office inbox', async () => {
    const msg = await RoomMessage.findById('topic:创城办工作群:brief:2026-W46').lean();
    expect(msg!.parts.map((p) => p.kind)).toEqual(['text', 'file', 'file']);
    expect(msg!.parts[0]!.text).toBe(brief.text);
    for (const p of msg!.parts.slice(1)) expect(fs.existsSync(`${process.env.DATA_DIR}/${p.path}`)).toBe(true);
    const again = await createJobRunner({ jobs: briefJobs, instanceId: 't2' }).runOccurrence(
      'briefs.weekly',
      new Date(RUN_AT.getTime() + 3600_000),
    );
    expect(again!.counts).toMatchObject({ queuedToRoom: 0 });
    const inbox = await app.get('/api/v1/staff/notices', { token: office });
    expect(inbox.body.items.filter((n: { kind: string }) => n.kind === 'brief')).toHaveLength(1);
  });
});
