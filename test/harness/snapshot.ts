import mongoose from 'mongoose';
import type { TestApp } from './app';

/**
 * Whole-database snapshots for the anonymity tests: they prove that nothing a step wrote anywhere
 * joins a resident (or a household) to an answer, so they look at every collection, not a list.
 */
export type Snapshot = Map<string, { collection: string; json: string }>;

/** Every document of every collection, as JSON, keyed by collection and _id (after pending writes land). */
export async function snapshotDatabase(app: TestApp): Promise<Snapshot> {
  await app.flush();
  const db = mongoose.connection.db!;
  const out: Snapshot = new Map();
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find().toArray())
      out.set(`${name}/${String(doc._id)}`, { collection: name, json: JSON.stringify(doc) });
  }
  return out;
}

/** The documents a step wrote: new ones and changed ones. */
export function written(before: Snapshot, after: Snapshot): Array<{ key: string; collection: string; json: string }> {
  return [...after].filter(([k, v]) => before.get(k)?.json !== v.json).map(([key, v]) => ({ key, ...v }));
}
