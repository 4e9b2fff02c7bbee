import { startTestApp, type TestApp } from '../harness/app';
import { counterWriter, listCounterDocs, readCounterNow, rebuildCounters } from '../../src/modules/counters';
import { modules } from '../../src/modules';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('counters declared in the module manifests', () => {
  it('are the features that keep counters of their own', () => {
    expect(modules.filter((m) => m.counters).map((m) => m.name)).toEqual(['residents', 'quiz', 'surveys', 'volunteers', 'tipoffs']);
  });

  it('are each recomputed by the rebuild, reported by module name', async () => {
    const stages: string[] = [];
    await rebuildCounters((stage) => void stages.push(stage));
    for (const name of ['residents', 'quiz', 'surveys', 'volunteers', 'tipoffs']) expect(stages).toContain(name);
  });
});

describe('reading one counter document now', () => {
  it("adds this process's unwritten deltas, flat and nested, to what is stored", async () => {
    const id = `test:now:${Date.now()}`;
    counterWriter.inc(id, 'n', 2);
    counterWriter.inc(id, 'q.a.k', 1);
    await counterWriter.flush();
    counterWriter.inc(id, 'n', 3);
    counterWriter.inc(id, 'q.a.k', 4);
    counterWriter.inc(id, 'q.b.k', 1);
    expect(await readCounterNow(id)).toEqual({ n: 5, q: { a: { k: 5 }, b: { k: 1 } } });
    await counterWriter.flush();
    expect(await readCounterNow(id)).toEqual({ n: 5, q: { a: { k: 5 }, b: { k: 1 } } });
  });

  it('reads a missing document as empty', async () => {
    expect(await readCounterNow(`test:none:${Date.now()}`)).toEqual({});
  });

  it('lists every stored document for the reconciliation', async () => {
    const id = `test:list:${Date.now()}`;
    counterWriter.inc(id, 'n', 1);
    await counterWriter.flush();
    expect((await listCounterDocs()).find((d) => d._id === id)?.c).toEqual({ n: 1 });
  });
});
