import bodyParser from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import helmet from 'koa-helmet';
import { z } from 'zod';
import { config } from './config';
import { authenticate } from './core/auth';
import { databaseLive, pingDatabase } from './core/db';
import { AppError } from './core/errors';
import { notReadyReason } from './core/readiness';
import { deadline, errorHandlerWith, mergeSlashes, requestId, requestLog, unmatched, untilReady } from './core/http/middleware';
import { buildOpenApi } from './core/http/openapi';
import { route } from './core/http/route';
import { limitUrl } from './core/http/server';
import { modules } from './modules';

export const JSON_LIMIT = '256kb';

function systemRouter(): Router {
  const r = new Router();
  route(
    r,
    {
      method: 'get',
      path: '/healthz',
      summary: '进程存活',
      tags: ['health'],
      access: 'public',
      response: z.object({ status: z.literal('ok') }),
    },
    () => {
      // Alive unless the embedded database is down for good: then only a restart of the process helps.
      if (!databaseLive()) throw new AppError('DB_UNAVAILABLE', '数据库多次重启失败，服务需要重启');
      return { status: 'ok' as const };
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/readyz',
      summary: '数据库可用',
      tags: ['health'],
      access: 'public',
      response: z.object({ status: z.literal('ready') }),
    },
    async () => {
      const starting = notReadyReason();
      if (starting) throw new AppError('DB_UNAVAILABLE', starting);
      if (!(await pingDatabase())) throw new AppError('DB_UNAVAILABLE', '数据库暂时不可用');
      return { status: 'ready' as const };
    },
  );
  r.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = buildOpenApi();
  });
  return r;
}

/** Builds the Koa app from the module list. Extra routers (e.g. H5 static pages) mount last. */
export function createApp(extra: Koa.Middleware[] = []): Koa {
  const app = new Koa({ proxy: config().TRUST_PROXY });
  app.use(requestId);
  app.use(requestLog);
  app.use(errorHandlerWith(modules.flatMap((m) => (m.errorFormat ? [m.errorFormat] : []))));
  app.use(limitUrl);
  app.use(mergeSlashes);
  app.use(deadline(() => config().REQUEST_DEADLINE_MS));
  app.use(untilReady);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          // the enumerators' offline work page registers /h5/field-sw.js (same origin only)
          workerSrc: ["'self'"],
          // Plain HTTP on a LAN or localhost must keep working; TLS is the proxy's job.
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: config().NODE_ENV === 'production',
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    bodyParser({
      enableTypes: ['json', 'form'],
      jsonLimit: JSON_LIMIT,
      formLimit: JSON_LIMIT,
      // JSON.parse keeps "__proto__" as an own key; zod then drops unknown keys.
      onError: (err) => {
        throw err;
      },
    }),
  );
  app.use(authenticate);
  const routers = [systemRouter(), ...modules.flatMap((m) => m.routers ?? [])];
  for (const r of routers) app.use(r.routes());
  for (const m of modules) if (m.fallback) app.use(m.fallback);
  for (const mw of extra) app.use(mw);
  app.use(unmatched(routers));
  return app;
}
