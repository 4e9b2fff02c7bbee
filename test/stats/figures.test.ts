import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { createActivity, volunteerSession } from '../volunteers/factories';
import { submitOk, transition, uploadPhoto } from '../tipoffs/factories';
import { CONTENT_QUIZ, takeQuiz } from '../quiz/factories';
import { setClock } from '../../src/core/time';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';
import { Counter, IndicatorResponse, type IndicatorResponseDoc } from '../../src/modules/counters/stats.model';
import { counterWriter } from '../../src/modules/counters/counter-writer';
import { ServiceHours, Volunteer } from '../../src/modules/volunteers/volunteers.model';
import { Tipoff } from '../../src/modules/tipoffs/tipoffs.model';
import { QuizAnswer, QuizQuestionModel } from '../../src/modules/quiz/quiz.model';
import { Survey, SurveyResponse } from '../../src/modules/surveys/surveys.model';
import {
  expectSame,
  findNode,
  leavesOf,
  localDay,
  ratioExp,
  wilsonExp,
  type RateExp,
  type RegionNodeExp,
  volunteersExp,
  type VolunteerRecordExp,
  type ServiceRecordExp,
} from './expected';

/**
 * Volunteers, tip-offs, knowledge gaps and the sample monitor, each made through its own module's
 * API and checked against values computed here from that module's raw records.
 */
let app: TestApp;
let office: string;
let tree: RegionNodeExp[];
const HOUR = 3_600_000;
const T = Date.parse('2026-11-02T08:00:00+08:00');
const clock = (hours: number) => setClock(() => new Date(T + hours * HOUR));
const iso = (hours: number) => new Date(T + hours * HOUR).toISOString();
const scopeLeaves = (code?: string) => leavesOf(code ? findNode(tree, code)! : tree[0]!);
const childrenOf = (code?: string) => {
  const n = code ? findNode(tree, code)! : tree[0]!;
  return n.children.length ? n.children : [n];
};

async function get(path: string) {
  const res = await app.get(path, { token: office });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  app = await startTestApp();
  clock(0);
  office = (await staffSession(app, 'office')).token;
  tree = (await app.get('/api/v1/regions')).body;
}, 120_000);
afterAll(async () => {
  setClock(undefined);
  await app.close();
});

describe('volunteers', () => {
  beforeAll(async () => {
    const where = ['330201001001', '330201001001', '330201001002', '330203002001', '330203002001', '330203002002'];
    const vs = [];
    for (const regionCode of where) vs.push(await volunteerSession(app, { regionCode }));
    const a = await createActivity(app, {
      capacity: 5,
      startAt: iso(2),
      endAt: iso(5),
      regionCode: '330201001001',
      location: { lat: 29.8731, lng: 121.5602 },
      title: '湖滨公园垃圾分类宣传',
      organizer: '湖滨街道志愿服务队',
    });
    for (const v of vs.slice(0, 4)) await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: v.token });
    clock(1.5);
    for (const v of vs.slice(0, 3))
      await app.post(`/api/v1/activities/${a.id}/checkins`, { code: a.checkinCode, lat: 29.8731, lng: 121.5602 }, { token: v.token });
    clock(4.25);
    for (const v of vs.slice(0, 2))
      await app.post(`/api/v1/activities/${a.id}/checkouts`, { code: a.checkinCode, lat: 29.8731, lng: 121.5602 }, { token: v.token });
    clock(5);
    await app.flush();
  }, 120_000);

  async function expected(region: string | undefined, from: string, to: string) {
    const vols = await Volunteer.find().lean<VolunteerRecordExp[]>();
    const hours = await ServiceHours.find().lean<ServiceRecordExp[]>();
    return volunteersExp(tree, region, from, to, vols, hours);
  }

  it('reports registered volunteers against the population (target 10 %) and service hours, city-wide and by street', async () => {
    const { filters, ...city } = await get('/api/v1/stats/volunteers');
    expect(city.volunteers).toBe(6);
    expect(city.hours).toBeGreaterThan(0);
    expectSame(city, await expected(undefined, filters.period.from, filters.period.to));
    const { filters: f, ...district } = await get('/api/v1/stats/volunteers?region=330201');
    expectSame(district, await expected('330201', f.period.from, f.period.to));
  });
});

describe('tip-offs', () => {
  let reporter: string;
  const units: Record<string, string> = {};
  const submit = (categoryCode: string, regionCode: string) => submitOk(app, reporter, { categoryCode, regionCode });
  const act = async (token: string, id: string, body: Record<string, unknown>) => {
    const res = await transition(app, token, id, body);
    if (res.status !== 200) throw new Error(`${body.action}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const rectify = async (unit: string, id: string) =>
    act(units[unit]!, id, { action: 'rectify', note: '已整改', photos: [await uploadPhoto(app, units[unit]!)] });

  beforeAll(async () => {
    reporter = (await residentSession(app, { regionCode: '330201001001' })).token;
    for (const u of ['hwc', 'jjd', 'cgj']) units[u] = (await staffSession(app, 'unit', u)).token;
    clock(10);
    const a = await submit('littering', '330201001001'); // hwc, 24 h
    const b = await submit('littering', '330201001002');
    const c = await submit('illegal-parking', '330203002001'); // jjd, 24 h
    const d = await submit('street-vending', '330201002001'); // cgj, 48 h
    const e = await submit('street-vending', '330203002001');
    const f = await submit('overflowing-bins', '330202001001'); // hwc, 12 h
    clock(11);
    const g = await submit('littering', '330201001001');
    for (const t of [a, b, c, d, e, f]) await act(office, t.id, { action: 'accept' });
    await act(office, g.id, { action: 'reject', note: '照片无法辨认' });
    clock(14.5);
    await rectify('hwc', a.id); // 3.5 h after acceptance: on time
    clock(20);
    await rectify('cgj', d.id);
    clock(40);
    await rectify('hwc', b.id); // 29 h: late
    await rectify('jjd', c.id); // late
    clock(41);
    await act(office, a.id, { action: 'close' });
    await act(office, b.id, { action: 'reopen', note: '仍有垃圾' });
    clock(60); // e (cgj, 48 h) and f (hwc, 12 h) are overdue now; b's new deadline is not yet due
    await app.flush();
  }, 180_000);

  type Doc = {
    status: string;
    categoryCode: string;
    unitCode: string;
    regionCode: string;
    createdAt: Date;
    deadlineAt: Date | null;
    rectifiedAt: Date | null;
  };
  const ACCEPTED = ['accepted', 'assigned', 'rectified', 'closed'];
  const DONE = ['rectified', 'closed'];
  function figures(docs: Doc[], nowMs: number) {
    const accepted = docs.filter((d) => ACCEPTED.includes(d.status)).length;
    const done = docs.filter((d) => DONE.includes(d.status) && d.rectifiedAt);
    const durations = done.map((d) => d.rectifiedAt!.getTime() - d.createdAt.getTime()).sort((x, y) => x - y);
    const m = durations.length;
    const median = m ? (m % 2 ? durations[(m - 1) / 2]! : (durations[m / 2 - 1]! + durations[m / 2]!) / 2) / HOUR : null;
    return {
      total: docs.length,
      accepted,
      rectified: done.length,
      overdue: docs.filter((d) => d.status === 'assigned' && d.deadlineAt && d.deadlineAt.getTime() < nowMs).length,
      rectificationRate: wilsonExp(done.length, accepted),
      onTimeRate: wilsonExp(done.filter((d) => d.deadlineAt && d.rectifiedAt! <= d.deadlineAt).length, done.length),
      medianHoursToRectify: median,
    };
  }

  async function expected(region: string | undefined, from: string, to: string) {
    const nowMs = T + 60 * HOUR;
    const leaves = new Set(scopeLeaves(region).map((c) => c.code));
    const all = (await Tipoff.find().lean<Doc[]>()).filter(
      (d) => leaves.has(d.regionCode) && localDay(d.createdAt) >= from && localDay(d.createdAt) <= to,
    );
    const statusNames = {
      submitted: '待受理',
      accepted: '已受理',
      assigned: '处置中',
      rectified: '已整改',
      closed: '已办结',
      rejected: '不予受理',
      merged: '已合并',
    };
    const categories: Array<{ code: string; name: string; deadlineHours: number }> = (await app.get('/api/v1/tipoff-categories')).body;
    const unitList: Array<{ code: string; name: string }> = (await app.get('/api/v1/units')).body;
    const onTimeOf = (docs: Doc[]) =>
      docs.filter((d) => DONE.includes(d.status) && d.rectifiedAt && d.deadlineAt && d.rectifiedAt <= d.deadlineAt).length;
    const byUnit = unitList.map((u) => {
      const mine = all.filter((d) => d.unitCode === u.code);
      const f = figures(mine, nowMs);
      return { code: u.code, name: u.name, ...f, rankingRate: wilsonExp(onTimeOf(mine), f.accepted), lowSample: f.accepted < 10 };
    });
    // 每月考核排名: units with ≥ 10 accepted by the Wilson lower bound of on-time / accepted (then more accepted,
    // fewer overdue, code); the others after them in the same order, unranked.
    const ranked = [...byUnit].sort((x, y) => {
      const low = (u: typeof x) => u.rankingRate.ci?.[0] ?? -1;
      return (
        Number(x.lowSample) - Number(y.lowSample) ||
        low(y) - low(x) ||
        y.accepted - x.accepted ||
        x.overdue - y.overdue ||
        (x.code < y.code ? -1 : 1)
      );
    });
    return {
      ...figures(all, nowMs),
      byStatus: Object.entries(statusNames).map(([status, name]) => ({
        status,
        name,
        count: all.filter((d) => d.status === status).length,
      })),
      byCategory: categories.map((c) => ({
        code: c.code,
        name: c.name,
        deadlineHours: c.deadlineHours,
        ...figures(
          all.filter((d) => d.categoryCode === c.code),
          nowMs,
        ),
      })),
      byRegion: childrenOf(region).map((c) => {
        const codes = new Set(leavesOf(c).map((l) => l.code));
        return {
          code: c.code,
          name: c.name,
          level: c.level,
          ...figures(
            all.filter((d) => codes.has(d.regionCode)),
            nowMs,
          ),
        };
      }),
      byUnit: ranked.map((u, i) => ({ ...u, rank: u.lowSample ? null : i + 1 })),
    };
  }

  it('counts by status, category, region and unit, with 整改率, on-time rate, median hours and the unit ranking', async () => {
    const { filters: _f, ...body } = await get('/api/v1/stats/tipoffs?from=2026-11-01&to=2026-11-30');
    expect(body.total).toBe(7);
    expect(body.rectified).toBe(3);
    expect(body.overdue).toBe(2);
    // No unit has 10 accepted: all are 样本不足, cgj first (1 of 2 on time beats hwc's 1 of 3 and jjd's 0 of 1).
    expect(body.byUnit.map((u: { code: string; rank: number | null }) => [u.code, u.rank]).slice(0, 3)).toEqual([
      ['cgj', null],
      ['hwc', null],
      ['jjd', null],
    ]);
    expectSame(body, await expected(undefined, '2026-11-01', '2026-11-30'));
  });

  it('narrows to a district and to the days the tip-offs were reported in', async () => {
    const { filters: _f, ...district } = await get('/api/v1/stats/tipoffs?region=330201&period=month&date=2026-11-02');
    expectSame(district, await expected('330201', '2026-11-01', '2026-11-30'));
    const { filters: _g, ...none } = await get('/api/v1/stats/tipoffs?from=2026-10-01&to=2026-10-31');
    expectSame(none, await expected(undefined, '2026-10-01', '2026-10-31'));
    expect(none.total).toBe(0);
  });

  it('rebuilds the tip-off counters to what the transitions kept', async () => {
    await counterWriter.flush();
    const snapshot = async () =>
      (await Counter.find().lean<Array<{ _id: string; c: Record<string, Record<string, Record<string, number>>> }>>())
        .filter((d) => d._id.startsWith('tip:'))
        .map((d) => [
          d._id,
          Object.fromEntries(
            Object.entries(d.c).map(([day, g]) => [
              day,
              Object.fromEntries(
                Object.entries(g)
                  .map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([, n]) => n !== 0))])
                  .filter(([, v]) => Object.keys(v).length),
              ),
            ]),
          ),
        ])
        .sort();
    const before = await snapshot();
    await rebuildCounters();
    expect(await snapshot()).toEqual(before);
    expect(before.length).toBeGreaterThan(2);
  });
});

describe('knowledge gaps', () => {
  beforeAll(async () => {
    clock(70);
    const plan: Array<[string, number]> = [
      ['330201001001', 5],
      ['330201001001', 2],
      ['330201002001', 0],
      ['330203002001', 4],
      ['330203002001', 10],
    ];
    for (const [regionCode, correct] of plan) {
      const r = await residentSession(app, { regionCode });
      await takeQuiz(app, r.token, CONTENT_QUIZ, correct);
    }
    await app.flush();
  }, 180_000);

  async function expected(region: string | undefined, from: string, to: string) {
    const leaves = scopeLeaves(region);
    const codes = new Set(leaves.map((c) => c.code));
    const cityWide = !region;
    const answers = (
      await QuizAnswer.find().lean<
        Array<{ quizId: string; questionId: string; regionCode: string | null; correct: boolean; day: string }>
      >()
    ).filter((a) => a.quizId === CONTENT_QUIZ && a.day >= from && a.day <= to && (a.regionCode ? codes.has(a.regionCode) : cityWide));
    const bank = await QuizQuestionModel.find({ quizId: CONTENT_QUIZ }).lean<
      Array<{ q: { id: string; text: string; topic?: string; indicator?: string }; status: string }>
    >();
    const quizTitle = (await app.get('/api/v1/quizzes')).body.items.find((q: { id: string }) => q.id === CONTENT_QUIZ).title;
    const question = (id: string, pick: (a: (typeof answers)[number]) => boolean) => {
      const meta = bank.find((b) => b.q.id === id)!.q;
      const mine = answers.filter((a) => a.questionId === id && pick(a));
      const k = mine.filter((a) => a.correct).length;
      return {
        quizId: CONTENT_QUIZ,
        quizTitle,
        id,
        text: meta.text,
        topic: meta.topic ?? null,
        indicator: meta.indicator ?? null,
        correct: k,
        ...wilsonExp(k, mine.length),
      };
    };
    const weakest = (x: RateExp & { id: string }, y: RateExp & { id: string }) =>
      (x.rate ?? 2) - (y.rate ?? 2) || y.n - x.n || (x.id < y.id ? -1 : 1);
    const ids = [...new Set([...answers.map((a) => a.questionId), ...bank.filter((b) => b.status === 'active').map((b) => b.q.id)])];
    const sum = (list: Array<{ n: number; correct: number }>) =>
      list.reduce((s, q) => ({ n: s.n + q.n, k: s.k + q.correct }), { n: 0, k: 0 });
    const all = ids.map((id) => question(id, () => true)).sort(weakest);
    return {
      days: { from, to },
      overall: { ...wilsonExp(sum(all).k, sum(all).n), correct: sum(all).k },
      questions: all,
      byRegion: childrenOf(region).map((c) => {
        const inChild = new Set(leavesOf(c).map((l) => l.code));
        const list = ids.map((id) => question(id, (a) => inChild.has(a.regionCode ?? ''))).sort(weakest);
        return {
          code: c.code,
          name: c.name,
          level: c.level,
          correct: sum(list).k,
          ...wilsonExp(sum(list).k, sum(list).n),
          weakest: list.filter((q) => q.n > 0).slice(0, 5),
        };
      }),
    };
  }

  it('lists per-question accuracy weakest first, city-wide and by district', async () => {
    const { filters: _f, ...city } = await get(`/api/v1/stats/knowledge-gaps?quiz=${CONTENT_QUIZ}&period=month&date=2026-11-05`);
    expect(city.overall.n).toBeGreaterThan(20);
    expectSame(city, await expected(undefined, '2026-11-01', '2026-11-30'));
    const { filters: _g, ...district } = await get(
      `/api/v1/stats/knowledge-gaps?quiz=${CONTENT_QUIZ}&region=330201&from=2026-11-03&to=2026-11-20`,
    );
    expectSame(district, await expected('330201', '2026-11-03', '2026-11-20'));
  });
});

describe('sample monitor', () => {
  const SURVEY = 'civic-awareness-2026';
  beforeAll(async () => {
    clock(80);
    const definition = (await app.get(`/api/v1/surveys/${SURVEY}`)).body as {
      questions: Array<{
        id: string;
        type: string;
        required: boolean;
        demographic?: string;
        options?: Array<{ key: string }>;
        scale?: { min: number };
      }>;
    };
    const who = ['330201001001', '330201001001', '330201001001', '330201001002', '330203002001', '330203002001'];
    for (const [i, regionCode] of who.entries()) {
      const r = await residentSession(app, { regionCode });
      const answers: Record<string, unknown> = {};
      for (const q of definition.questions) {
        if (q.id === 'community' || q.demographic === 'community') {
          answers[q.id] = regionCode; // a community question is answered with a community code
          continue;
        }
        if (q.type === 'text') continue;
        if ((q.options ?? []).length === 0) {
          if (q.demographic === 'community') answers[q.id] = regionCode;
          else if (q.type === 'scale') answers[q.id] = (q.scale?.min ?? 1) + (i % 3);
          continue;
        }
        const options = q.options!;
        answers[q.id] = q.type === 'multiple' ? [options[0]!.key] : options[i % options.length]!.key;
      }
      const res = await app.post(`/api/v1/surveys/${SURVEY}/responses`, { answers }, { token: r.token });
      if (res.status !== 201) throw new Error(`survey response: ${res.status} ${JSON.stringify(res.body)}`);
    }
    await app.flush();
  }, 180_000);

  /** From the stored responses: achieved people per community, the margin at p = 0.5 with FPC, 知晓率. */
  async function expected(region: string | undefined, from: string, to: string) {
    const targets = (await Survey.findById(SURVEY).lean<{ targets: Record<string, number> }>())!.targets;
    const responses = (await SurveyResponse.find({ surveyId: SURVEY }).lean<Array<{ regionCode: string | null; day: string }>>()).filter(
      (r) => r.day >= from && r.day <= to,
    );
    const stored = (await IndicatorResponse.find().lean<IndicatorResponseDoc[]>()).filter(
      (r) => r.source === 'survey' && r.day >= from && r.day <= to,
    );
    const items = scopeLeaves(region).map((c) => {
      const target = targets[c.code] ?? 0;
      const achieved = responses.filter((r) => r.regionCode === c.code).length;
      const units = stored
        .filter((r) => r.regionCode === c.code)
        .map((r) => r.answers.filter((a) => a.kind === 'awareness'))
        .filter((a) => a.length)
        .map((a) => ({ n: a.length, k: a.filter((x) => x.positive).length }));
      const moe = achieved ? 1.96 * Math.sqrt(0.25 / achieved) * Math.sqrt((c.population - achieved) / (c.population - 1)) : null;
      return {
        code: c.code,
        population: c.population,
        target,
        achieved,
        progress: target ? achieved / target : null,
        met: target > 0 && achieved >= target,
        lowSample: achieved < 30,
        marginOfError: moe,
        awareness: ratioExp(units),
      };
    });
    return {
      items,
      target: items.reduce((s, i) => s + i.target, 0),
      achieved: items.reduce((s, i) => s + i.achieved, 0),
      achievedOfTarget: items.reduce((s, i) => s + Math.min(i.achieved, i.target), 0),
    };
  }

  it('shows per community the target, the responses so far and the margin of error of the awareness rate', async () => {
    const body = await get(`/api/v1/stats/sample-monitor?survey=${SURVEY}&region=330201`);
    expect(body.survey.id).toBe(SURVEY);
    const { filters: _f, survey: _s, items, ...totals } = body;
    const exp = await expected('330201', body.filters.period.from, body.filters.period.to);
    expectSame({ ...totals, items: items.map(({ name: _n, ...rest }: { name: string }) => rest) }, exp);
    expect(items.find((i: { code: string }) => i.code === '330201001001').achieved).toBe(3);
    expect(items[0].name).toContain('柳岸社区');
  });

  it('picks the survey with sample targets when none is named', async () => {
    const body = await get('/api/v1/stats/sample-monitor');
    expect(body.survey).toEqual({ id: SURVEY, title: expect.any(String) });
    expect(body.items).toHaveLength(scopeLeaves().length);
  });
});
