import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { createActivity, volunteerSession, type VolunteerSession } from '../volunteers/factories';
import { CONTENT_QUIZ, takeQuiz } from '../quiz/factories';
import { seedRanking } from './ranking-factory';
import {
  expectSame,
  findNode,
  leavesOf,
  localDay,
  wilsonExp,
  type RegionNodeExp,
  volunteersExp,
  type VolunteerRecordExp,
  type ServiceRecordExp,
} from './expected';
import { roundHours, roundRate } from '../../src/core/format';
import { setClock } from '../../src/core/time';
import { counterWriter } from '../../src/modules/counters/counter-writer';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';
import { Counter } from '../../src/modules/counters/stats.model';
import { statsTables } from '../../src/modules/stats/stats.schema';
import { QuizAnswer } from '../../src/modules/quiz/quiz.model';
import { Tipoff } from '../../src/modules/tipoffs/tipoffs.model';
import { ServiceHours, Volunteer } from '../../src/modules/volunteers/volunteers.model';

/**
 * Figures of a period (?period / ?from&to) made of day counters — volunteers, quiz accuracy — the
 * unit ranking, and the rounding of exports; each against values computed here from the raw records.
 */
let app: TestApp;
let office: string;
let tree: RegionNodeExp[];
const HOUR = 3_600_000;
const T = Date.parse('2026-11-02T08:00:00+08:00'); // a Monday
const clock = (hours: number) => setClock(() => new Date(T + hours * HOUR));
const iso = (hours: number) => new Date(T + hours * HOUR).toISOString();
const LIUAN = { lat: 29.8731, lng: 121.5602 };
const [A, B, C, D] = ['330201001001', '330201001002', '330203002001', '330202002001'];

async function get(path: string) {
  const res = await app.get(path, { token: office });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** One activity in 柳岸社区: sign-up, check-in before it starts and check-out of some volunteers. */
async function serve(start: number, volunteers: VolunteerSession[], leaving: VolunteerSession[]) {
  const a = await createActivity(app, {
    capacity: 5,
    startAt: iso(start + 1),
    endAt: iso(start + 4),
    regionCode: A,
    location: LIUAN,
    title: '文明劝导',
    organizer: '湖滨街道志愿服务队',
  });
  for (const v of volunteers) await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: v.token });
  clock(start + 0.5);
  for (const v of volunteers) await app.post(`/api/v1/activities/${a.id}/checkins`, { code: a.checkinCode, ...LIUAN }, { token: v.token });
  clock(start + 3.25);
  for (const v of leaving) {
    const res = await app.post(`/api/v1/activities/${a.id}/checkouts`, { code: a.checkinCode, ...LIUAN }, { token: v.token });
    if (res.status >= 300) throw new Error(`check-out: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

beforeAll(async () => {
  app = await startTestApp();
  clock(0);
  office = (await staffSession(app, 'office')).token;
  tree = (await app.get('/api/v1/regions')).body;

  // 11-02: three volunteers register, two serve; quiz answers of two residents
  const [a1, a2, b1] = [
    await volunteerSession(app, { regionCode: A }),
    await volunteerSession(app, { regionCode: A }),
    await volunteerSession(app, { regionCode: B }),
  ];
  await serve(1, [a1!, a2!, b1!], [a1!, a2!]);
  for (const [regionCode, correct] of [
    [A, 5],
    [C, 2],
  ] as const)
    await takeQuiz(app, (await residentSession(app, { regionCode })).token, CONTENT_QUIZ, correct);
  // 11-03: two more register; three serve
  clock(24);
  const [c1, c2] = [await volunteerSession(app, { regionCode: C }), await volunteerSession(app, { regionCode: C })];
  await serve(25, [c1!, c2!, b1!], [c1!, c2!, b1!]);
  // 11-04: one of the first day's volunteers withdraws; another registers; more quiz answers
  clock(48);
  expect((await app.request('DELETE', '/api/v1/volunteers/me', undefined, { token: a2!.token })).status).toBeLessThan(300);
  await volunteerSession(app, { regionCode: D });
  for (const [regionCode, correct] of [
    [A, 0],
    [B, 4],
    [C, 10],
  ] as const)
    await takeQuiz(app, (await residentSession(app, { regionCode })).token, CONTENT_QUIZ, correct);
  // 11-05 … 11-08: tip-offs for the unit ranking
  await seedRanking('2026-11-05');
  clock(7 * 24); // 11-09
  await app.flush();
}, 300_000);
afterAll(async () => {
  setClock(undefined);
  await app.close();
});

const scopeLeaves = (code?: string) => leavesOf(code ? findNode(tree, code)! : tree[0]!);

describe('volunteer figures of a period', () => {
  async function expected(region: string | undefined, from: string, to: string) {
    const vols = await Volunteer.find().lean<VolunteerRecordExp[]>();
    const hours = await ServiceHours.find().lean<ServiceRecordExp[]>();
    return volunteersExp(tree, region, from, to, vols, hours);
  }

  it.each([
    ['period=day&date=2026-11-02', undefined, '2026-11-02', '2026-11-02'],
    ['period=day&date=2026-11-03', undefined, '2026-11-03', '2026-11-03'],
    ['from=2026-11-03&to=2026-11-04', undefined, '2026-11-03', '2026-11-04'],
    ['period=week&date=2026-11-02', undefined, '2026-11-02', '2026-11-08'],
    ['period=month&date=2026-11-02&region=330201', '330201', '2026-11-01', '2026-11-30'],
    ['from=2026-10-01&to=2026-10-31', undefined, '2026-10-01', '2026-10-31'],
  ])('counts registrations, hours and services of the days in ?%s, volunteers as of its end', async (query, region, from, to) => {
    const { filters, ...body } = await get(`/api/v1/stats/volunteers?${query}`);
    expect([filters.period.from, filters.period.to]).toEqual([from, to]);
    expectSame(body, await expected(region, from, to));
  });

  it('tells one day from another and takes a withdrawal back from the day it was registered', async () => {
    const day = async (d: string) => get(`/api/v1/stats/volunteers?period=day&date=${d}`);
    const [d2, d3, d4] = [await day('2026-11-02'), await day('2026-11-03'), await day('2026-11-04')];
    expect([d2.registrations, d2.volunteers, d2.services]).toEqual([2, 2, 2]); // 3 registered, 1 withdrew since
    expect([d3.registrations, d3.volunteers, d3.services]).toEqual([2, 4, 3]);
    expect([d4.registrations, d4.volunteers, d4.services, d4.hours]).toEqual([1, 5, 0, 0]);
    expect(d2.hours).toBeCloseTo((2 * (3 * 60 + 15 - 60)) / 60, 9); // check-in 30 min early, hours start with the activity
  });
});

describe('quiz accuracy of a period', () => {
  async function expected(region: string | undefined, from: string, to: string) {
    const codes = new Set(scopeLeaves(region).map((c) => c.code));
    const answers = (
      await QuizAnswer.find().lean<
        Array<{ quizId: string; questionId: string; regionCode: string | null; correct: boolean; day: string }>
      >()
    ).filter((a) => a.quizId === CONTENT_QUIZ && a.day >= from && a.day <= to && (a.regionCode ? codes.has(a.regionCode) : !region));
    const byQuestion = new Map<string, { n: number; k: number }>();
    for (const a of answers) {
      const t = byQuestion.get(a.questionId) ?? { n: 0, k: 0 };
      byQuestion.set(a.questionId, { n: t.n + 1, k: t.k + (a.correct ? 1 : 0) });
    }
    const k = answers.filter((a) => a.correct).length;
    return { overall: { ...wilsonExp(k, answers.length), correct: k }, byQuestion };
  }

  it.each([
    ['period=day&date=2026-11-02', undefined, '2026-11-02', '2026-11-02'],
    ['period=day&date=2026-11-04', undefined, '2026-11-04', '2026-11-04'],
    ['from=2026-11-03&to=2026-11-04&region=330203', '330203', '2026-11-03', '2026-11-04'],
    ['period=month&date=2026-11-20', undefined, '2026-11-01', '2026-11-30'],
    ['from=2026-10-20&to=2026-12-02', undefined, '2026-10-20', '2026-12-02'],
    ['from=2026-11-03&to=2026-11-30&region=330201', '330201', '2026-11-03', '2026-11-30'],
  ])('counts the knowledge gaps of exactly the days in ?%s', async (query, region, from, to) => {
    const body = await get(`/api/v1/stats/knowledge-gaps?quiz=${CONTENT_QUIZ}&${query}`);
    const exp = await expected(region, from, to);
    expect(body.days).toEqual({ from, to });
    expectSame(body.overall, exp.overall);
    for (const q of body.questions)
      expectSame(
        { n: q.n, correct: q.correct, rate: q.rate },
        {
          n: exp.byQuestion.get(q.id)?.n ?? 0,
          correct: exp.byQuestion.get(q.id)?.k ?? 0,
          rate: wilsonExp(exp.byQuestion.get(q.id)?.k ?? 0, exp.byQuestion.get(q.id)?.n ?? 0).rate,
        },
      );
  });

  it('gives the quiz bank page the same days', async () => {
    const body = await get(`/api/v1/quizzes/${CONTENT_QUIZ}/accuracy?from=2026-11-04&to=2026-11-04`);
    const exp = await expected(undefined, '2026-11-04', '2026-11-04');
    expect(body.days).toEqual({ from: '2026-11-04', to: '2026-11-04' });
    expect({ n: body.overall.n, correct: body.overall.correct }).toEqual({ n: exp.overall.n, correct: exp.overall.correct });
    expect(exp.overall.n).toBeGreaterThan(0);
  });
});

describe('unit ranking (每月考核排名)', () => {
  type Doc = { status: string; unitCode: string; createdAt: Date; deadlineAt: Date | null; rectifiedAt: Date | null };
  async function expected(from: string, to: string) {
    const docs = (await Tipoff.find().lean<Doc[]>()).filter((d) => localDay(d.createdAt) >= from && localDay(d.createdAt) <= to);
    const units: Array<{ code: string }> = (await app.get('/api/v1/units')).body;
    const rows = units.map((u) => {
      const mine = docs.filter((d) => d.unitCode === u.code && ['accepted', 'assigned', 'rectified', 'closed'].includes(d.status));
      const onTime = mine.filter(
        (d) => ['rectified', 'closed'].includes(d.status) && d.rectifiedAt && d.deadlineAt && d.rectifiedAt <= d.deadlineAt,
      ).length;
      return { code: u.code, accepted: mine.length, rankingRate: wilsonExp(onTime, mine.length), lowSample: mine.length < 10 };
    });
    const low = (r: (typeof rows)[number]) => r.rankingRate.ci?.[0] ?? -1;
    rows.sort(
      (x, y) => Number(x.lowSample) - Number(y.lowSample) || low(y) - low(x) || y.accepted - x.accepted || (x.code < y.code ? -1 : 1),
    );
    return rows.map((r, i) => ({ ...r, rank: r.lowSample ? null : i + 1 }));
  }

  it('ranks by the lower bound of the on-time rate over accepted, so 5 of 5 cannot beat 20 of 21', async () => {
    const body = await get('/api/v1/stats/tipoffs?period=month&date=2026-11-05');
    const shown = body.byUnit.map(
      (u: { code: string; accepted: number; rankingRate: unknown; lowSample: boolean; rank: number | null }) => ({
        code: u.code,
        accepted: u.accepted,
        rankingRate: u.rankingRate,
        lowSample: u.lowSample,
        rank: u.rank,
      }),
    );
    expectSame(shown, await expected('2026-11-01', '2026-11-30'));
    expect(shown.slice(0, 3).map((u: { code: string; rank: number | null; lowSample: boolean }) => [u.code, u.rank, u.lowSample])).toEqual([
      ['jjd', 1, false],
      ['cgj', 2, false],
      ['hwc', null, true], // 5 of 5 on time: a higher rate, too few to rank
    ]);
    expect(body.byUnit.slice(2).every((u: { rank: number | null; lowSample: boolean }) => u.rank === null && u.lowSample)).toBe(true);
  });

  it('ranks no one in a period with too few tip-offs', async () => {
    const body = await get('/api/v1/stats/tipoffs?period=day&date=2026-11-04');
    expectSame(
      body.byUnit.map((u: { code: string; accepted: number; rankingRate: unknown; lowSample: boolean; rank: number | null }) => ({
        code: u.code,
        accepted: u.accepted,
        rankingRate: u.rankingRate,
        lowSample: u.lowSample,
        rank: u.rank,
      })),
      await expected('2026-11-04', '2026-11-04'),
    );
    expect(body.byUnit.every((u: { rank: number | null }) => u.rank === null)).toBe(true);
  });
});

describe('exports', () => {
  const QUERY = 'period=month&date=2026-11-05';
  const decimals = (x: number) => (Number.isInteger(x) ? 0 : /e/i.test(String(x)) ? Infinity : String(x).split('.')[1]!.length);
  const fetchAs = (path: string) => fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${office}` } });

  async function csv(table: string): Promise<string[][]> {
    const res = await fetchAs(`/api/v1/stats/export.csv?table=${table}&${QUERY}&quiz=${CONTENT_QUIZ}`);
    expect(res.status).toBe(200);
    // No cell of these tables holds a comma or a quote except free text, which is never numeric.
    return (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
  }

  it('has no value with more than 4 decimals in any CSV table, and hours with 1', async () => {
    let numbers = 0;
    for (const table of statsTables) {
      const [header, ...rows] = await csv(table);
      for (const row of rows) {
        row.forEach((cell, i) => {
          if (!/^-?[\d.]+(e-?\d+)?$/i.test(cell)) return;
          numbers++;
          expect([table, header![i], cell, decimals(Number(cell)) <= (/小时/.test(header![i]!) ? 1 : 4)]).toEqual([
            table,
            header![i],
            cell,
            true,
          ]);
        });
      }
    }
    expect(numbers).toBeGreaterThan(100);
  });

  it('writes the ranking as the JSON has it, rounded: rank, 样本不足, the lower bound', async () => {
    const [header, ...rows] = await csv('tipoffs.byUnit');
    const json = await get(`/api/v1/stats/tipoffs?${QUERY}`);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[col('单位编码')])).toEqual(json.byUnit.map((u: { code: string }) => u.code));
    for (const [i, u] of json.byUnit.entries()) {
      const r = rows[i]!;
      expect([r[col('排名')], r[col('样本不足(受理<10)')], r[col('按时整改率(占受理)95%区间下限（排名依据）(0-1)')]]).toEqual([
        u.rank === null ? '' : String(u.rank),
        u.lowSample ? '是' : '否',
        u.rankingRate.ci ? String(roundRate(u.rankingRate.ci[0])) : '',
      ]);
      expect(r[col('整改用时中位数(小时)')]).toBe(u.medianHoursToRectify === null ? '' : String(roundHours(u.medianHoursToRectify)));
    }
  });

  it('has no value with more than 4 decimals in the Excel report', async () => {
    const res = await fetchAs(`/api/v1/stats/report.xlsx?${QUERY}&quiz=${CONTENT_QUIZ}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const noisy: string[] = [];
    let numbers = 0;
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value !== 'number') return;
          numbers++;
          if (decimals(cell.value) > 4) noisy.push(`${ws.name}!${cell.address}=${cell.value}`);
        }),
      ),
    );
    expect(noisy).toEqual([]);
    expect(numbers).toBeGreaterThan(100);
  });
});

describe('rebuild', () => {
  it('recomputes the counters of volunteers, quiz accuracy (by month and by day) and tip-offs to what was counted as it happened', async () => {
    await counterWriter.flush();
    const mine = (id: string) => /^(vol:|volday:|volres:|quizq:|quizd:|tip:)/.test(id);
    const strip = (v: unknown): unknown =>
      v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .map(([k, x]) => [k, strip(x)])
              .filter(([, x]) => x !== 0 && !(x && typeof x === 'object' && !Object.keys(x).length)),
          )
        : v;
    const snapshot = async () =>
      (await Counter.find().lean<Array<{ _id: string; c: unknown }>>())
        .filter((d) => mine(d._id))
        .map((d) => [d._id, strip(d.c)])
        .sort();
    const before = await snapshot();
    expect(before.filter(([id]) => String(id).startsWith('volday:')).length).toBeGreaterThanOrEqual(3);
    expect(before.filter(([id]) => String(id).startsWith('quizd:')).length).toBeGreaterThanOrEqual(3);
    await rebuildCounters();
    expect(await snapshot()).toEqual(before);
  });
});
