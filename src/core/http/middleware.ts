import crypto from 'node:crypto';
import type { Context, Next } from 'koa';
import { AppError } from '../errors';
import { logger } from '../logger';

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
      { reqId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10, who: auth && !ctx.state.private ? auth.residentId ?? auth.staffId : undefined },
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

/** Maps an error thrown anywhere below into the API.md error body; never a stack trace. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as HttpishError;
  const status = e.status ?? e.statusCode;
  if (status === 413 || e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE') return new AppError('PAYLOAD_TOO_LARGE', '请求内容过大');
  if (e.type === 'entity.parse.failed' || (status === 400 && /JSON/i.test(e.message ?? ''))) return new AppError('INVALID_JSON', '请求体不是有效的 JSON');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型');
  if (e.code && /^LIMIT_/.test(e.code)) return new AppError('VALIDATION_FAILED', '上传内容不符合要求：文件过多或字段过长');
  const name = (err as Error | undefined)?.name ?? '';
  // The driver lets a bare socket error through when the server dies mid-write (EPIPE: "This socket
  // has been ended by the other party"); it means the same as a MongoNetworkError.
  const socketGone = /^(EPIPE|ECONNRESET|ECONNREFUSED)$/.test(e.code ?? '');
  if (socketGone || /MongoServerSelectionError|MongoNetworkError|MongoNotConnectedError|MongoTopologyClosedError/.test(name) || /Client must be connected|buffering timed out/.test(e.message ?? '')) {
    return new AppError('DB_UNAVAILABLE', '数据库暂时不可用，请稍后再试');
  }
  if (status && status >= 400 && status < 500) return new AppError('VALIDATION_FAILED', '请求无效');
  return new AppError('INTERNAL', '服务器内部错误');
}

export async function errorHandler(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) throw new AppError('NOT_FOUND', '请求的地址不存在');
  } catch (err) {
    const appErr = toAppError(err);
    if (appErr.status >= 500) logger.error({ reqId: ctx.state.requestId, err }, 'request failed');
    ctx.status = appErr.status;
    ctx.body = { error: { code: appErr.code, message: appErr.message, ...(appErr.details !== undefined ? { details: appErr.details } : {}) } };
  }
}
