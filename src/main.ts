import type { Server } from 'node:http';
import { createApp } from './app';
import { config, ConfigError } from './config';
import { bootstrap } from './bootstrap';
import { disconnectDatabase } from './core/db';
import { listen } from './core/http/server';
import { logger } from './core/logger';
import { notReady, ready } from './core/readiness';
import { ensureH5Build, serveH5 } from './modules/h5';
import { startWecomSender } from './modules/notices';
import { createNoticeSender } from './modules/outbox';

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
  // Listening before the database is up: /healthz says the process lives (through a first-run
  // FerretDB build or a counter rebuild), /readyz and the API answer 503 until bootstrap is done.
  notReady('服务正在启动，请稍后再试');
  const app = createApp([serveH5()]);
  const server: Server = listen(app, cfg.PORT, cfg.HOST);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  logger.info({ port: cfg.PORT, host: cfg.HOST }, 'wenming listening');
  // Every instance schedules the jobs; a lease per occurrence lets exactly one of them run it.
  const started = await bootstrap({ progress, trackRun: true, jobs: cfg.JOBS_ENABLED });
  ready();
  process.stderr.write(`wenming 已启动：http://localhost:${cfg.PORT}/h5/  (API: /api/v1, 健康检查: /readyz)\n`);
  // The WeChat bot joins this process only when a puppet is configured (one bot process per account).
  const bot = cfg.WECHATY_PUPPET ? await (await import('../bots/wechaty')).startWechatyBot() : undefined;
  // The Official Account channel answers at /wechat/mp on every instance (WeChat pushes to any of them).
  const mp = cfg.WECHAT_MP_APP_ID ? (await import('../bots/mp')).startMpChannel() : undefined;
  if (!mp) logger.info('wechat official account channel off (WECHAT_MP_APP_ID unset): /wechat/mp answers 404');
  if (!cfg.WECHAT_MINI_APP_ID) logger.info('mini-program notices off (WECHAT_MINI_APP_ID unset): no 订阅消息');
  // Template and subscription notices go from every instance; claiming a message by _id sends it once.
  const notices = cfg.WECHAT_MP_APP_ID || cfg.WECHAT_MINI_APP_ID ? createNoticeSender() : undefined;
  notices?.start();
  const wecom = cfg.WECOM_WEBHOOK_URL ? startWecomSender() : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await closeServer(server, cfg.REQUEST_DEADLINE_MS + 1_000);
    await bot?.stop().catch((err) => logger.error({ err }, 'bot stop failed'));
    await mp?.stop().catch((err) => logger.error({ err }, 'official account channel stop failed'));
    await notices?.stop().catch((err) => logger.error({ err }, 'notice sender stop failed'));
    await wecom?.stop().catch((err) => logger.error({ err }, 'wecom sender stop failed'));
    // jobs, the last counter flush, the run marker, audit entries, the connection (see bootstrap.ts)
    await started.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Stops accepting and waits for requests in flight (at most `graceMs`), so their acts are flushed too. */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

main().catch(async (err) => {
  process.stderr.write(`启动失败 / start-up failed: ${(err as Error).message}\n`);
  await disconnectDatabase().catch(() => undefined);
  process.exit(1);
});
