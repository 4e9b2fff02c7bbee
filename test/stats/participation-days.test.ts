import { startTestApp, type TestApp } from '../harness/app';
import { counterWriter } from '../../src/modules/counters/counter-writer';
import { Counter } from '../../src/modules/counters/stats.model';
import { recordParticipation } from '../../src/modules/counters/counters.recorder';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';
import { ResidentDays } from '../../src/modules/counters/participation-days';
import { byBucket, byGaps } from '../../src/modules/stats/participants';
import { alignedBucket, type Period } from '../../src/modules/counters/periods';
import { participationKinds as declaredKinds } from '../../src/modules/manifest';
import type { ParticipationKind } from '../../src/modules/counters/stats.model';
import { COMMUNITIES } from '../factories';

/** The kinds the features declare in their manifests (installed by the start-up). */
const participationKinds = (): ParticipationKind[] => declaredKinds().map((k) => k.kind);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

function rng(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

interface Act {
  id: string;
  resident: string;
  kind: ParticipationKind;
  region: string;
  at: Date;
}
const localDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const REGIONS = [...COMMUNITIES, '-'];

/** Straight from the acts: each resident once, in the region of their earliest act in [from, to]. */
function expectedDistinct(acts: Act[], scope: ParticipationKind | 'all', from: string, to: string): Map<string, number> {
  const first = new Map<string, Act>();
  for (const a of acts) {
    const day = localDay(a.at);
    if ((scope !== 'all' && a.kind !== scope) || day < from || day > to) continue;
    const f = first.get(a.resident);
    if (!f || a.at < f.at || (a.at.getTime() === f.at.getTime() && a.id < f.id)) first.set(a.resident, a);
  }
  const out = new Map(REGIONS.map((r) => [r, 0]));
  for (const a of first.values()) out.set(a.region, out.get(a.region)! + 1);
  return out;
}

const range = (from: string, to: string): Period => ({ kind: 'range', from, to, bucket: alignedBucket(from, to), label: '' });

async function snapshot(prefixes: string[]): Promise<Record<string, unknown>> {
  await counterWriter.flush();
  const docs = await Counter.find().lean<Array<{ _id: string; c: Record<string, Record<string, number>> }>>();
  const out: Record<string, unknown> = {};
  for (const d of docs) {
    if (!prefixes.some((p) => d._id.startsWith(p))) continue;
    const flat: Record<string, number> = {};
    for (const [day, v] of Object.entries(d.c)) {
      if (typeof v === 'number') {
        if (v) flat[day] = v;
      } else for (const [g, n] of Object.entries(v)) if (n) flat[`${day}.${g}`] = n;
    }
    if (Object.keys(flat).length) out[d._id] = flat;
  }
  return out;
}

describe('distinct participants over any range (gap counters)', () => {
  const acts: Act[] = [];

  beforeAll(async () => {
    const rand = rng(8);
    // Residents who move between communities, acts around a year boundary, recorded out of order.
    const residents = Array.from({ length: 24 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    const start = new Date('2026-12-20T00:00:00+08:00').getTime();
    for (let i = 0; i < 260; i++) {
      const resident = residents[Math.floor(rand() * residents.length)]!;
      const at = new Date(start + Math.floor(rand() * 24 * 24) * 3600_000 + (rand() < 0.1 ? 3600_000 - 1000 : 0));
      const region = REGIONS[Math.floor(rand() * REGIONS.length)]!;
      acts.push({
        id: `a${String(i).padStart(3, '0')}`,
        resident,
        kind: participationKinds()[Math.floor(rand() * participationKinds().length)]!,
        region,
        at,
      });
    }
    const shuffled = [...acts].sort(() => rand() - 0.5);
    for (let i = 0; i < shuffled.length; i += 12) {
      await Promise.all(
        shuffled
          .slice(i, i + 12)
          .map((a) => recordParticipation({ id: a.resident, regionCode: a.region === '-' ? null : a.region }, a.kind, a.at, a.id)),
      );
    }
    await counterWriter.flush();
  }, 180_000);

  it('counts each resident once in the region of their earliest act, for arbitrary ranges', async () => {
    const ranges = [
      ['2026-12-20', '2027-01-12'],
      ['2026-12-24', '2027-01-03'],
      ['2026-12-31', '2027-01-01'],
      ['2027-01-05', '2027-01-05'],
      ['2026-12-22', '2026-12-29'],
      ['2027-01-02', '2027-01-09'],
    ] as const;
    for (const [from, to] of ranges) {
      for (const scope of ['all', 'quiz', 'tipoff'] as const) {
        const got = await byGaps(scope, REGIONS, range(from, to));
        expect([from, to, scope, Object.fromEntries(got)]).toEqual([
          from,
          to,
          scope,
          Object.fromEntries(expectedDistinct(acts, scope, from, to)),
        ]);
      }
    }
  });

  it('agrees with the who: buckets for days, ISO weeks across the new year, months and years', async () => {
    const aligned = [
      ['2026-12-28', '2027-01-03'], // ISO week 2026-W53 spans two calendar years
      ['2027-01-04', '2027-01-10'],
      ['2026-12-01', '2026-12-31'],
      ['2027-01-01', '2027-03-31'],
      ['2026-01-01', '2026-12-31'],
      ['2027-01-01', '2027-01-01'],
    ] as const;
    for (const [from, to] of aligned) {
      const p = range(from, to);
      expect(p.bucket).not.toBeNull();
      for (const scope of ['all', 'signup'] as const) {
        const expected = Object.fromEntries(expectedDistinct(acts, scope, from, to));
        expect([from, scope, Object.fromEntries(await byBucket(scope, REGIONS, p, p.bucket!))]).toEqual([from, scope, expected]);
        expect([from, scope, Object.fromEntries(await byGaps(scope, REGIONS, p))]).toEqual([from, scope, expected]);
      }
    }
  });

  it('rebuilds the same gap, who, act and span counters and participation days from the participations', async () => {
    const families = ['gap:', 'who:', 'act:', 'span'];
    const incremental = await snapshot(families);
    const daysBefore = (await ResidentDays.find().lean<Array<{ _id: string }>>()).sort((a, b) => (a._id < b._id ? -1 : 1));
    await rebuildCounters();
    expect(await snapshot(families)).toEqual(incremental);
    expect((await ResidentDays.find().lean<Array<{ _id: string }>>()).sort((a, b) => (a._id < b._id ? -1 : 1))).toEqual(daysBefore);
    expect(Object.keys(incremental).length).toBeGreaterThan(20);
  });
});

describe('counter writer', () => {
  it('flushes hundreds of counter documents at once (FerretDB 1.24 hangs on update commands of 100+ statements)', async () => {
    for (let i = 0; i < 260; i++) counterWriter.inc(`probe:${i}`, 'n', i + 1);
    await counterWriter.flush();
    for (let i = 0; i < 260; i++) counterWriter.inc(`probe:${i}`, 'n', 1);
    await counterWriter.flush();
    const docs = await Promise.all([0, 99, 100, 259].map((i) => Counter.findById(`probe:${i}`).lean<{ c: { n: number } }>()));
    expect(docs.map((d) => d!.c.n)).toEqual([2, 101, 102, 261]);
  });
});
