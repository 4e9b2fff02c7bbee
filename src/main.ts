import type { Server } from 'node:http';
import { createApp } from './app';
import { config, ConfigError } from './config';
import { bootstrap } from './core/bootstrap';
import { disconnectDatabase } from './core/db';
import { logger } from './core/logger';
import { flushAudit } from './modules/audit';
import { ensureH5Build, serveH5 } from './modules/h5';
import { jobRunner } from './modules/jobs/jobs.service';
import { counterWriter } from './modules/stats/counter-writer';

/** Starts it all: database, content sync, HTTP, jobs, bot. */
async function main(): Promise<void> {
  let cfg;
  try {
    cfg = config();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(1);
    }
    throw err;
  }
  const progress = (l: string) => process.stderr.write(l + '\n');
  await ensureH5Build(cfg.rootDir, progress);
  await bootstrap({ progress });
  const app = createApp([serveH5()]);
  const server: Server = app.listen(cfg.PORT, cfg.HOST);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  logger.info({ port: cfg.PORT, host: cfg.HOST }, 'wenming listening');
  process.stderr.write(`wenming 已启动：http://localhost:${cfg.PORT}/h5/  (API: /api/v1, 健康检查: /readyz)\n`);
  // The WeChat bot joins this process only when a puppet is configured (one bot process per account).
  const bot = cfg.WECHATY_PUPPET ? await (await import('../bots/wechaty')).startWechatyBot() : undefined;
  // Every instance schedules the jobs; a lease per occurrence lets exactly one of them run it.
  if (cfg.JOBS_ENABLED) jobRunner().start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    await jobRunner().stop().catch((err) => logger.error({ err }, 'job runner stop failed'));
    await bot?.stop().catch((err) => logger.error({ err }, 'bot stop failed'));
    await counterWriter.stop().catch((err) => logger.error({ err }, 'final counter flush failed'));
    await flushAudit(); // the last requests' audit entries, before the connection closes
    await disconnectDatabase();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch(async (err) => {
  process.stderr.write(`启动失败 / start-up failed: ${(err as Error).message}\n`);
  await disconnectDatabase().catch(() => undefined);
  process.exit(1);
});
