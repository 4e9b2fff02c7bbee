import { isDuplicateKey } from '../errors';
import { collectionOf, type Collection, type StoredDoc, type StoredModel } from './collection';

/**
 * Inserts `doc` and says whether this call created it. Inserting one _id concurrently admits exactly
 * one winner on FerretDB and on MongoDB, across processes; it is the only race-free "first time"
 * the embedded server offers (its updates are read-modify-write). So everything that must never
 * double — a sign-up, a response per resident, a job occurrence, an idempotent request — is a claim.
 */
export async function claimOnce(model: StoredModel | Collection, doc: StoredDoc): Promise<boolean> {
  try {
    // A mongoose model inserts through its schema (casting, defaults, validation); a collection as is.
    if (isModel(model)) await model.create(doc);
    else await collectionOf(model).insertOne(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

const isModel = (m: unknown): m is { create(doc: unknown): Promise<unknown> } =>
  typeof (m as { create?: unknown }).create === 'function' && 'schema' in (m as object);

type WriteError = { index: number; code: number };

/**
 * Claims many documents in one command and returns the _ids that were new (an id given twice is
 * one document). The unique-insert guard for many keys at once.
 */
export async function claimMany(model: StoredModel | Collection, given: StoredDoc[]): Promise<Set<string>> {
  const docs = [...new Map(given.map((d) => [d._id, d] as const)).values()];
  const fresh = new Set(docs.map((d) => d._id));
  if (!docs.length) return fresh;
  try {
    await collectionOf(model).insertMany(docs, { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: WriteError[] | WriteError }).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (!list.length || list.some((w) => w.code !== 11000)) throw err;
    for (const w of list) fresh.delete(docs[w.index]!._id);
  }
  return fresh;
}
