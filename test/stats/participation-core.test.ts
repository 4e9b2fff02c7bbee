import { startTestApp, type TestApp } from '../harness/app';
import { Counter, Marker, IndicatorLatest } from '../../src/modules/stats/stats.model';
import { recordIndicator, recordParticipation } from '../../src/modules/stats/stats.recorder';
import { rebuildCounters } from '../../src/modules/stats/stats.rebuild';
import { counterWriter } from '../../src/modules/stats/counter-writer';
import { awardPoints, createResident, getMe } from '../../src/modules/residents/residents.service';
import { COMMUNITIES } from '../factories';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** A deterministic pseudo-random generator, so a failing burst can be replayed. */
function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

async function snapshot(): Promise<Record<string, unknown>> {
  await counterWriter.flush();
  const docs = await Counter.find().lean<Array<{ _id: string; c: Record<string, unknown> }>>();
  const strip = (v: unknown): unknown => {
    if (v && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, strip(x)] as const).filter(([, x]) => x !== 0 && x !== undefined);
      return entries.length ? Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))) : undefined;
    }
    return v;
  };
  return Object.fromEntries(docs.map((d) => [d._id, strip(d.c)] as const).filter(([, c]) => c !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('participation core', () => {
  it('counts a retried participation once (same kind and source id)', async () => {
    const r = await createResident({ regionCode: COMMUNITIES[0] });
    const at = new Date('2026-10-01T10:00:00+08:00');
    expect(await recordParticipation({ id: r._id, regionCode: r.regionCode }, 'quiz', at, 'attempt-1')).toBe(true);
    expect(await recordParticipation({ id: r._id, regionCode: r.regionCode }, 'quiz', at, 'attempt-1')).toBe(false);
    const me = await getMe(r._id);
    expect(me.participation.quizzes).toBe(1);
  });

  it('grants a reward once per cause and shows the balance', async () => {
    const r = await createResident();
    expect(await awardPoints(r._id, 5, 'quiz', 'a1')).toBe(true);
    expect(await awardPoints(r._id, 5, 'quiz', 'a1')).toBe(false);
    expect(await awardPoints(r._id, 3, 'tipoff', 't1')).toBe(true);
    expect((await getMe(r._id)).points).toBe(8);
  });

  it('moves an indicator counter when a resident changes an answer (n counts residents, not answers)', async () => {
    const r = await createResident({ regionCode: COMMUNITIES[1] });
    const ref = { id: r._id, regionCode: r.regionCode };
    await recordIndicator(ref, 'aw-garbage', false, new Date('2026-10-02T09:00:00+08:00'), 'x1');
    await recordIndicator(ref, 'aw-garbage', true, new Date('2026-10-03T09:00:00+08:00'), 'x2');
    await counterWriter.flush();
    const doc = await Counter.findById(`ind:aw-garbage:${COMMUNITIES[1]}:2026`).lean<{ c: Record<string, { n: number; k?: number }> }>();
    expect(doc!.c['2026-10-02']!.n).toBe(0);
    expect(doc!.c['2026-10-02']!.k ?? 0).toBe(0);
    expect(doc!.c['2026-10-03']).toMatchObject({ n: 1, k: 1 });
    // An older answer arriving late does not replace the latest one.
    await recordIndicator(ref, 'aw-garbage', false, new Date('2026-10-01T09:00:00+08:00'), 'x0');
    expect((await IndicatorLatest.findById(`${r._id}:aw-garbage`).lean())!.answerId).toBe('x2');
  });

  it('keeps incremental counters equal to counters rebuilt from source records after a concurrent random burst', async () => {
    const rand = rng(20261122);
    const residents = await Promise.all(Array.from({ length: 40 }, (_, i) => createResident({ regionCode: i % 7 === 0 ? null : COMMUNITIES[i % COMMUNITIES.length] })));
    const kinds = ['quiz', 'survey', 'tipoff', 'signup', 'checkin'] as const;
    const indicators = ['aw-core-values', 'sp-campaign', 'sa-overall'];
    const start = new Date('2026-09-25T00:00:00+08:00').getTime();
    const jobs: Array<() => Promise<unknown>> = [];
    for (let i = 0; i < 600; i++) {
      const r = residents[Math.floor(rand() * residents.length)]!;
      const ref = { id: r._id, regionCode: r.regionCode };
      // Times cluster around day, week, month and year boundaries.
      const at = new Date(start + Math.floor(rand() * 14 * 24) * 3600_000 + Math.floor(rand() * 3600_000));
      if (rand() < 0.6) {
        const kind = kinds[Math.floor(rand() * kinds.length)]!;
        const source = `s${Math.floor(rand() * 400)}`; // some retries of the same source
        jobs.push(() => recordParticipation(ref, kind, at, source));
      } else {
        const ind = indicators[Math.floor(rand() * indicators.length)]!;
        const score = ind.startsWith('sa') ? Math.round(rand() * 4) * 25 : null;
        jobs.push(() => recordIndicator(ref, ind, { positive: rand() < 0.6, score }, at, `a${i}`));
      }
      if (rand() < 0.1) jobs.push(() => awardPoints(r._id, 2, 'burst', String(i)));
    }
    // 20 at a time, all interleaved, like concurrent requests.
    for (let i = 0; i < jobs.length; i += 20) await Promise.all(jobs.slice(i, i + 20).map((j) => j()));

    const incremental = await snapshot();
    const markersBefore = (await Marker.find().lean()).map((m) => m._id).sort();
    await rebuildCounters();
    const rebuilt = await snapshot();
    const markersAfter = (await Marker.find().lean()).map((m) => m._id).sort();

    expect(Object.keys(incremental).length).toBeGreaterThan(50);
    expect(rebuilt).toEqual(incremental);
    expect(markersAfter).toEqual(markersBefore);
    // 600 acts through the real database: about 30 s on a busy shared machine.
  }, 180_000);
});
