import { appendAt, keyedSerializer, logId, newNonce, readLog, type LogEntry } from '../../src/core/store';
import { freshCollection, useStoreDatabase } from './db';

useStoreDatabase();

type Entry = LogEntry & { writer: number; n: number };

/** One "process": appends serialized within itself, retrying the next seq when another took it. */
function writer(col: ReturnType<typeof freshCollection>, key: string, id: number) {
  const serial = keyedSerializer();
  let known = 0;
  return (n: number) =>
    serial(key, async () => {
      for (;;) {
        known += (await readLog(col, key, known)).length;
        if ((await appendAt(col, key, known + 1, { writer: id, n, nonce: newNonce() })) === 'ok') return ++known;
      }
    });
}

describe('append to a log', () => {
  it("keeps one dense order across three concurrent writers, each writer's entries in its own order", async () => {
    const col = freshCollection('log');
    const writers = [0, 1, 2].map((id) => writer(col, 'activity-1', id));
    await Promise.all(writers.flatMap((w) => Array.from({ length: 15 }, (_, n) => w(n))));
    const entries = await readLog<Entry>(col, 'activity-1', 0);
    expect(entries.map((e) => e._id)).toEqual(Array.from({ length: 45 }, (_, i) => logId('activity-1', i + 1)));
    for (const id of [0, 1, 2])
      expect(entries.filter((e) => e.writer === id).map((e) => e.n)).toEqual(Array.from({ length: 15 }, (_, n) => n));
  });

  it('reads forward from a known prefix and stops at the first missing seq', async () => {
    const col = freshCollection('log');
    for (const seq of [1, 2, 3, 5]) await appendAt(col, 'k', seq, { nonce: newNonce(), seq });
    expect((await readLog(col, 'k', 0)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await readLog(col, 'k', 3)).toEqual([]);
  });

  it("answers taken when the seq is another writer's", async () => {
    const col = freshCollection('log');
    expect(await appendAt(col, 'k', 1, { nonce: 'a' })).toBe('ok');
    expect(await appendAt(col, 'k', 1, { nonce: 'b' })).toBe('taken');
  });
});
