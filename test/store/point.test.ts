import { putById, readByIds, readExisting, upsertById } from '../../src/core/store';
import { freshCollection, useStoreDatabase } from './db';

useStoreDatabase();

describe('point reads and writes by _id', () => {
  it('reads 500 ids in the given order, null where missing', async () => {
    const col = freshCollection('point');
    const ids = Array.from({ length: 500 }, (_, i) => `doc-${String(i).padStart(3, '0')}`);
    await upsertById(
      col,
      ids.filter((_, i) => i % 5 !== 0).map((_id, i) => ({ _id, i })),
    );
    const wanted = [...ids].reverse();
    const t = Date.now();
    const docs = await readByIds<{ _id: string }>(col, wanted);
    const ms = Date.now() - t;
    expect(docs).toHaveLength(500);
    expect(docs.map((d) => (d ? d._id : null))).toEqual(wanted.map((id) => (Number(id.slice(4)) % 5 === 0 ? null : id)));
    expect(await readExisting(col, wanted)).toHaveLength(400);
    // Recorded, not asserted: the machine is shared. About 1 ms a read in parallel.
    console.info(`500 point reads: ${ms} ms`);
  });

  it('puts a document by _id under racing writers: one document, one of their values', async () => {
    const col = freshCollection('point');
    await Promise.all(Array.from({ length: 20 }, (_, v) => putById(col, { _id: 'board', v })));
    const docs = await col.find({}).toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]!.v).toEqual(expect.any(Number));
  });
});

describe('chunked bulk writes', () => {
  it('upserts 260 documents (more than one command may carry on FerretDB) and replaces them on a second run', async () => {
    const col = freshCollection('bulk');
    const docs = Array.from({ length: 260 }, (_, i) => ({ _id: `u${i}`, v: 1 }));
    await upsertById(col, docs);
    await upsertById(
      col,
      docs.map((d) => ({ ...d, v: 2 })),
    );
    expect(await col.countDocuments({ v: 2 })).toBe(260);
  });
});
