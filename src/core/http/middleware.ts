import crypto from 'node:crypto';
import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { isDatabaseUnavailable } from '../db/unavailable';
import { AppError } from '../errors';
import { logger } from '../logger';
import { notReadyReason } from '../readiness';

/** Seconds a client is asked to wait before retrying when the database is away (Retry-After). */
export const DB_RETRY_AFTER_S = 5;

const dbUnavailable = () => new AppError('DB_UNAVAILABLE', '数据库暂时不可用，请稍后再试');

export async function requestId(ctx: Context, next: Next): Promise<void> {
  const incoming = ctx.get('x-request-id');
  const id = /^[\w-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  ctx.state.requestId = id;
  ctx.set('X-Request-Id', id);
  await next();
}

/**
 * `//` in a path counts as `/` (as nginx's merge_slashes does): clients that join a base URL ending in
 * a slash with a path starting with one (`/open311/v2/` + `/requests.json`) reach the route.
 */
export async function mergeSlashes(ctx: Context, next: Next): Promise<void> {
  if (ctx.path.includes('//')) ctx.path = ctx.path.replace(/\/{2,}/g, '/');
  await next();
}

/**
 * One JSON line per request: method, path (never the query: it may carry tokens), status, duration,
 * request id, and who — unless a route marked the request private (ctx.state.private, e.g. a
 * resident's tip-off requests: an anonymous report must not be traceable to its reporter by logs).
 */
export async function requestLog(ctx: Context, next: Next): Promise<void> {
  const start = process.hrtime.bigint();
  try {
    await next();
  } finally {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const auth = ctx.state.auth as { kind: string; residentId?: string; staffId?: string } | undefined;
    logger.info(
      {
        reqId: ctx.state.requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round(ms * 10) / 10,
        who: auth && !ctx.state.private ? (auth.residentId ?? auth.staffId) : undefined,
      },
      'request',
    );
  }
}

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
  code?: string;
}

/** Maps an error thrown anywhere below into the one JSON error body; never a stack trace. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as HttpishError;
  const status = e.status ?? e.statusCode;
  if (status === 413 || e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE')
    return new AppError('PAYLOAD_TOO_LARGE', '请求内容过大');
  // zlib (Z_DATA_ERROR, Z_BUF_ERROR…) while inflating a gzip/deflate/br body: the body is corrupt.
  if (/^Z_/.test(e.code ?? '')) return new AppError('INVALID_ENCODING', '请求体按 Content-Encoding 解压失败：压缩数据已损坏');
  if (e.type === 'encoding.unsupported' || (status === 415 && /Content-Encoding/i.test(e.message ?? '')))
    return new AppError('UNSUPPORTED_ENCODING', '不支持的内容编码：请求体只能是 gzip、deflate、br 或不压缩');
  if (e.type === 'entity.parse.failed' || (status === 400 && /JSON/i.test(e.message ?? '')))
    return new AppError('INVALID_JSON', '请求体不是有效的 JSON');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型');
  if (e.code && /^LIMIT_/.test(e.code)) return new AppError('VALIDATION_FAILED', '上传内容不符合要求：文件过多或字段过长');
  if (isDatabaseUnavailable(err)) return dbUnavailable();
  if (status && status >= 400 && status < 500) return new AppError('VALIDATION_FAILED', '请求无效');
  return new AppError('INTERNAL', '服务器内部错误');
}

/**
 * Clients under a path prefix that expect another error body than ours (Open311's error arrays, in
 * JSON or XML by the path's extension). It applies to every error of the prefix, also those raised
 * before any route runs: the request deadline, start-up, the body parser.
 */
export interface ErrorFormat {
  prefix: string;
  render: (ctx: Context, err: AppError) => void;
}

/** Turns every error thrown below into the one error body (or a prefix's own format); never a stack trace. */
export function errorHandlerWith(formats: readonly ErrorFormat[]): Middleware {
  return async function errorHandler(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('NOT_FOUND', '请求的地址不存在');
    } catch (err) {
      const appErr = toAppError(err);
      if (appErr.code === 'DB_UNAVAILABLE') {
        // Expected while the database restarts or the service starts: one line each, no stack.
        logger.warn(
          { reqId: ctx.state.requestId, path: ctx.path, cause: (err as Error)?.name, reason: (err as Error)?.message },
          'database unavailable',
        );
        ctx.set('Retry-After', String(DB_RETRY_AFTER_S));
      } else if (appErr.status >= 500) logger.error({ reqId: ctx.state.requestId, err }, 'request failed');
      // An over-long URL is refused before it is anyone's path (the HTTP parser refuses longer ones
      // the same way): always our body, as the OpenAPI document says of 414 everywhere.
      const format = appErr.code === 'URI_TOO_LONG' ? undefined : formats.find((f) => ctx.path.startsWith(f.prefix));
      if (format) return format.render(ctx, appErr);
      ctx.status = appErr.status;
      ctx.body = {
        error: { code: appErr.code, message: appErr.message, ...(appErr.details !== undefined ? { details: appErr.details } : {}) },
      };
    }
  };
}

export const errorHandler = errorHandlerWith([]);

/**
 * The last middleware, reached only when no route and no page answered. The path is looked up in
 * every router: known with other methods → 405 with Allow (OPTIONS → 204 with Allow); unknown →
 * 404. Any method, TRACE and WebDAV's included, so nothing unmatched ends as a 501 or a 5xx.
 */
export function unmatched(routers: Router[]): Middleware {
  return (ctx) => {
    const allowed = new Set<string>();
    for (const r of routers) for (const layer of r.match(ctx.path, ctx.method).path) for (const m of layer.methods) allowed.add(m);
    if (!allowed.size) throw new AppError('NOT_FOUND', '请求的地址不存在');
    ctx.set('Allow', [...allowed].join(', '));
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    throw new AppError('METHOD_NOT_ALLOWED', `此地址不支持 ${ctx.method.slice(0, 20)} 请求`, { allowed: [...allowed] });
  };
}

/**
 * Every request gets an answer within `ms`: past it, 503 DB_UNAVAILABLE with Retry-After (the only
 * thing that makes a request this slow is a stalled database; the driver alone would wait for the
 * whole stall). The work below keeps running and its late result or error is dropped, so a write
 * that lands after the deadline was answered 503: not acknowledged, and a retry meets its
 * idempotency guard. Mount it inside errorHandler.
 */
export function deadline(ms: () => number) {
  return async function requestDeadline(ctx: Context, next: Next): Promise<void> {
    const start = Date.now();
    let limit = ms();
    let timer: NodeJS.Timeout | undefined;
    let fire: (err: Error) => void = () => undefined;
    const late = new Promise<never>((_, reject) => (fire = reject));
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => fire(Object.assign(dbUnavailable(), { deadline: true })), Math.max(0, start + limit - Date.now()));
    };
    ctx.state.extendDeadline = (total: number) => {
      limit = Math.max(limit, total);
      arm();
    };
    arm();
    const work = next();
    try {
      await Promise.race([work, late]);
    } catch (err) {
      if ((err as { deadline?: boolean }).deadline) {
        logger.warn({ reqId: ctx.state.requestId, method: ctx.method, path: ctx.path, ms: limit }, 'request deadline passed');
        work.catch((lateErr: unknown) => logger.warn({ reqId: ctx.state.requestId, err: lateErr }, 'request failed after its deadline'));
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * For the few requests that wait on purpose for long work (an admin running a job now and waiting
 * for its end): this request's deadline becomes `totalMs` from its start.
 */
export function extendDeadline(ctx: Context, totalMs: number): void {
  (ctx.state.extendDeadline as ((ms: number) => void) | undefined)?.(totalMs);
}

/** Until the process is ready (see core/readiness.ts) the API answers 503; probes and H5 pages pass. */
export async function untilReady(ctx: Context, next: Next): Promise<void> {
  const reason = notReadyReason();
  if (reason && (ctx.path.startsWith('/api/') || ctx.path.startsWith('/open311/'))) throw new AppError('DB_UNAVAILABLE', reason);
  await next();
}
