import { config } from './config';
import { connectDatabase, disconnectDatabase, resolveDatabaseUri } from './core/db';
import { isDuplicateKey } from './core/errors';
import { useSharedRateLimits } from './core/http/rate-limit';
import { logger } from './core/logger';
import { beginRun, type RunMarker } from './core/run-marker';
import { modules } from './modules';
import { flushAudit } from './modules/audit';
import { jobRunner } from './modules/jobs';
import { recoverCounters } from './modules/maintenance';
import { installModules } from './modules/manifest';
import { ensureFirstAdmin } from './modules/staff';
import { counterWriter } from './modules/counters';

// The manifest's readers (jobs, retention, media access, participation kinds, the bot) see the
// module list from the first import of the start-up on, before anything connects.
installModules(modules);

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

export interface Started {
  /**
   * Stops what bootstrap started, in order: the job schedules, the counter writer's last flush,
   * the run marker (ended only if every counter delta reached the database, otherwise the next
   * start finds this run unfinished and rebuilds the counters), the audit entries, the connection.
   */
  stop(): Promise<void>;
}

export interface BootstrapOptions {
  dbName?: string;
  uri?: string;
  progress?: (l: string) => void;
  /** the service only: record this run, rebuilding counters after an unclean stop (trackRun above) */
  trackRun?: boolean;
  /** start the modules' job schedules (each occurrence leased, so every instance may) */
  jobs?: boolean;
}

/**
 * Connects (starting the embedded server when MONGODB_URI is unset), loads content and caches,
 * creates the first admin and starts the counter writer: what the service, bot and scripts share.
 */
export async function bootstrap(opts: BootstrapOptions = {}): Promise<Started> {
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
  if (opts.jobs) jobRunner().start();
  return { stop: () => stopAll(run, Boolean(opts.jobs)) };
}

async function stopAll(run: RunMarker | undefined, jobs: boolean): Promise<void> {
  if (jobs)
    await jobRunner()
      .stop()
      .catch((err) => logger.error({ err }, 'job runner stop failed'));
  const flushed = await counterWriter.stop().then(
    () => true,
    (err: unknown) => {
      logger.error({ err }, 'final counter flush failed');
      return false;
    },
  );
  if (flushed) await run?.end().catch((err) => logger.error({ err }, 'could not mark the run as stopped'));
  await flushAudit(); // the last requests' audit entries, before the connection closes
  await disconnectDatabase();
}
