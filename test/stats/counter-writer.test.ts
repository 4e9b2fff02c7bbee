import { startTestApp, type TestApp } from '../harness/app';
import { counterWriter } from '../../src/modules/counters/counter-writer';
import { Counter } from '../../src/modules/counters/stats.model';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('the counter writer while a flush is on the wire', () => {
  it('still shows this process its deltas until they are stored, then only once', async () => {
    const id = `test:inflight:${Date.now()}`;
    counterWriter.inc(id, 'n', 3);
    const flushing = counterWriter.flush();
    await new Promise((r) => setImmediate(r)); // the flush has taken the batch; its write is on the wire
    // The batch has left `pending` but the write has not completed: a reader must still see it.
    expect(counterWriter.pendingFor(id)).toEqual({ n: 3 });
    await flushing;
    expect(counterWriter.pendingFor(id)).toEqual({});
    expect((await Counter.findById(id).lean())?.c).toEqual({ n: 3 });
  });
});
