import ExcelJS from 'exceljs';
import { PERCENT_NUMFMT, roundRate } from '../../src/core/format';
import { startTestApp, type TestApp } from '../harness/app';
import { staffSession, residentSession } from '../factories';
import { setClock } from '../../src/core/time';
import { createResident } from '../../src/modules/residents/residents.service';
import { recordParticipation, recordResponse } from '../../src/modules/counters/counters.recorder';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';
import { participationKinds as declaredKinds } from '../../src/modules/manifest';
import type { ParticipationKind } from '../../src/modules/counters/stats.model';
import {
  daysFromTo,
  expectSame,
  findNode,
  indicatorExp,
  leavesOf,
  localDay,
  poststratExp,
  ratioExp,
  rng,
  strataExp,
  wilsonExp,
  type UnitExp,
  type RegionNodeExp,
} from './expected';

/** The kinds the features declare in their manifests (installed by the start-up). */
const participationKinds = (): ParticipationKind[] => declaredKinds().map((k) => k.kind);

/**
 * The statistics endpoints against values computed here from the raw fixture records: residents in
 * communities of different populations (and without one), a district with no responses, a community
 * with one respondent in a street of others (merged into its street for weighting) and one alone in
 * its street (merged into its district), survey responses and quiz attempts kept apart, responses on
 * both sides of a month boundary, an indicator with n < 30.
 */
let app: TestApp;
let office: string;
let tree: RegionNodeExp[];
let indicators: Array<{ code: string; kind: string; title: string }>;
const TODAY = '2026-11-20';
const CITY = '3302';

type Source = 'survey' | 'quiz';
interface Response {
  id: string;
  source: Source;
  region: string | null;
  at: Date;
  answers: Array<{ indicator: string; positive: boolean; score: number | null }>;
}
interface Act {
  id: string;
  resident: string;
  kind: ParticipationKind;
  region: string | null;
  at: Date;
}
const responses: Response[] = [];
const acts: Act[] = [];
const homes = new Map<string, string | null>();

const COMMUNITY_MIX: Array<[string | null, number]> = [
  ['330201001001', 14], // 柳岸 8650
  ['330201001002', 12], // 望湖 10420
  ['330201001003', 1], // 荷花池 6980: one respondent, merged into 湖滨街道
  ['330201002001', 9], // 新河 12310
  ['330203002001', 16], // 建设 13580
  ['330203001002', 1], // 渔港 7690: alone in 330203001, merged into 330203 (海港区)
  [null, 7], // no community
];
const at = (s: string) => new Date(s);
const QUIZ_INDICATORS = ['aw-garbage', 'aw-garbage', 'aw-traffic', 'aw-core-values', 'aw-campaign', 'aw-health'];

async function seed(): Promise<void> {
  const rand = rng(20261120);
  const start = Date.parse('2026-10-01T00:00:00+08:00');
  let seq = 0;
  for (const [region, count] of COMMUNITY_MIX) {
    for (let i = 0; i < count; i++) {
      const r = await createResident({ regionCode: region });
      homes.set(r._id, region);
      const day = () => new Date(start + Math.floor(rand() * 50 * 24) * 3600_000 + Math.floor(rand() * 3600_000));
      const respond = async (source: Source, when: Date, answers: Response['answers'], region2 = region) => {
        const x = { id: `resp-${++seq}`, source, region: region2, at: when, answers };
        responses.push(x);
        const items = answers.map((a, j) => ({
          questionId: `q${j}`,
          indicator: a.indicator,
          value: a.score === null ? a.positive : { positive: a.positive, score: a.score },
        }));
        await recordResponse({
          source,
          instrumentId: source === 'quiz' ? 'wenming-basics' : 'civic',
          responseId: x.id,
          regionCode: region2,
          at: when,
          answers: items,
        });
      };
      const act = async (kind: ParticipationKind, when: Date, region2 = region) => {
        const a = { id: `act-${++seq}`, resident: r._id, kind, region: region2, at: when };
        acts.push(a);
        await recordParticipation({ id: r._id, regionCode: region2 }, kind, when, a.id);
      };
      const bias = region === '330203002001' ? 0.8 : region === '330201001002' ? 0.45 : 0.65;
      const yes = (p = bias) => rand() < p;
      // The survey: one response per resident, a few questions of each kind.
      const survey: Response['answers'] = [
        { indicator: 'aw-core-values', positive: yes(), score: null },
        { indicator: 'aw-campaign', positive: yes(), score: null },
        ...(yes(0.5) ? [{ indicator: 'aw-garbage', positive: yes(), score: null }] : []),
        ...(yes(0.12) ? [{ indicator: 'aw-hotline', positive: yes(0.5), score: null }] : []),
        { indicator: 'sp-campaign', positive: yes(0.85), score: null },
      ];
      const score = [0, 25, 50, 75, 100][Math.floor(rand() * 5)]!;
      survey.push({ indicator: 'sa-overall', positive: score >= 75, score });
      if (yes(0.6)) survey.push({ indicator: 'sa-environment', positive: yes(0.7), score: yes(0.5) ? 100 : 50 });
      // Answers on both sides of the October/November boundary (+08:00).
      const when = i === 1 ? at('2026-10-31T23:59:59+08:00') : i === 2 ? at('2026-11-01T00:00:00+08:00') : day();
      // A resident who responded from another community earlier (moved since).
      await respond('survey', when, survey, i === 3 && region ? '330201002002' : region);
      // Quiz attempts: answered questions, an indicator sometimes twice in one attempt.
      if (yes(0.5)) {
        const n = 2 + Math.floor(rand() * 4);
        await respond(
          'quiz',
          day(),
          Array.from({ length: n }, () => ({
            indicator: QUIZ_INDICATORS[Math.floor(rand() * QUIZ_INDICATORS.length)]!,
            positive: yes(0.7),
            score: null,
          })),
        );
      }
      const n = 1 + Math.floor(rand() * 4);
      for (let j = 0; j < n; j++) await act(participationKinds()[Math.floor(rand() * participationKinds().length)]!, day());
      if (i === 1) await act('quiz', at('2026-10-31T23:59:59+08:00'));
      if (i === 2) await act('survey', at('2026-11-01T00:00:00+08:00'));
      if (i === 3 && region) await act('tipoff', at('2026-10-19T10:00:00+08:00'), '330201001003');
    }
  }
}

beforeAll(async () => {
  app = await startTestApp();
  setClock(() => new Date(`${TODAY}T12:00:00+08:00`));
  await seed();
  await app.flush();
  office = (await staffSession(app, 'office')).token;
  tree = (await app.get('/api/v1/regions')).body;
  indicators = (await app.get('/api/v1/indicators')).body;
}, 300_000);
afterAll(async () => {
  setClock(undefined);
  await app.close();
});

// —— the expected values, from the raw records ——

interface Scope {
  node: RegionNodeExp;
  cityWide: boolean;
  communities: RegionNodeExp[];
  inScope: (region: string | null) => boolean;
  children: RegionNodeExp[];
}
function scopeOf(region?: string): Scope {
  const node = region ? findNode(tree, region)! : tree[0]!;
  const cityWide = node.code === CITY;
  const communities = leavesOf(node);
  const codes = new Set(communities.map((c) => c.code));
  return {
    node,
    cityWide,
    communities,
    inScope: (r) => (r === null ? cityWide : codes.has(r)),
    children: node.children.length ? node.children : [node],
  };
}

/** The response's answers of the figure's kind (or one indicator), as (n_j, k_j) and its mean score. */
function unitOf(r: Response, pick: (indicator: string) => boolean): (UnitExp & { score: number | null }) | null {
  const list = r.answers.filter((a) => pick(a.indicator));
  if (!list.length) return null;
  const scores = list.filter((a) => a.score !== null).map((a) => a.score!);
  return {
    n: list.length,
    k: list.filter((a) => a.positive).length,
    score: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
  };
}

function expectedIndicator(kind: string, q: { region?: string; from: string; to: string; only?: string; source?: Source }) {
  const inds = indicators.filter((i) => i.kind === kind && (!q.only || i.code === q.only));
  const s = scopeOf(q.region);
  const scored = kind === 'satisfaction';
  const inPeriod = responses.filter((r) => r.source === (q.source ?? 'survey') && localDay(r.at) >= q.from && localDay(r.at) <= q.to);
  const unitsWhere = (pickIndicator: (code: string) => boolean, pickResponse: (r: Response) => boolean) =>
    inPeriod.filter(pickResponse).flatMap((r) => {
      const u = unitOf(r, pickIndicator);
      return u ? [u] : [];
    });
  const ofFigure = (code: string) => inds.some((i) => i.code === code);
  const rateOf = q.only ? indicatorExp : ratioExp;
  const withScore = (rate: object, units: Array<{ score: number | null }>) => {
    if (!scored) return rate;
    const scores = units.filter((u) => u.score !== null).map((u) => u.score!);
    return { ...rate, meanScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null };
  };
  const unweighted = (pickIndicator: (code: string) => boolean, pickResponse: (r: Response) => boolean, rate = rateOf) => {
    const units = unitsWhere(pickIndicator, pickResponse);
    return withScore(rate(units), units);
  };
  const weighted = (top: RegionNodeExp, pickIndicator: (code: string) => boolean) => {
    const { strata, collapsed } = strataExp(tree, top, (c) => unitsWhere(pickIndicator, (r) => r.region === c));
    return { ...poststratExp(strata), collapsed };
  };
  const overallU = unweighted(ofFigure, (r) => s.inScope(r.region));
  return {
    source: q.source ?? 'survey',
    // every response here is online (self): the default mode
    mode: 'self',
    overall: {
      unweighted: overallU,
      weighted: weighted(s.node, ofFigure),
      ...(scored ? { meanScore: (overallU as { meanScore: number | null }).meanScore } : {}),
    },
    byRegion: s.children.map((c) => {
      const leaves = new Set(leavesOf(c).map((l) => l.code));
      return {
        code: c.code,
        name: c.name,
        level: c.level,
        population: c.population,
        ...unweighted(ofFigure, (r) => leaves.has(r.region ?? '')),
        weighted: weighted(c, ofFigure),
      };
    }),
    byIndicator: inds.map((i) => ({
      code: i.code,
      title: i.title,
      ...unweighted(
        (code) => code === i.code,
        (r) => s.inScope(r.region),
        indicatorExp,
      ),
      weighted: weighted(s.node, (code) => code === i.code),
    })),
    byDay: daysFromTo(q.from, q.to)
      .map((day) => ({ day, units: unitsWhere(ofFigure, (r) => localDay(r.at) === day && s.inScope(r.region)) }))
      .filter((d) => d.units.length > 0)
      .map(({ day, units }) => ({ day, ...withScore(rateOf(units), units) })),
  };
}

/** Each resident once, in the community of their earliest act in the range. */
function firstActs(from: string, to: string, kind?: ParticipationKind): Act[] {
  const first = new Map<string, Act>();
  for (const a of acts) {
    const d = localDay(a.at);
    if (d < from || d > to || (kind && a.kind !== kind)) continue;
    const f = first.get(a.resident);
    if (!f || a.at < f.at || (a.at.getTime() === f.at.getTime() && a.id < f.id)) first.set(a.resident, a);
  }
  return [...first.values()];
}

function expectedParticipation(q: { region?: string; from: string; to: string; bucket: boolean }) {
  const s = scopeOf(q.region);
  const population = s.communities.reduce((x, c) => x + c.population, 0);
  const inCommunities = (codes: Set<string>) => firstActs(q.from, q.to).filter((a) => codes.has(a.region ?? '')).length;
  const known = (codes: Set<string>) => [...homes.values()].filter((h) => h && codes.has(h)).length;
  const codes = new Set(s.communities.map((c) => c.code));
  const participants = firstActs(q.from, q.to).filter((a) => s.inScope(a.region)).length;
  const knownResidents = known(codes);
  const kindActs = (kind: ParticipationKind, day?: string) =>
    acts.filter(
      (a) => a.kind === kind && s.inScope(a.region) && (day ? localDay(a.at) === day : localDay(a.at) >= q.from && localDay(a.at) <= q.to),
    ).length;
  return {
    participants,
    population,
    rate: wilsonExp(participants, population),
    knownResidents,
    rateOfKnown: wilsonExp(inCommunities(codes), knownResidents),
    unassignedParticipants: s.cityWide ? firstActs(q.from, q.to).filter((a) => a.region === null).length : 0,
    method: q.bucket ? 'bucket' : 'gaps',
    byKind: Object.fromEntries(
      participationKinds().map((k) => {
        const p = firstActs(q.from, q.to, k).filter((a) => s.inScope(a.region)).length;
        return [k, { participants: p, acts: kindActs(k), rate: wilsonExp(p, population) }];
      }),
    ),
    byRegion: s.children.map((c) => {
      const leaves = new Set(leavesOf(c).map((l) => l.code));
      const p = inCommunities(leaves);
      return {
        code: c.code,
        name: c.name,
        level: c.level,
        population: c.population,
        participants: p,
        rate: wilsonExp(p, c.population),
        knownResidents: known(leaves),
        rateOfKnown: wilsonExp(p, known(leaves)),
      };
    }),
    byDay: daysFromTo(q.from, q.to).map((day) => {
      const perKind = Object.fromEntries(participationKinds().map((k) => [k, kindActs(k, day)]));
      return {
        day,
        participants: firstActs(day, day).filter((a) => s.inScope(a.region)).length,
        acts: Object.values(perKind).reduce((x, y) => x + y, 0),
        ...perKind,
      };
    }),
  };
}

const firstDay = () => [...responses.map((a) => localDay(a.at)), ...acts.map((a) => localDay(a.at))].sort()[0]!;

async function get(path: string) {
  const res = await app.get(path, { token: office });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

describe('awareness, support and satisfaction', () => {
  const cases = [
    {
      name: 'campaign to date, city-wide',
      query: '',
      region: undefined,
      from: () => firstDay(),
      to: () => TODAY,
      period: { kind: 'campaign', bucket: 'all' },
    },
    {
      name: 'October (23:59:59 on the 31st is in, 00:00:00 on the 1st is not)',
      query: 'period=month&date=2026-10-15',
      region: undefined,
      from: () => '2026-10-01',
      to: () => '2026-10-31',
      period: { kind: 'month', bucket: 'm:2026-10', label: '2026年10月' },
    },
    {
      name: 'a district over a free range',
      query: 'region=330201&from=2026-11-01&to=2026-11-19',
      region: '330201',
      from: () => '2026-11-01',
      to: () => '2026-11-19',
      period: { kind: 'range', bucket: null, label: '2026-11-01 至 2026-11-19' },
    },
    {
      name: 'one community',
      query: 'region=330201001002&from=2026-10-05&to=2026-11-20',
      region: '330201001002',
      from: () => '2026-10-05',
      to: () => '2026-11-20',
      period: { kind: 'range', bucket: null },
    },
    {
      name: 'a district with no answers',
      query: 'region=330202',
      region: '330202',
      from: () => firstDay(),
      to: () => TODAY,
      period: { kind: 'campaign', bucket: 'all' },
    },
  ];
  for (const c of cases) {
    for (const kind of ['awareness', 'support', 'satisfaction'] as const) {
      it(`${kind}: ${c.name}`, async () => {
        const body = await get(`/api/v1/stats/${kind}?${c.query}`);
        const { filters, ...figures } = body;
        expect(filters.period).toMatchObject({ ...c.period, from: c.from(), to: c.to() });
        expect(filters.region.code).toBe(c.region ?? CITY);
        expectSame(figures, expectedIndicator(kind, { region: c.region, from: c.from(), to: c.to() }));
      });
    }
  }

  for (const c of cases.slice(0, 3)) {
    it(`答题知晓 (quiz attempts, never pooled with the survey): ${c.name}`, async () => {
      const { filters: _f, ...figures } = await get(`/api/v1/stats/awareness?source=quiz&${c.query}`);
      expectSame(figures, expectedIndicator('awareness', { region: c.region, from: c.from(), to: c.to(), source: 'quiz' }));
    });
  }

  it('counts people, not answers: n is responses, answers the indicator answers behind them', async () => {
    const body = await get('/api/v1/stats/awareness');
    const survey = responses.filter((r) => r.source === 'survey' && r.answers.some((a) => a.indicator.startsWith('aw-')));
    expect(body.overall.unweighted.n).toBe(survey.length);
    expect(body.overall.unweighted.answers).toBe(
      survey.reduce((a, r) => a + r.answers.filter((x) => x.indicator.startsWith('aw-')).length, 0),
    );
    expect(body.overall.unweighted.designEffect).toBeGreaterThan(0);
  });

  it('merges a community with one respondent into its street, and one alone in its street into its district', async () => {
    const body = await get('/api/v1/stats/awareness');
    const collapsed = body.overall.weighted.collapsed.map((c: { code: string; communities: string[] }) => [c.code, c.communities]);
    expect(collapsed).toEqual([
      ['330201001', ['330201001001', '330201001002', '330201001003']],
      ['330203', ['330203001002', '330203002001']],
    ]);
  });

  it('marks an indicator with fewer than 30 respondents as a low sample, a plain proportion over them', async () => {
    const body = await get('/api/v1/stats/awareness?indicator=aw-hotline');
    const { filters: _f, ...figures } = body;
    expectSame(figures, expectedIndicator('awareness', { from: firstDay(), to: TODAY, only: 'aw-hotline' }));
    expect(body.overall.unweighted.n).toBeGreaterThan(0);
    expect(body.overall.unweighted.n).toBeLessThan(30);
    expect(body.overall.unweighted.lowSample).toBe(true);
    expect(body.overall.unweighted.designEffect).toBe(1);
  });

  it('gives a region without responses null rates and no interval', async () => {
    const body = await get('/api/v1/stats/awareness?region=330202');
    expect(body.overall.unweighted).toEqual({ rate: null, ci: null, n: 0, answers: 0, designEffect: null, lowSample: true });
    expect(body.overall.weighted).toEqual({ rate: null, ci: null, n: 0, answers: 0, designEffect: null, lowSample: true, collapsed: [] });
  });

  it('refuses a source other than survey or quiz, naming the field', async () => {
    const res = await app.get('/api/v1/stats/awareness?source=all', { token: office });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('source');
  });
});

describe('participation', () => {
  const cases = [
    { name: 'October (a calendar bucket)', query: 'period=month&date=2026-10-31', from: '2026-10-01', to: '2026-10-31', bucket: true },
    {
      name: 'a free range across the month boundary (gap counters)',
      query: 'from=2026-10-20&to=2026-11-05',
      from: '2026-10-20',
      to: '2026-11-05',
      bucket: false,
    },
    { name: 'an ISO week', query: 'period=week&date=2026-11-04', from: '2026-11-02', to: '2026-11-08', bucket: true },
    { name: 'one day', query: 'from=2026-10-31&to=2026-10-31', from: '2026-10-31', to: '2026-10-31', bucket: true },
    {
      name: 'a district, free range',
      query: 'region=330201&from=2026-10-03&to=2026-11-17',
      region: '330201',
      from: '2026-10-03',
      to: '2026-11-17',
      bucket: false,
    },
    {
      name: 'a street, quarter',
      query: 'region=330201001&period=quarter&date=2026-11-01',
      region: '330201001',
      from: '2026-10-01',
      to: '2026-12-31',
      bucket: true,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { filters, ...figures } = await get(`/api/v1/stats/participation?${c.query}`);
      expect(filters.period).toMatchObject({ from: c.from, to: c.to });
      expectSame(figures, expectedParticipation({ region: c.region, from: c.from, to: c.to, bucket: c.bucket }));
    });
  }

  it('counts campaign to date from the first recorded day', async () => {
    const { filters, ...figures } = await get('/api/v1/stats/participation?period=campaign');
    expect(filters.period).toMatchObject({ kind: 'campaign', from: firstDay(), to: TODAY, bucket: 'all' });
    expectSame(figures, expectedParticipation({ from: firstDay(), to: TODAY, bucket: true }));
  });
});

describe('after npm run stats:rebuild', () => {
  it('returns the same numbers from every endpoint', async () => {
    const paths = [
      '/api/v1/stats/awareness',
      '/api/v1/stats/awareness?region=330201&from=2026-10-09&to=2026-11-11',
      '/api/v1/stats/awareness?source=quiz',
      '/api/v1/stats/support?period=month&date=2026-11-02',
      '/api/v1/stats/satisfaction?region=330203',
      '/api/v1/stats/participation?from=2026-10-20&to=2026-11-05',
      '/api/v1/stats/participation?period=week&date=2026-11-01',
      '/api/v1/stats/participation',
      '/api/v1/stats/volunteers',
      '/api/v1/stats/tipoffs',
      '/api/v1/stats/sample-monitor',
      '/api/v1/stats/knowledge-gaps',
    ];
    const before = await Promise.all(paths.map(get));
    await rebuildCounters();
    const after = await Promise.all(paths.map(get));
    after.forEach((body, i) => expect([paths[i], body]).toEqual([paths[i], before[i]]));
  });
});

describe('exports', () => {
  it('writes the Excel report with one sheet per topic, the filters on top and the same numbers as the JSON', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/stats/report.xlsx?region=330201&from=2026-10-01&to=2026-11-20`, {
      headers: { authorization: `Bearer ${office}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain('东湖区_2026-10-01_2026-11-20.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '知晓率',
      '答题知晓',
      '参与率',
      '支持率',
      '满意度',
      '志愿者',
      '随手拍',
      '知识薄弱点',
      '样本监测',
    ]);
    const sheetRows = (name: string) => {
      const rows: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const aw = sheetRows('知晓率');
    expect(aw[1]).toEqual(['区域', '东湖区（330201）']);
    expect(aw[2]).toEqual(['时间', '2026-10-01 至 2026-11-20']);

    const json = await get('/api/v1/stats/awareness?region=330201&from=2026-10-01&to=2026-11-20');
    const rowAfter = (rows: unknown[][], title: string, label: string) => {
      const start = rows.findIndex((r) => r[0] === title);
      return rows.slice(start + 2).find((r) => r.includes(label))!;
    };
    // Exports round rates to 4 decimals (roundRate), the JSON keeps them exact.
    const r4 = (x: number | null | undefined) => (x === null || x === undefined ? undefined : roundRate(x));
    type R = {
      rate: number | null;
      ci: [number, number] | null;
      n: number;
      answers: number;
      designEffect: number | null;
      lowSample: boolean;
    };
    const rateOf = (r: R) => [r4(r.rate), r4(r.ci?.[0]), r4(r.ci?.[1]), r.n, r.answers, r4(r.designEffect), r.lowSample ? '是' : '否'];
    const overall = '知晓率（问卷，n = 受访人数，总体）';
    expect(rowAfter(aw, overall, '未加权（比率估计，按人聚类）').slice(1, 8)).toEqual(rateOf(json.overall.unweighted));
    expect(rowAfter(aw, overall, '按社区人口加权（事后分层）').slice(1, 8)).toEqual(rateOf(json.overall.weighted));
    for (const r of json.byRegion) {
      const row = rowAfter(aw, '知晓率（问卷，n = 受访人数，分区域）', r.name);
      expect(row.slice(3, 18)).toEqual([r.population, ...rateOf(r), ...rateOf(r.weighted)]);
    }
    expect(sheetRows('答题知晓').some((r) => r[0] === '答题知晓率（答题，n = 答题人次，总体）')).toBe(true);
    const pct = wb
      .getWorksheet('知晓率')!
      .getRow(aw.findIndex((r) => r[0] === '未加权（比率估计，按人聚类）') + 1)
      .getCell(2).numFmt;
    expect(pct).toBe(PERCENT_NUMFMT);

    const part = await get('/api/v1/stats/participation?region=330201&from=2026-10-01&to=2026-11-20');
    const prow = rowAfter(sheetRows('参与率'), '参与率（总体）', part.participants);
    expect(prow.slice(0, 7)).toEqual([part.participants, part.population, ...rateOf(part.rate).filter((_, i) => i !== 4 && i !== 5)]);
  });

  it('exports one table as CSV with Chinese headers', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/stats/export.csv?table=awareness.byRegion&period=month&date=2026-10-01`, {
      headers: { authorization: `Bearer ${office}` },
    });
    expect(res.status).toBe(200);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 5)).toEqual(['区域编码', '区域', '层级', '常住人口', '知晓率(0-1)']);
    const json = await get('/api/v1/stats/awareness?period=month&date=2026-10-01');
    expect(lines).toHaveLength(1 + json.byRegion.length);
    const first = lines[1]!.split(',');
    expect(first[0]).toBe(json.byRegion[0].code);
    expect(Number(first[4])).toBe(roundRate(json.byRegion[0].rate));
  });
});

describe('access and validation', () => {
  it('is for the office and admins only', async () => {
    const resident = await residentSession(app);
    expect((await app.get('/api/v1/stats/awareness')).status).toBe(401);
    expect((await app.get('/api/v1/stats/awareness', { token: resident.token })).status).toBe(403);
    expect((await app.get('/api/v1/stats/report.xlsx', { token: (await staffSession(app, 'unit', 'hwc')).token })).status).toBe(403);
  });

  it('names the bad field in Chinese', async () => {
    const bad = [
      ['/api/v1/stats/awareness?from=2026-11-05&to=2026-11-01', 'from'],
      ['/api/v1/stats/awareness?period=month&from=2026-11-01', 'period'],
      ['/api/v1/stats/awareness?region=999', 'region'],
      ['/api/v1/stats/awareness?period=decade', 'period'],
      ['/api/v1/stats/awareness?indicator=sp-campaign', 'indicator'],
      ['/api/v1/stats/export.csv?table=nope', 'table'],
    ];
    for (const [path, field] of bad) {
      const res = await app.get(path!, { token: office });
      expect([path, res.status, res.body.error.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});
