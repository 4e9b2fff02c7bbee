import mongoose from 'mongoose';
import { config } from '../../config';
import { logger } from '../logger';
import { freePort, startEmbeddedServer } from './embedded';
import { superviseEmbeddedServer, type SupervisedServer, type SupervisorOptions } from './supervisor';

// Clients never pass query operators: a filter value like {"$gt": ""} is wrapped in $eq.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);
// While the database is away, operations wait briefly and then fail (never a 2xx for an unstored write).
mongoose.set('bufferTimeoutMS', 3_000);

let embedded: SupervisedServer | undefined;

/**
 * Starts the embedded server under supervision (restarted on the same data and port when it exits
 * or hangs) and makes it the one this process's probes report on.
 */
export async function superviseDatabase(
  opts: { rootDir: string; dataDir: string; port?: number; progress?: (l: string) => void } & Partial<SupervisorOptions>,
): Promise<SupervisedServer> {
  const port = opts.port ?? (await freePort()); // fixed for every restart: the driver reconnects to it
  embedded = await superviseEmbeddedServer({ start: () => startEmbeddedServer({ ...opts, port }), ...opts });
  return embedded;
}

/** The URI of the configured server, starting the embedded one when MONGODB_URI is unset. */
export async function resolveDatabaseUri(progress?: (l: string) => void): Promise<string> {
  const cfg = config();
  if (cfg.MONGODB_URI) return cfg.MONGODB_URI;
  if (!embedded) {
    await superviseDatabase({ rootDir: cfg.rootDir, dataDir: cfg.dataDir, progress });
    logger.info({ kind: embedded!.kind, uri: embedded!.uri }, 'embedded database started');
  }
  return embedded!.uri;
}

/**
 * Liveness as far as the database goes: false only when the supervised embedded server is down and
 * its restarts keep failing, which this process cannot heal (an external MongoDB is the operator's).
 */
export function databaseLive(): boolean {
  return embedded?.healthy ?? true;
}

export async function connectDatabase(uri: string, dbName?: string): Promise<typeof mongoose> {
  await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: 5_000,
    writeConcern: { w: 'majority' },
    autoIndex: true,
  });
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  return mongoose;
}

/** Create every registered model's indexes (models registered after connect call this too). */
export async function ensureIndexes(): Promise<void> {
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
}

export async function pingDatabase(timeoutMs = 1_500): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1 || (embedded && embedded.state !== 'up')) return false;
  try {
    await Promise.race([db.admin().ping(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), timeoutMs).unref())]);
    return true;
  } catch {
    return false;
  }
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
  if (embedded) {
    await embedded.stop();
    embedded = undefined;
  }
}

type StringIdDoc = { _id: string } & mongoose.mongo.Document;

/** The native collection of a model whose _id is a string (the house rule for natural keys). */
export function rawCollection(model: { collection: unknown }): mongoose.mongo.Collection<StringIdDoc> {
  return model.collection as mongoose.mongo.Collection<StringIdDoc>;
}
