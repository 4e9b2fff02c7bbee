import { config } from '../config';
import { modules } from '../modules';
import { ensureFirstAdmin } from '../modules/staff/staff.service';
import { recoverCounters } from '../modules/maintenance/maintenance.recover';
import { counterWriter } from '../modules/counters';
import { connectDatabase, resolveDatabaseUri } from './db';
import { isDuplicateKey } from './errors';
import { useSharedRateLimits } from './http/rate-limit';
import { logger } from './logger';
import { beginRun, type RunMarker } from './run-marker';

/** Upserts every module's content/ files, in module order (regions before what refers to them). */
export async function syncContent(): Promise<string[]> {
  const lines: string[] = [];
  for (const m of modules) if (m.syncContent) lines.push(await againOnDuplicate(m.syncContent));
  return lines;
}

/**
 * Instances started together sync the same content at once. An upsert is not atomic on FerretDB:
 * two of them can both insert, and the later fails with a duplicate key. The document is there
 * then, and a sync is idempotent, so the sync runs again and updates it.
 */
async function againOnDuplicate<T>(sync: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await sync();
    } catch (err) {
      if (!isDuplicateKey(err) || i >= attempts) throw err;
      logger.info({ attempt: i }, 'content synced by another instance at the same time; syncing again');
    }
  }
}

export async function initModules(): Promise<void> {
  for (const m of modules) await m.init?.();
}

/**
 * The service records itself as running and, if a previous run did not stop gracefully, rebuilds
 * the counters it may have left short before it records anything itself. Only at start: a rebuild
 * while instances record would lose their acts of those seconds (see docs/RELIABILITY.md).
 */
async function trackRun(sole: boolean): Promise<RunMarker> {
  const run = await beginRun({ sole });
  const unclean = await run.uncleanRuns();
  if (unclean.length) {
    await recoverCounters(unclean);
    await run.settle(unclean);
  }
  run.beat();
  return run;
}

/**
 * Connects (starting the embedded server when MONGODB_URI is unset), loads content and caches,
 * creates the first admin and starts the counter writer: what the service, bot and scripts share.
 * `trackRun` (the service only): see trackRun above; returns the run marker to end at a graceful stop.
 */
export async function bootstrap(opts: { dbName?: string; uri?: string; progress?: (l: string) => void; trackRun?: boolean } = {}): Promise<RunMarker | undefined> {
  const uri = opts.uri ?? (await resolveDatabaseUri(opts.progress));
  await connectDatabase(uri, opts.dbName);
  await initModules();
  const synced = await syncContent();
  logger.info({ synced }, 'content loaded');
  const cfg = config();
  const admin = await ensureFirstAdmin(cfg.ADMIN_USERNAME, cfg.ADMIN_PASSWORD);
  if (admin) logger.info({ username: admin }, 'first admin created');
  // The embedded database serves this process alone: every other run recorded on it is over, and
  // rate-limit budgets can stay in memory. On a given database other instances may share them.
  const sole = !opts.uri && !cfg.MONGODB_URI;
  useSharedRateLimits(!sole);
  const run = opts.trackRun ? await trackRun(sole) : undefined;
  counterWriter.start();
  return run;
}
