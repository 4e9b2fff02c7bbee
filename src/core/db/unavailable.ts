import mongoose from 'mongoose';

const { mongo } = mongoose;

/**
 * Driver errors that mean "the database is not answering now" rather than "this request is wrong":
 * the network ones (timeouts and cleared pools are subclasses), server selection, a closed or not
 * yet connected client, an operation past its time limit.
 */
const unavailableClasses = [
  mongo.MongoNetworkError, // incl. MongoNetworkTimeoutError, PoolClearedError, PoolClearedOnNetworkError
  mongo.MongoServerSelectionError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
  mongo.MongoServerClosedError,
  mongo.MongoClientClosedError,
  mongo.MongoOperationTimeoutError,
];

/** By name, for the classes the driver does not export and for mongoose's own wrappers. */
const unavailableNames =
  /^(Mongo(ose)?ServerSelectionError|MongoNetwork(Timeout)?Error|(Mongo)?(PoolCleared(OnNetwork)?|PoolClosed|WaitQueueTimeout)Error|MongoNotConnectedError|MongoTopologyClosedError|MongoOperationTimeoutError)$/;

/** Mongoose's buffering timeout and the driver's "not connected" texts, which carry no useful class. */
const unavailableMessages =
  /buffering timed out|Client must be connected|connection .* (closed|timed out)|Topology is closed|not connected/i;

/** The driver lets a bare socket error through when the server dies mid-write (EPIPE, ECONNRESET). */
const socketCodes = /^(EPIPE|ECONNRESET|ECONNREFUSED|ETIMEDOUT)$/;

/** Labels the driver puts on errors worth retrying once the server is back. */
const retryLabels = ['RetryableWriteError', 'ResetPool', 'SystemOverloadedError'];

function isUnavailableOne(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  if (unavailableClasses.some((c) => err instanceof c)) return true;
  const e = err as { name?: unknown; message?: unknown; code?: unknown; hasErrorLabel?: (l: string) => boolean };
  if (typeof e.name === 'string' && unavailableNames.test(e.name)) return true;
  if (typeof e.code === 'string' && socketCodes.test(e.code)) return true;
  if (typeof e.hasErrorLabel === 'function' && retryLabels.some((l) => e.hasErrorLabel!(l))) return true;
  return typeof e.name === 'string' && /^Mongo/.test(e.name) && typeof e.message === 'string' && unavailableMessages.test(e.message);
}

/** True when an error (or one it wraps as `cause`/`reason`) says the database is unreachable or stalled. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    if (isUnavailableOne(e)) return true;
    seen.add(e);
    e = (e as { cause?: unknown }).cause ?? (e as { reason?: unknown }).reason;
  }
  return false;
}
