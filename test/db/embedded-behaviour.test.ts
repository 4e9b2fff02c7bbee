import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { testDbName } from '../harness/env';

/**
 * Measures the embedded server's behaviour that the database rules of docs/embedded-database.md depend on. Asserts what must
 * hold (unique _id and unique indexes are enforced); records the rest in
 * test-artifacts/embedded-database.json, and in docs/embedded-database.md when UPDATE_DOCS=1.
 */
const { MongoClient } = mongoose.mongo;
let client: InstanceType<typeof MongoClient>;
const findings: Record<string, unknown> = {};

beforeAll(async () => {
  client = await MongoClient.connect(process.env.WM_TEST_MONGO_URI!);
});

afterAll(async () => {
  await client
    .db(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await client.close();
  const out = { server: process.env.WM_TEST_DB_KIND ?? 'external', at: new Date().toISOString(), ...findings };
  fs.mkdirSync('test-artifacts', { recursive: true });
  fs.writeFileSync('test-artifacts/embedded-database.json', JSON.stringify(out, null, 2));
  if (process.env.UPDATE_DOCS === '1') writeDoc(out);
});

const dbName = testDbName();
const db = () => client.db(dbName);

async function time(fn: () => Promise<unknown>, times = 50): Promise<number> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < times; i++) await fn();
  return Number(process.hrtime.bigint() - t) / 1e6 / times;
}

describe('embedded database behaviour', () => {
  it('lets exactly one of 100 concurrent inserts of one _id win', async () => {
    const col = db().collection<{ _id: string; n: number }>('race_insert');
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => col.insertOne({ _id: 'one', n: i })));
    const won = results.filter((r) => r.status === 'fulfilled').length;
    const dupErrors = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: number }).code === 11000).length;
    findings.concurrentInsertsOfOneId = { attempts: 100, succeeded: won, duplicateKeyErrors: dupErrors };
    expect(won).toBe(1);
    expect(dupErrors).toBe(99);
    expect(await col.countDocuments()).toBe(1);
  });

  it('enforces a unique index under concurrency', async () => {
    const col = db().collection('race_unique');
    await col.createIndex({ email: 1 }, { unique: true });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => col.insertOne({ _id: `u${i}` as never, email: 'same@example.com' })),
    );
    const won = results.filter((r) => r.status === 'fulfilled').length;
    findings.uniqueIndexUnderConcurrency = { attempts: 50, succeeded: won };
    expect(won).toBe(1);
  });

  it('records how many of 100 concurrent $inc on one document survive', async () => {
    const col = db().collection<{ _id: string; n: number }>('race_inc');
    await col.insertOne({ _id: 'c', n: 0 });
    await Promise.all(Array.from({ length: 100 }, () => col.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
    const n = (await col.findOne({ _id: 'c' }))!.n;
    findings.concurrentIncOnOneDocument = { attempts: 100, survived: n };
    // Recorded, not asserted: FerretDB 1.24 loses most of them; MongoDB keeps all 100.
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(100);
  });

  it('finds a document by _id through the _id index, not by scanning the collection', async () => {
    const col = db().collection<{ _id: string }>('by_id');
    await col.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: `d${i}` })));
    const plan = JSON.stringify(((await col.find({ _id: 'd42' }).explain()) as { queryPlanner: unknown }).queryPlanner);
    findings.findByIdPlan = plan.slice(0, 300);
    // FerretDB's SQLite plan says `SEARCH … USING INDEX …__id_` (our patched build; upstream 1.24.2
    // says `SCAN`); MongoDB's says IDHACK or EXPRESS_IXSCAN. Neither may be a collection scan.
    expect(plan).not.toMatch(/\bSCAN [a-z_]|COLLSCAN/);
    expect(plan).toMatch(/USING INDEX|IDHACK|EXPRESS|IXSCAN/);
  });

  it('records which query shapes are fast on a 5,000-document collection', async () => {
    const col = db().collection<{ _id: string; k: number; s: string }>('shapes');
    const docs = Array.from({ length: 5000 }, (_, i) => ({ _id: `d${i}`, k: i % 100, s: i % 2 ? 'a' : 'b' }));
    for (let i = 0; i < docs.length; i += 1000) await col.insertMany(docs.slice(i, i + 1000));
    await col.createIndex({ k: 1 });
    const ms = {
      'findOne({_id})': await time(() => col.findOne({ _id: 'd4321' })),
      'findOne({_id, s})': await time(() => col.findOne({ _id: 'd4321', s: 'a' }), 10),
      'find({_id: {$in: [3 ids]}})': await time(() => col.find({ _id: { $in: ['d1', 'd2', 'd3'] } }).toArray(), 10),
      'find({k}) with an index on k': await time(() => col.find({ k: 42 }).toArray(), 10),
      'countDocuments({})': await time(() => col.countDocuments({}), 10),
      'estimatedDocumentCount()': await time(() => col.estimatedDocumentCount(), 10),
      'updateOne({_id}, $inc)': await time(() => col.updateOne({ _id: 'd10' }, { $inc: { k: 1 } })),
      'insertOne (new _id)': await time(async () => col.insertOne({ _id: `n${Math.random()}`, k: 1, s: 'x' })),
    };
    findings.queryShapesMsPerOp = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v * 100) / 100]));
    expect(ms['findOne({_id})']).toBeGreaterThan(0);
  });
});

function writeDoc(out: Record<string, unknown>): void {
  const file = path.resolve(__dirname, '../../docs/embedded-database.md');
  const text = fs.readFileSync(file, 'utf8');
  const block = '```json\n' + JSON.stringify(out, null, 2) + '\n```';
  fs.writeFileSync(
    file,
    text.replace(/<!-- measured:start -->[\s\S]*<!-- measured:end -->/, `<!-- measured:start -->\n${block}\n<!-- measured:end -->`),
  );
}
