/**
 * The store: the only code that knows what the embedded database (FerretDB 1.24, SQLite) cannot do.
 * Modules import these primitives from here, never the files behind them. Which limit each one
 * answers: docs/embedded-database.md.
 */
export type { Collection, StoredDoc, StoredModel } from './collection';
export { claimMany, claimOnce } from './claim';
export { appendAt, logId, newNonce, readLog, type LogEntry } from './log';
export { addAtPath, addValues, counterIdOf, CounterStore, shardDocId, type CounterValues } from './counters';
export { KNOWN_SHARDS_MS, ShardLease, ShardLeases } from './shards';
export { POINT_READ_CONCURRENCY, putById, readById, readByIds, readExisting } from './point';
export { keysetPage, parseKeysetCursor, type KeysetPage } from './keyset';
export { bulkWriteInCommands, insertInCommands, STATEMENTS_PER_COMMAND, upsertById, type BulkOp } from './bulk';
export { keyedSerializer, type Serialized } from './serial';
