import { CounterStore, ShardLease, ShardLeases, shardDocId, type StoredModel } from '../../src/core/store';
import { freshCollection, useStoreDatabase } from './db';

useStoreDatabase();

/** A counter collection whose next `failures` bulk writes fail, as when the server is away. */
function flaky(col: ReturnType<typeof freshCollection>): StoredModel & { failures: number } {
  const model = { failures: 0, collection: undefined as unknown };
  model.collection = new Proxy(col, {
    get(target, prop, receiver) {
      if (prop === 'bulkWrite' && model.failures > 0) {
        model.failures--;
        return () => Promise.reject(new Error('server away'));
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return model;
}

let leaseName = 0;
const leases = (fixed?: number) => new ShardLeases(`test${++leaseName}`, fixed === undefined ? {} : { fixed });

describe('counters: batched, durable, read-your-own-writes', () => {
  it('stores every increment of 200 concurrent incs with flushes racing them, exactly once', async () => {
    const col = freshCollection('counters');
    const store = new CounterStore({ collection: col }, leases());
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i % 7));
        store.inc('act:quiz', `2026-11-0${(i % 3) + 1}.n`);
        if (i % 25 === 0) await store.flush();
      }),
    );
    await store.flush();
    expect(await col.findOne({ _id: 'act:quiz' })).toEqual({
      _id: 'act:quiz',
      c: { '2026-11-01': { n: 67 }, '2026-11-02': { n: 67 }, '2026-11-03': { n: 66 } },
    });
    expect(store.pendingFor('act:quiz')).toEqual({});
  });

  it('requeues a batch whose write failed, shows it to readers meanwhile, and stores it at the next flush', async () => {
    const col = freshCollection('counters');
    const model = { collection: col as unknown };
    const store = new CounterStore(model, leases());
    for (let i = 0; i < 120; i++) store.inc(`c${i}`, 'n', 2);
    await store.flush();
    // 120 documents again: six commands of 20; the second fails, so it and the four never sent are requeued.
    for (let i = 0; i < 120; i++) store.inc(`c${i}`, 'n', 1);
    const original = col.bulkWrite.bind(col);
    let calls = 0;
    model.collection = new Proxy(col, {
      get: (t, p) =>
        p === 'bulkWrite'
          ? (...a: Parameters<typeof original>) => (++calls === 2 ? Promise.reject(new Error('server away')) : original(...a))
          : (Reflect.get(t, p) as unknown),
    });
    await expect(store.flush()).rejects.toThrow('server away');
    expect(store.pendingFor('c0')).toEqual({}); // first command stored
    expect(store.pendingFor('c60')).toEqual({ n: 1 }); // failed command: requeued
    expect(store.pendingFor('c119')).toEqual({ n: 1 }); // never sent: requeued
    expect((await store.readStored('c60')).n).toBe(2);
    model.collection = col;
    await store.flush();
    for (const id of ['c0', 'c60', 'c119']) expect(await store.readStored(id)).toEqual({ n: 3 });
    expect(store.generation).toBeGreaterThan(0);
  });

  it('keeps deltas recorded while a flush fails and writes them with the requeued ones', async () => {
    const col = freshCollection('counters');
    const model = flaky(col);
    const store = new CounterStore(model, leases());
    store.inc('x', 'n', 5);
    model.failures = 1;
    const failing = store.flush();
    store.inc('x', 'n', 1); // arrives while the failing batch is on the wire
    await expect(failing).rejects.toThrow();
    expect(store.pendingFor('x')).toEqual({ n: 6 });
    await store.stop();
    expect(await col.findOne({ _id: 'x' })).toEqual({ _id: 'x', c: { n: 6 } });
  });
});

describe('counter shards: no two processes increment one document', () => {
  it('gives two processes different shards, and the first shard again once released', async () => {
    const name = `lease${++leaseName}`;
    const a = new ShardLeases(name);
    const b = new ShardLeases(name);
    expect(await a.current()).toBe(0);
    expect(await b.current()).toBe(1);
    await a.release();
    const c = new ShardLeases(name);
    expect(await c.current()).toBe(0);
    expect(await c.known()).toEqual([0, 1]);
    await Promise.all([b.release(), c.release()]);
  });

  it('lets exactly one of several processes take over an expired shard', async () => {
    const name = `lease${++leaseName}`;
    // Shard 0's holder was killed: its lease ran out unrenewed.
    await ShardLease.create({ _id: `${name}:0`, name, shard: 0, holder: 'killed', until: new Date(Date.now() - 1000), epoch: 0 });
    const got = await Promise.all(Array.from({ length: 5 }, () => new ShardLeases(name).current()));
    expect(got.filter((s) => s === 0)).toHaveLength(1);
    expect(new Set(got).size).toBe(5);
  });

  it('sums two writers on different shards on read, and a rebuild writes the sum to the plain id and clears the shards', async () => {
    const col = freshCollection('counters');
    const name = `shared${++leaseName}`;
    const one = new CounterStore({ collection: col }, new ShardLeases(name));
    const two = new CounterStore({ collection: col }, new ShardLeases(name));
    for (let i = 0; i < 30; i++) {
      one.inc('who:all:c1:2026', `2026-11-0${(i % 2) + 1}.d`, 1);
      two.inc('who:all:c1:2026', `2026-11-0${(i % 3) + 1}.d`, 2);
    }
    await Promise.all([one.flush(), two.flush()]);
    const ids = (await col.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id).sort();
    expect(ids).toEqual([shardDocId('who:all:c1:2026', 0), shardDocId('who:all:c1:2026', 1)].sort());
    const summed = { '2026-11-01': { d: 15 + 20 }, '2026-11-02': { d: 15 + 20 }, '2026-11-03': { d: 20 } };
    one.shards.forgetKnown();
    expect(await one.readStored('who:all:c1:2026')).toEqual(summed);
    expect(await two.readStored('who:all:c1:2026')).toEqual(summed);
    const all = await one.readAll();
    expect(Object.fromEntries(all)).toEqual({ 'who:all:c1:2026': summed });

    await one.replaceAll(all);
    expect(await col.find({}).toArray()).toEqual([{ _id: 'who:all:c1:2026', c: summed }]);
    expect(await two.readStored('who:all:c1:2026')).toEqual(summed);
  });

  it('pins a shard when asked, and readers find the pinned shard', async () => {
    const col = freshCollection('counters');
    const name = `pinned${++leaseName}`;
    const pinned = new CounterStore({ collection: col }, new ShardLeases(name, { fixed: 7 }));
    pinned.inc('span', '2026-11-01', 1);
    await pinned.flush();
    expect(await col.findOne({ _id: 'span#7' })).toEqual({ _id: 'span#7', c: { '2026-11-01': 1 } });
    expect(await new CounterStore({ collection: col }, new ShardLeases(name)).readStored('span')).toEqual({ '2026-11-01': 1 });
  });
});
