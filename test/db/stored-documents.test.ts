import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { testDbName, testEnv } from '../harness/env';

testEnv();

/* eslint-disable @typescript-eslint/no-require-imports */
const { connectDatabase, disconnectDatabase, ensureIndexes } = require('../../src/core/db') as typeof import('../../src/core/db');
const { defineModel, mixed, mixedList } = require('../../src/core/db/model') as typeof import('../../src/core/db/model');

/** Every file of src/ that declares a stored document, loaded so its models are registered. */
function loadEveryModel(): void {
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? (e.name === 'h5' && dir.endsWith('src') ? [] : walk(path.join(dir, e.name))) : [path.join(dir, e.name)],
      );
  for (const file of walk(path.resolve(__dirname, '../../src'))) {
    if (file.endsWith('.ts') && /defineModel\(/.test(fs.readFileSync(file, 'utf8')) && !file.endsWith(path.join('db', 'model.ts')))
      require(file);
  }
}

const Sample = defineModel(
  'StoredDocSample',
  'stored_doc_samples',
  {
    _id: String,
    name: { type: String, required: true },
    note: { type: String, default: null },
    tags: { type: [String], default: [] },
    counts: mixed<Record<string, number>>({ default: {} }),
    entries: mixedList<{ at: string }>(),
    createdAt: { type: Date, required: true },
  },
  { minimize: false, indexes: [[{ createdAt: -1 }]] },
);

beforeAll(async () => {
  await connectDatabase(process.env.WM_TEST_MONGO_URI!, testDbName());
});

afterAll(async () => {
  await mongoose.connection.db?.dropDatabase().catch(() => undefined);
  await disconnectDatabase();
});

describe('declaring a stored document', () => {
  it('stores what create() writes, defaults included, without a version key', async () => {
    const at = new Date('2026-03-02T02:00:00Z');
    await Sample.create({ _id: 'a', name: '示例', createdAt: at });

    const raw = await mongoose.connection.db!.collection('stored_doc_samples').findOne({ _id: 'a' as never });
    expect(raw).toEqual({ _id: 'a', name: '示例', note: null, tags: [], counts: {}, entries: [], createdAt: at });
  });

  it('reads the document back through lean() as its declared type', async () => {
    const doc = await Sample.findById('a').lean();
    const name: string = doc!.name;
    const note: string | null = doc!.note;
    expect({ name, note, counts: doc!.counts }).toEqual({ name: '示例', note: null, counts: {} });
  });

  it('creates the indexes the declaration lists', async () => {
    await ensureIndexes();
    const indexes = await mongoose.connection.db!.collection('stored_doc_samples').indexes();
    expect(indexes.map((i) => i.key)).toContainEqual({ createdAt: -1 });
  });

  it('refuses a second declaration of one model name for another collection', () => {
    expect(() => defineModel('StoredDocSample', 'elsewhere', { _id: String })).toThrow(/already declared for stored_doc_samples/);
  });
});

describe('every stored document of the service', () => {
  beforeAll(loadEveryModel);

  it('is keyed by a string _id and carries no version key', () => {
    const models = Object.values(mongoose.models);
    expect(models.length).toBeGreaterThan(80);
    const odd = models
      .filter((m) => m.schema.path('_id')?.instance !== 'String' || m.schema.get('versionKey') !== false)
      .map((m) => m.modelName);
    expect(odd).toEqual([]);
  });

  it('lives in a collection of its own', () => {
    const byCollection = new Map<string, string[]>();
    for (const m of Object.values(mongoose.models))
      byCollection.set(m.collection.collectionName, [...(byCollection.get(m.collection.collectionName) ?? []), m.modelName]);
    expect([...byCollection.values()].filter((names) => names.length > 1)).toEqual([]);
  });
});
