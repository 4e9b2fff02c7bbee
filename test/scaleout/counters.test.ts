import { useCluster } from '../harness/cluster';
import { counterLeavesOf, leafDifferences } from '../harness/counter-leaves';
/* eslint-disable @typescript-eslint/no-require-imports */
// Through the cluster harness first: the environment is set and the modules have registered their
// counter sources with the rebuild before these load.
const { rebuildCounters } =
  require('../../src/modules/counters/counters.rebuild') as typeof import('../../src/modules/counters/counters.rebuild');
const { counterIdOf } = require('../../src/core/store') as typeof import('../../src/core/store');
const { Counter, Participation } =
  require('../../src/modules/counters/stats.model') as typeof import('../../src/modules/counters/stats.model');

/**
 * Residents submit survey responses (a session, a community, a participation, indicator answers,
 * survey and community counters) through three instances behind round-robin, all at once; after
 * a graceful stop (every instance flushes its counters), the stored counters equal, leaf for leaf,
 * what an exact rebuild from the source records writes.
 *
 * Each instance `$inc`s only its own shard of a counter (`<id>#<n>`, see src/core/store), since
 * FerretDB's updates are read-modify-write and two instances on one document would lose deltas;
 * the leaves are the shards summed, as the crash test (test/reliability) reads them.
 */
const cluster = useCluster({ instances: 3 });

const SURVEY = 'pulse-weekly';
const COMMUNITIES = ['330201001001', '330201001002', '330202002001', '330203002001'];
const WRITERS = 9;
const LOAD_MS = 6_000;

const answers = { 'report-channel': ['A'], 'environment-change': 4, 'volunteer-willing': ['A'], 'first-fix': '乱停车' };

/** One resident through the cluster: a session, a community, a survey response; the acts acknowledged. */
async function oneResident(i: number): Promise<number> {
  const api = cluster.current.client;
  const s = await api.post('/api/v1/sessions/anonymous', {});
  if (s.status !== 201) return 0;
  const me = await api.patch('/api/v1/me', { regionCode: COMMUNITIES[i % COMMUNITIES.length] }, { token: s.body.token });
  if (me.status !== 200) return 1;
  const r = await api.post(`/api/v1/surveys/${SURVEY}/responses`, { answers }, { token: s.body.token });
  return r.status === 201 ? 3 : 2;
}

/** Every numeric leaf of every counter, its per-instance shards summed (test/harness/counter-leaves.ts). */
async function counterLeaves(): Promise<Map<string, number>> {
  return counterLeavesOf(await Counter.find().lean<Array<{ _id: string; c: unknown }>>(), counterIdOf);
}

describe('counters after concurrent traffic across instances', () => {
  it('equal an exact rebuild from the source records', async () => {
    const end = Date.now() + LOAD_MS;
    let next = 0;
    const acts = await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        let n = 0;
        while (Date.now() < end) n += await oneResident(next++);
        return n;
      }),
    );
    expect(acts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await cluster.current.stop(); // SIGTERM: each instance writes its last deltas before it exits

    const served = await counterLeaves();
    await rebuildCounters();
    const rebuilt = await counterLeaves();
    expect(rebuilt.size).toBeGreaterThan(0);
    expect(await Participation.countDocuments()).toBeGreaterThan(0);
    expect(leafDifferences(served, rebuilt)).toEqual([]);
  }, 180_000);
});
