import crypto from 'node:crypto';
import { isDuplicateKey } from '../errors';
import { collectionOf, type Collection, type StoredModel } from './collection';
import { readByIds } from './point';

/**
 * Append-only logs keyed `<key>:<seq>` with seq dense from 1, on plain point operations.
 *
 * Appending is inserting the next seq; the unique _id lets exactly one writer win each seq, on
 * FerretDB and on MongoDB alike, across processes. A writer only tries seq n+1 after it has seen
 * seq n exist (it read it, or inserted it), so the log never has a hole, and "read forward from
 * what I know until the first missing seq" is always a complete, consistent prefix. Entries are
 * never changed after they are written, so a prefix read once stays true and can be cached.
 * Callers serialize their own appends per log (keyedSerializer) so a process never probes itself.
 */
export const logId = (key: string, seq: number): string => `${key}:${String(seq).padStart(6, '0')}`;

export type LogEntry = { _id: string } & Record<string, unknown>;

/** The entries after `afterSeq` in order, until the first missing seq; parallel point reads in growing batches. */
export async function readLog<T extends LogEntry>(model: StoredModel | Collection, key: string, afterSeq: number): Promise<T[]> {
  const out: T[] = [];
  let next = afterSeq + 1;
  // Usually the prefix is already known and one read (a miss) confirms it; a cold start reads
  // 1, then 8, then 32 entries at a time.
  for (let batch = 1; ; batch = Math.min(batch * 8, 32)) {
    const docs = await readByIds<T>(
      model,
      Array.from({ length: batch }, (_, i) => logId(key, next + i)),
      { concurrency: batch },
    );
    for (const d of docs) {
      if (!d) return out;
      out.push(d);
    }
    next += batch;
  }
}

/** A value that tells this writer's entry from another's, for settling an unclear insert. */
export const newNonce = (): string => crypto.randomBytes(9).toString('base64url');

/**
 * Inserts an entry at `seq`: 'ok', or 'taken' when another writer holds that seq (read it and try
 * the next). A write error that leaves it unclear whether the insert happened is settled by reading
 * the entry back and comparing the nonce.
 */
export async function appendAt(
  model: StoredModel | Collection,
  key: string,
  seq: number,
  entry: Record<string, unknown> & { nonce: string },
): Promise<'ok' | 'taken'> {
  const collection = collectionOf(model);
  const _id = logId(key, seq);
  try {
    await collection.insertOne({ _id, ...entry });
    return 'ok';
  } catch (err) {
    if (isDuplicateKey(err)) return 'taken';
    const stored = await collection.findOne({ _id }).catch(() => null);
    if (stored) return stored.nonce === entry.nonce ? 'ok' : 'taken';
    throw err;
  }
}
