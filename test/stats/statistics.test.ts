import ExcelJS from 'exceljs';
import { PERCENT_NUMFMT, roundRate } from '../../src/core/format';
import { startTestApp, type TestApp } from '../harness/app';
import { staffSession, residentSession } from '../factories';
import { setClock } from '../../src/core/time';
import { createResident } from '../../src/modules/residents/residents.service';
import { recordIndicator, recordParticipation } from '../../src/modules/stats/stats.recorder';
import { rebuildCounters } from '../../src/modules/stats/stats.rebuild';
import { participationKinds, type ParticipationKind } from '../../src/modules/stats/stats.model';
import { daysFromTo, expectSame, findNode, leavesOf, localDay, rng, weightedExp, wilsonExp, type RateExp, type RegionNodeExp } from './expected';

/**
 * The statistics endpoints against values computed here from the raw fixture records: residents in
 * communities of different populations (and without one), a district with no answers, a resident who
 * changed an answer, answers and acts on both sides of a month boundary, an indicator with n < 30.
 */
let app: TestApp;
let office: string;
let tree: RegionNodeExp[];
let indicators: Array<{ code: string; kind: string; title: string }>;
const TODAY = '2026-11-20';
const CITY = '3302';

interface Answer {
  id: string;
  resident: string;
  indicator: string;
  region: string | null;
  positive: boolean;
  score: number | null;
  at: Date;
}
interface Act {
  id: string;
  resident: string;
  kind: ParticipationKind;
  region: string | null;
  at: Date;
}
const answers: Answer[] = [];
const acts: Act[] = [];
const homes = new Map<string, string | null>();

const COMMUNITY_MIX: Array<[string | null, number]> = [
  ['330201001001', 14], // 柳岸 8650
  ['330201001002', 12], // 望湖 10420
  ['330201002001', 9], // 新河 12310
  ['330203002001', 16], // 建设 13580
  ['330203001002', 3], // 渔港 7690: few answers
  [null, 7], // no community
];
const at = (s: string) => new Date(s);

async function seed(): Promise<void> {
  const rand = rng(20261120);
  const start = Date.parse('2026-10-01T00:00:00+08:00');
  let seq = 0;
  for (const [region, count] of COMMUNITY_MIX) {
    for (let i = 0; i < count; i++) {
      const r = await createResident({ regionCode: region });
      homes.set(r._id, region);
      const ref = { id: r._id, regionCode: region };
      const day = () => new Date(start + Math.floor(rand() * 50 * 24) * 3600_000 + Math.floor(rand() * 3600_000));
      const answer = async (indicator: string, positive: boolean, score: number | null, when: Date, region2 = region) => {
        const a = { id: `ans-${++seq}`, resident: r._id, indicator, region: region2, positive, score, at: when };
        answers.push(a);
        await recordIndicator({ id: r._id, regionCode: region2 }, indicator, score === null ? positive : { positive, score }, when, a.id);
      };
      const act = async (kind: ParticipationKind, when: Date, region2 = region) => {
        const a = { id: `act-${++seq}`, resident: r._id, kind, region: region2, at: when };
        acts.push(a);
        await recordParticipation({ id: r._id, regionCode: region2 }, kind, when, a.id);
      };
      const bias = region === '330203002001' ? 0.8 : region === '330201001002' ? 0.45 : 0.65;
      await answer('aw-core-values', rand() < bias, null, day());
      await answer('aw-campaign', rand() < bias, null, day());
      if (rand() < 0.5) await answer('aw-garbage', rand() < bias, null, day());
      if (rand() < 0.12) await answer('aw-hotline', rand() < 0.5, null, day());
      await answer('sp-campaign', rand() < 0.85, null, day());
      const score = [0, 25, 50, 75, 100][Math.floor(rand() * 5)]!;
      await answer('sa-overall', score >= 75, score, day());
      if (rand() < 0.6) await answer('sa-environment', rand() < 0.7, rand() < 0.5 ? 100 : 50, day());
      const n = 1 + Math.floor(rand() * 4);
      for (let j = 0; j < n; j++) await act(participationKinds[Math.floor(rand() * participationKinds.length)]!, day());
      // A resident who changes an answer: the later one counts, on its own day.
      if (i === 0) {
        await answer('aw-core-values', false, null, at('2026-10-12T09:00:00+08:00'));
        await answer('aw-core-values', true, null, at('2026-11-03T09:00:00+08:00'));
      }
      // Answers and acts on both sides of the October/November boundary (+08:00).
      if (i === 1) {
        await answer('aw-traffic', true, null, at('2026-10-31T23:59:59+08:00'));
        await act('quiz', at('2026-10-31T23:59:59+08:00'));
      }
      if (i === 2) {
        await answer('aw-traffic', false, null, at('2026-11-01T00:00:00+08:00'));
        await act('survey', at('2026-11-01T00:00:00+08:00'));
      }
      // A resident who took part from another community earlier (moved since).
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
  return { node, cityWide, communities, inScope: (r) => (r === null ? cityWide : codes.has(r)), children: node.children.length ? node.children : [node] };
}

function latestAnswers(): Answer[] {
  const latest = new Map<string, Answer>();
  for (const a of answers) {
    const key = `${a.resident}:${a.indicator}`;
    const p = latest.get(key);
    if (!p || a.at > p.at || (a.at.getTime() === p.at.getTime() && a.id > p.id)) latest.set(key, a);
  }
  return [...latest.values()];
}

function expectedIndicator(kind: string, q: { region?: string; from: string; to: string; only?: string }) {
  const inds = indicators.filter((i) => i.kind === kind && (!q.only || i.code === q.only));
  const s = scopeOf(q.region);
  const scored = kind === 'satisfaction';
  const rows = latestAnswers().filter((a) => inds.some((i) => i.code === a.indicator) && localDay(a.at) >= q.from && localDay(a.at) <= q.to);
  const tally = (pick: (a: Answer) => boolean) => {
    const list = rows.filter(pick);
    const withScore = list.filter((a) => a.score !== null);
    return { n: list.length, k: list.filter((a) => a.positive).length, s: withScore.reduce((x, a) => x + a.score!, 0), sn: withScore.length };
  };
  const withScore = (r: RateExp, t: { s: number; sn: number }) => (scored ? { ...r, meanScore: t.sn ? t.s / t.sn : null, scoreN: t.sn } : r);
  const unweighted = (pick: (a: Answer) => boolean) => {
    const t = tally(pick);
    return withScore(wilsonExp(t.k, t.n), t);
  };
  const weightedOver = (communities: RegionNodeExp[], pick: (a: Answer) => boolean) =>
    weightedExp(communities.map((c) => ({ pop: c.population, ...tally((a) => a.region === c.code && pick(a)) })));
  const all = () => true;
  const overallU = unweighted((a) => s.inScope(a.region));
  return {
    overall: { unweighted: overallU, weighted: weightedOver(s.communities, all), ...(scored ? { meanScore: (overallU as { meanScore: number | null }).meanScore } : {}) },
    byRegion: s.children.map((c) => {
      const leaves = new Set(leavesOf(c).map((l) => l.code));
      return { code: c.code, name: c.name, level: c.level, population: c.population, ...unweighted((a) => leaves.has(a.region ?? '')), weighted: weightedOver(leavesOf(c), all) };
    }),
    byIndicator: inds.map((i) => ({ code: i.code, title: i.title, ...unweighted((a) => a.indicator === i.code && s.inScope(a.region)), weighted: weightedOver(s.communities, (a) => a.indicator === i.code) })),
    byDay: daysFromTo(q.from, q.to).map((day) => ({ day, ...unweighted((a) => localDay(a.at) === day && s.inScope(a.region)) })),
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
    acts.filter((a) => a.kind === kind && s.inScope(a.region) && (day ? localDay(a.at) === day : localDay(a.at) >= q.from && localDay(a.at) <= q.to)).length;
  return {
    participants,
    population,
    rate: wilsonExp(participants, population),
    knownResidents,
    rateOfKnown: wilsonExp(inCommunities(codes), knownResidents),
    unassignedParticipants: s.cityWide ? firstActs(q.from, q.to).filter((a) => a.region === null).length : 0,
    method: q.bucket ? 'bucket' : 'gaps',
    byKind: Object.fromEntries(
      participationKinds.map((k) => {
        const p = firstActs(q.from, q.to, k).filter((a) => s.inScope(a.region)).length;
        return [k, { participants: p, acts: kindActs(k), rate: wilsonExp(p, population) }];
      }),
    ),
    byRegion: s.children.map((c) => {
      const leaves = new Set(leavesOf(c).map((l) => l.code));
      const p = inCommunities(leaves);
      return { code: c.code, name: c.name, level: c.level, population: c.population, participants: p, rate: wilsonExp(p, c.population), knownResidents: known(leaves), rateOfKnown: wilsonExp(p, known(leaves)) };
    }),
    byDay: daysFromTo(q.from, q.to).map((day) => {
      const perKind = Object.fromEntries(participationKinds.map((k) => [k, kindActs(k, day)]));
      return { day, participants: firstActs(day, day).filter((a) => s.inScope(a.region)).length, acts: Object.values(perKind).reduce((x, y) => x + y, 0), ...perKind };
    }),
  };
}

const firstDay = () => [...answers.map((a) => localDay(a.at)), ...acts.map((a) => localDay(a.at))].sort()[0]!;

async function get(path: string) {
  const res = await app.get(path, { token: office });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

describe('awareness, support and satisfaction', () => {
  const cases = [
    { name: 'campaign to date, city-wide', query: '', region: undefined, from: () => firstDay(), to: () => TODAY, period: { kind: 'campaign', bucket: 'all' } },
    { name: 'October (23:59:59 on the 31st is in, 00:00:00 on the 1st is not)', query: 'period=month&date=2026-10-15', region: undefined, from: () => '2026-10-01', to: () => '2026-10-31', period: { kind: 'month', bucket: 'm:2026-10', label: '2026年10月' } },
    { name: 'a district over a free range', query: 'region=330201&from=2026-11-01&to=2026-11-19', region: '330201', from: () => '2026-11-01', to: () => '2026-11-19', period: { kind: 'range', bucket: null, label: '2026-11-01 至 2026-11-19' } },
    { name: 'one community', query: 'region=330201001002&from=2026-10-05&to=2026-11-20', region: '330201001002', from: () => '2026-10-05', to: () => '2026-11-20', period: { kind: 'range', bucket: null } },
    { name: 'a district with no answers', query: 'region=330202', region: '330202', from: () => firstDay(), to: () => TODAY, period: { kind: 'campaign', bucket: 'all' } },
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

  it('marks an indicator with fewer than 30 answers as a low sample', async () => {
    const body = await get('/api/v1/stats/awareness?indicator=aw-hotline');
    const { filters: _f, ...figures } = body;
    expectSame(figures, expectedIndicator('awareness', { from: firstDay(), to: TODAY, only: 'aw-hotline' }));
    expect(body.overall.unweighted.n).toBeGreaterThan(0);
    expect(body.overall.unweighted.n).toBeLessThan(30);
    expect(body.overall.unweighted.lowSample).toBe(true);
  });

  it('gives a region without answers null rates and no interval', async () => {
    const body = await get('/api/v1/stats/awareness?region=330202');
    expect(body.overall.unweighted).toEqual({ rate: null, ci: null, n: 0, lowSample: true });
    expect(body.overall.weighted).toEqual({ rate: null, ci: null, n: 0, lowSample: true });
  });
});

describe('participation', () => {
  const cases = [
    { name: 'October (a calendar bucket)', query: 'period=month&date=2026-10-31', from: '2026-10-01', to: '2026-10-31', bucket: true },
    { name: 'a free range across the month boundary (gap counters)', query: 'from=2026-10-20&to=2026-11-05', from: '2026-10-20', to: '2026-11-05', bucket: false },
    { name: 'an ISO week', query: 'period=week&date=2026-11-04', from: '2026-11-02', to: '2026-11-08', bucket: true },
    { name: 'one day', query: 'from=2026-10-31&to=2026-10-31', from: '2026-10-31', to: '2026-10-31', bucket: true },
    { name: 'a district, free range', query: 'region=330201&from=2026-10-03&to=2026-11-17', region: '330201', from: '2026-10-03', to: '2026-11-17', bucket: false },
    { name: 'a street, quarter', query: 'region=330201001&period=quarter&date=2026-11-01', region: '330201001', from: '2026-10-01', to: '2026-12-31', bucket: true },
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
    const res = await fetch(`${app.baseUrl}/api/v1/stats/report.xlsx?region=330201&from=2026-10-01&to=2026-11-20`, { headers: { authorization: `Bearer ${office}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain('东湖区_2026-10-01_2026-11-20.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['知晓率', '参与率', '支持率', '满意度', '志愿者', '随手拍', '知识薄弱点', '样本监测']);
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
    const rateOf = (r: { rate: number | null; ci: [number, number] | null; n: number; lowSample: boolean }) => [r4(r.rate), r4(r.ci?.[0]), r4(r.ci?.[1]), r.n, r.lowSample ? '是' : '否'];
    expect(rowAfter(aw, '知晓率（总体）', '未加权（全部回答）').slice(1, 6)).toEqual(rateOf(json.overall.unweighted));
    expect(rowAfter(aw, '知晓率（总体）', '按社区人口加权（事后分层）').slice(1, 6)).toEqual(rateOf(json.overall.weighted));
    for (const r of json.byRegion) {
      const row = rowAfter(aw, '知晓率（分区域）', r.name);
      expect(row.slice(3, 14)).toEqual([r.population, ...rateOf(r), ...rateOf(r.weighted)]);
    }
    const pct = wb.getWorksheet('知晓率')!.getRow(aw.findIndex((r) => r[0] === '未加权（全部回答）') + 1).getCell(2).numFmt;
    expect(pct).toBe(PERCENT_NUMFMT);

    const part = await get('/api/v1/stats/participation?region=330201&from=2026-10-01&to=2026-11-20');
    const prow = rowAfter(sheetRows('参与率'), '参与率（总体）', part.participants);
    expect(prow.slice(0, 7)).toEqual([part.participants, part.population, ...rateOf(part.rate)]);
  });

  it('exports one table as CSV with Chinese headers', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/stats/export.csv?table=awareness.byRegion&period=month&date=2026-10-01`, { headers: { authorization: `Bearer ${office}` } });
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
