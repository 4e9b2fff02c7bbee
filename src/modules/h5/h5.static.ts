import fs from 'node:fs';
import path from 'node:path';
import { Stream } from 'node:stream';
import type { Middleware } from 'koa';
import serve from 'koa-static';
import { config } from '../../config';
import { AppError } from '../../core/errors';
import { h5Paths } from './h5.build';

const PREFIX = '/h5';

/**
 * Cache rules: Vite names assets by content hash, so they never change and are cached for a year;
 * index.html names the current assets, so browsers (WeChat's included) revalidate it every time.
 */
function cacheHeaders(res: { setHeader(name: string, value: string): void }, file: string): void {
  const base = path.basename(file).replace(/\.(br|gz)$/, '');
  const hashed = file.split(path.sep).includes('assets');
  res.setHeader(
    'Cache-Control',
    hashed ? 'public, max-age=31536000, immutable' : base.endsWith('.html') ? 'no-cache' : 'public, max-age=3600',
  );
  res.setHeader('Vary', 'Accept-Encoding');
}

/**
 * Serves the built H5 pages under /h5/ (precompressed .br/.gz when the browser accepts them, 304 on
 * revalidation). Mounted after the API routers; /h5/link and /h5/oauth/* are routes, not files.
 */
export function serveH5(dist = h5Paths(config().rootDir).dist): Middleware {
  const files = serve(dist, { index: 'index.html', brotli: true, gzip: true, setHeaders: cacheHeaders });
  const index = path.join(dist, 'index.html');
  return async (ctx, next) => {
    if (ctx.path === PREFIX) return ctx.redirect(`${PREFIX}/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
    if (!ctx.path.startsWith(`${PREFIX}/`)) return next();
    if (ctx.path === `${PREFIX}/` && !fs.existsSync(index))
      throw new AppError('NOT_FOUND', 'H5 页面尚未构建：请运行 npm run h5:build 后刷新');
    // koa-static serves from the path root; present it the path below /h5 and restore it after.
    const original = ctx.path;
    ctx.path = original.slice(PREFIX.length);
    try {
      await files(ctx, async () => {
        ctx.path = original;
        await next();
      });
    } finally {
      ctx.path = original;
    }
    if (ctx.status === 200 && ctx.fresh) {
      if (ctx.body instanceof Stream) (ctx.body as Stream & { destroy(): void }).destroy();
      ctx.status = 304;
    }
  };
}
