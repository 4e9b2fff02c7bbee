import { claimMany, claimOnce } from '../../src/core/store';
import { freshCollection, useStoreDatabase } from './db';

useStoreDatabase();

describe('claim once', () => {
  it("lets exactly one of 50 concurrent claims of one _id win, and keeps the winner's document", async () => {
    const col = freshCollection('claim');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => claimOnce(col, { _id: 'signup:a1:r1', by: i })));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await col.find({}).toArray()).toEqual([{ _id: 'signup:a1:r1', by: winner }]);
  });

  it('answers false to a later claim of a taken _id without changing the document', async () => {
    const col = freshCollection('claim');
    expect(await claimOnce(col, { _id: 'x', v: 1 })).toBe(true);
    expect(await claimOnce(col, { _id: 'x', v: 2 })).toBe(false);
    expect(await col.findOne({ _id: 'x' })).toEqual({ _id: 'x', v: 1 });
  });

  it('claims many at once and returns only the ids that were new (an id given twice counts once)', async () => {
    const col = freshCollection('claim');
    await claimOnce(col, { _id: 'b' });
    const fresh = await claimMany(col, [{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }, { _id: 'a' }]);
    expect([...fresh].sort()).toEqual(['a', 'c']);
    expect(await col.countDocuments()).toBe(3);
  });
});
