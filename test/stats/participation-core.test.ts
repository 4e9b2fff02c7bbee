import { startTestApp, type TestApp } from '../harness/app';
import { Counter, Marker } from '../../src/modules/counters/stats.model';
import { recordParticipation, recordResponse } from '../../src/modules/counters/counters.recorder';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';
import { counterWriter } from '../../src/modules/counters/counter-writer';
import { awardPoints, createResident, getMe } from '../../src/modules/residents/residents.service';
import { COMMUNITIES } from '../factories';
import { counterSnapshot } from './counters';
import { rng } from './expected';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

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

  it('counts a response once, as a whole: a retry of the same response adds nothing', async () => {
    const input = {
      source: 'survey' as const,
      instrumentId: 'civic',
      responseId: 'retry-1',
      regionCode: COMMUNITIES[1],
      at: new Date('2026-10-02T09:00:00+08:00'),
      answers: [
        { questionId: 'q1', indicator: 'aw-garbage', value: true },
        { questionId: 'q2', indicator: 'aw-traffic', value: false },
        { questionId: 'q3', indicator: 'sa-overall', value: { positive: true, score: 75 } },
        { questionId: 'q4', indicator: 'sa-traffic', value: { positive: false, score: 50 } },
      ],
    };
    expect(await recordResponse(input)).toBe(true);
    expect(await recordResponse(input)).toBe(false);
    await counterWriter.flush();
    const day = async (id: string) => (await Counter.findById(id).lean<{ c: Record<string, unknown> }>())!.c['2026-10-02'];
    expect(await day(`rsp:survey:awareness:${COMMUNITIES[1]}:2026`)).toEqual({ m: 1, n: 2, k: 1, nn: 4, kk: 1, nk: 2 });
    // satisfaction: the response's mean score (75 + 50) / 2, once
    expect(await day(`rsp:survey:satisfaction:${COMMUNITIES[1]}:2026`)).toEqual({ m: 1, n: 2, k: 1, nn: 4, kk: 1, nk: 2, ss: 62.5, sm: 1 });
    expect(await day(`rsv:survey:civic:${COMMUNITIES[1]}:2026`)).toBe(1);
  });

  it('keeps incremental counters equal to counters rebuilt from source records after a concurrent random burst', async () => {
    const rand = rng(20261122);
    const residents = await Promise.all(
      Array.from({ length: 40 }, (_, i) => createResident({ regionCode: i % 7 === 0 ? null : COMMUNITIES[i % COMMUNITIES.length] })),
    );
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
        const answers = indicators
          .filter(() => rand() < 0.7)
          .map((ind, q) => {
            const score = ind.startsWith('sa') ? Math.round(rand() * 4) * 25 : null;
            return { questionId: `q${q}`, indicator: ind, value: { positive: rand() < 0.6, score } };
          });
        const source = rand() < 0.3 ? ('quiz' as const) : ('survey' as const);
        const id = `r${Math.floor(rand() * 250)}`; // some retries of the same response
        jobs.push(() => recordResponse({ source, instrumentId: 'burst', responseId: id, regionCode: ref.regionCode ?? null, at, answers }));
      }
      if (rand() < 0.1) jobs.push(() => awardPoints(r._id, 2, 'burst', String(i)));
    }
    // 20 at a time, all interleaved, like concurrent requests.
    for (let i = 0; i < jobs.length; i += 20) await Promise.all(jobs.slice(i, i + 20).map((j) => j()));

    const incremental = await counterSnapshot();
    const markersBefore = (await Marker.find().lean()).map((m) => m._id).sort();
    await rebuildCounters();
    const rebuilt = await counterSnapshot();
    const markersAfter = (await Marker.find().lean()).map((m) => m._id).sort();

    expect(Object.keys(incremental).length).toBeGreaterThan(50);
    expect(rebuilt).toEqual(incremental);
    expect(markersAfter).toEqual(markersBefore);
    // 600 acts through the real database: about 30 s on a busy shared machine.
  }, 180_000);
});
