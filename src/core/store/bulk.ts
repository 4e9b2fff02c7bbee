import type mongoose from 'mongoose';
import { collectionOf, type Collection, type StoredDoc, type StoredModel } from './collection';

/**
 * Update statements per command. FerretDB 1.24 (SQLite) holds one pooled connection per statement
 * of an update command until the command ends, and the pool (about 100) is the server's, shared by
 * every client: once the statements in flight reach it, every command waits forever (measured: one
 * command of 99 passes, 100 hangs). With counter shards several instances flush at the same moment,
 * and three flushes of 50 hung the server (test/scaleout/counters.test.ts, one run in three). 20
 * leaves room for four instances flushing at once beside their single-statement requests.
 */
export const STATEMENTS_PER_COMMAND = 20;

export type BulkOp = mongoose.mongo.AnyBulkWriteOperation<StoredDoc>;

/**
 * Sends `ops` (unordered) in commands of at most STATEMENTS_PER_COMMAND. On a failure, `onFailure`
 * gets the index of the first op of the failed command (that command and every later one were not
 * known to be written) before the error is thrown; `onWritten` gets each command's ops once stored.
 */
export async function bulkWriteInCommands(
  model: StoredModel | Collection,
  ops: BulkOp[],
  hooks: { onWritten?: (from: number, to: number) => void; onFailure?: (from: number) => void } = {},
): Promise<void> {
  const collection = collectionOf(model);
  for (let i = 0; i < ops.length; i += STATEMENTS_PER_COMMAND) {
    const end = Math.min(i + STATEMENTS_PER_COMMAND, ops.length);
    try {
      await collection.bulkWrite(ops.slice(i, end), { ordered: false });
    } catch (err) {
      hooks.onFailure?.(i);
      throw err;
    }
    hooks.onWritten?.(i, end);
  }
}

/** Upserts whole documents by _id (content sync and similar bulk writes). */
export async function upsertById(model: StoredModel | Collection, docs: StoredDoc[]): Promise<void> {
  await bulkWriteInCommands(
    model,
    docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
  );
}

/**
 * Documents per insert command. The 100-statement limit above is of update commands; inserts of
 * 1,000 have always been how the rebuild writes, and this bounds the memory of one command.
 */
export const INSERTS_PER_COMMAND = 1000;

/** Inserts many new documents (a rebuild's output) in commands of INSERTS_PER_COMMAND. */
export async function insertInCommands(
  model: StoredModel | Collection,
  docs: StoredDoc[],
  onProgress?: (done: number) => void,
): Promise<void> {
  const collection = collectionOf(model);
  for (let i = 0; i < docs.length; i += INSERTS_PER_COMMAND) {
    await collection.insertMany(docs.slice(i, i + INSERTS_PER_COMMAND), { ordered: false });
    onProgress?.(Math.min(i + INSERTS_PER_COMMAND, docs.length));
  }
}
