import mongoose, { Schema } from 'mongoose';
import { keysetPage } from '../../src/core/store';
import { useStoreDatabase } from './db';

useStoreDatabase();

const Row = mongoose.model(
  'StoreKeysetRow',
  new Schema({ _id: String, at: Date, group: String }, { versionKey: false }),
  'store_keyset_rows',
);
type RowDoc = { _id: string; at: Date; group: string };

describe('keyset pages', () => {
  it('walks rows with tied dates newest first, each row once, in (date, _id) order', async () => {
    const base = Date.parse('2026-11-01T00:00:00Z');
    // 25 rows on 3 instants: ties longer than a page.
    const rows = Array.from({ length: 25 }, (_, i) => ({
      _id: `r${String(i).padStart(2, '0')}`,
      at: new Date(base + (i % 3) * 1000),
      group: i % 2 ? 'odd' : 'even',
    }));
    await Row.insertMany(rows);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await keysetPage<RowDoc>(Row, { by: 'at', limit: 4, cursor });
      seen.push(...page.items.map((r) => r._id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    const expected = [...rows].sort((a, b) => b.at.getTime() - a.at.getTime() || (a._id < b._id ? 1 : -1)).map((r) => r._id);
    expect(seen).toEqual(expected);
    expect(pages).toBe(7);
  });

  it("keeps the caller's filter on every page", async () => {
    const first = await keysetPage<RowDoc>(Row, { filter: { group: 'odd' }, by: 'at', limit: 5 });
    const second = await keysetPage<RowDoc>(Row, { filter: { group: 'odd' }, by: 'at', limit: 50, cursor: first.nextCursor! });
    const all = [...first.items, ...second.items];
    expect(all).toHaveLength(12);
    expect(all.every((r) => r.group === 'odd')).toBe(true);
    expect(second.nextCursor).toBeNull();
  });

  it('reads an unparseable cursor as the first page', async () => {
    const page = await keysetPage<RowDoc>(Row, { by: 'at', limit: 3, cursor: 'nonsense' });
    expect(page.items.map((r) => r._id)).toEqual((await keysetPage<RowDoc>(Row, { by: 'at', limit: 3 })).items.map((r) => r._id));
  });
});
