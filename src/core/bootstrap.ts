import { config } from '../config';
import { modules } from '../modules';
import { ensureFirstAdmin } from '../modules/staff/staff.service';
import { counterWriter } from '../modules/stats/counter-writer';
import { connectDatabase, resolveDatabaseUri } from './db';
import { logger } from './logger';

/** Upserts every module's content/ files, in module order (regions before what refers to them). */
export async function syncContent(): Promise<string[]> {
  const lines: string[] = [];
  for (const m of modules) if (m.syncContent) lines.push(await m.syncContent());
  return lines;
}

export async function initModules(): Promise<void> {
  for (const m of modules) await m.init?.();
}

/**
 * Connects (starting the embedded server when MONGODB_URI is unset), loads content and caches,
 * creates the first admin and starts the counter writer: what the service, bot and scripts share.
 */
export async function bootstrap(opts: { dbName?: string; uri?: string; progress?: (l: string) => void } = {}): Promise<void> {
  const uri = opts.uri ?? (await resolveDatabaseUri(opts.progress));
  await connectDatabase(uri, opts.dbName);
  await initModules();
  const synced = await syncContent();
  logger.info({ synced }, 'content loaded');
  const cfg = config();
  const admin = await ensureFirstAdmin(cfg.ADMIN_USERNAME, cfg.ADMIN_PASSWORD);
  if (admin) logger.info({ username: admin }, 'first admin created');
  counterWriter.start();
}
