import type mongoose from 'mongoose';
import { isDuplicateKey } from '../errors';
import { collectionOf, type Collection, type StoredDoc, type StoredModel } from './collection';

/**
 * Point reads in flight at once: enough to hide round trips, few enough to leave the server (and
 * its connection pool) room for everyone else.
 */
export const POINT_READ_CONCURRENCY = 24;

type Projection = mongoose.mongo.Document;

/**
 * One document by _id: `{_id: value}` is the only filter FerretDB 1.24 pushes down to SQLite (by
 * the `_id` index), so hot paths read by computed ids and never by other fields.
 */
export async function readById<T>(model: StoredModel | Collection, id: string, projection?: Projection): Promise<T | null> {
  return (await collectionOf(model).findOne({ _id: id }, projection ? { projection } : {})) as T | null;
}

/**
 * Documents by _id in the given order (null where missing): parallel point reads, at most
 * `concurrency` at once. Never `{_id: {$in: ids}}`, which FerretDB answers by reading the whole
 * collection.
 */
export async function readByIds<T>(
  model: StoredModel | Collection,
  ids: readonly string[],
  opts: { projection?: Projection; concurrency?: number } = {},
): Promise<(T | null)[]> {
  const out: (T | null)[] = new Array(ids.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const i = next++;
      out[i] = await readById<T>(model, ids[i]!, opts.projection);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? POINT_READ_CONCURRENCY, ids.length) }, worker));
  return out;
}

/** readByIds without the missing ones, order kept. */
export async function readExisting<T>(
  model: StoredModel | Collection,
  ids: readonly string[],
  opts: { projection?: Projection; concurrency?: number } = {},
): Promise<T[]> {
  return (await readByIds<T>(model, ids, opts)).filter((d): d is Awaited<T> & T => d !== null);
}

/**
 * Replaces a document by _id, creating it when missing. Two racing upserts of a new _id can both
 * try the insert (duplicate key on MongoDB and FerretDB): the loser retries as a plain replace.
 */
export async function putById(model: StoredModel | Collection, doc: StoredDoc): Promise<void> {
  const collection = collectionOf(model);
  try {
    await collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }
}
