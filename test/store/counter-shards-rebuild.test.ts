/* eslint-disable @typescript-eslint/no-require-imports -- a second copy of the modules, loaded in isolation, plays the second instance */
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { counterWriter } from '../../src/modules/counters/counter-writer';
import { recordParticipation } from '../../src/modules/counters/counters.recorder';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';
import { Counter } from '../../src/modules/counters/stats.model';
import { createResident } from '../../src/modules/residents/residents.service';
import { COMMUNITIES } from '../factories';
import { counterSnapshot } from '../stats/counters';
import { rng } from '../stats/expected';

type Recorder = typeof import('../../src/modules/counters/counters.recorder');
type Writer = typeof import('../../src/modules/counters/counter-writer');

let app: TestApp;
/** A second service instance: its own copy of the modules, mongoose connection and counter writer. */
let other: { recorder: Recorder; writer: Writer; mongoose: typeof mongoose };

beforeAll(async () => {
  app = await startTestApp();
  await counterWriter.shards.current();
  jest.isolateModules(() => {
    other = {
      recorder: require('../../src/modules/counters/counters.recorder') as Recorder,
      writer: require('../../src/modules/counters/counter-writer') as Writer,
      mongoose: require('mongoose') as typeof mongoose,
    };
  });
  await other.mongoose.connect(process.env.WM_TEST_MONGO_URI!, { dbName: mongoose.connection.db!.databaseName });
});

afterAll(async () => {
  await other.writer.counterWriter.stop();
  await other.mongoose.disconnect();
  await app.close();
});

describe('counter shards across two instances on one database', () => {
  it('writes each instance to its own shard, reads their sum, and equals the rebuild', async () => {
    const rand = rng(20261207);
    const residents = await Promise.all(
      Array.from({ length: 16 }, (_, i) => createResident({ regionCode: COMMUNITIES[i % COMMUNITIES.length] })),
    );
    const kinds = ['quiz', 'survey', 'tipoff', 'signup'] as const;
    const start = new Date('2026-09-28T00:00:00+08:00').getTime();
    // Residents split between the instances (one resident's days are one instance's, as behind a sticky session).
    const jobs = Array.from({ length: 240 }, (_, i) => {
      const r = residents[Math.floor(rand() * residents.length)]!;
      const record = residents.indexOf(r) % 2 ? other.recorder.recordParticipation : recordParticipation;
      const at = new Date(start + Math.floor(rand() * 10 * 24) * 3600_000);
      return () => record({ id: r._id, regionCode: r.regionCode }, kinds[i % kinds.length]!, at, `s${Math.floor(rand() * 120)}`);
    });
    for (let i = 0; i < jobs.length; i += 20) await Promise.all(jobs.slice(i, i + 20).map((j) => j()));
    await other.writer.counterWriter.flush();

    expect(await other.writer.counterWriter.shards.current()).toBe(1);
    const ids = (await Counter.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id);
    expect(ids.some((id) => id.endsWith('#1'))).toBe(true);
    expect(ids.some((id) => !id.includes('#'))).toBe(true);

    const incremental = await counterSnapshot();
    await rebuildCounters();
    const rebuilt = await counterSnapshot();
    expect(Object.keys(incremental).length).toBeGreaterThan(20);
    expect(rebuilt).toEqual(incremental);
    // The rebuild wrote each counter once, as its plain id.
    expect((await Counter.find({}, { _id: 1 }).lean<{ _id: string }[]>()).every((d) => !d._id.includes('#'))).toBe(true);
  }, 180_000);
});
