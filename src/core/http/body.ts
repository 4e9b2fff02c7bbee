import type { Context } from 'koa';
import { AppError } from '../errors';

/** Media types the short names of `RouteSpec.consumes` stand for, as type-is understands them. */
const JSON_TYPES = ['application/json'];

/** Whether the request carries a body at all: a non-zero length, or chunks of unknown length. */
export function hasBody(ctx: Context): boolean {
  if (ctx.get('transfer-encoding')) return true;
  return Number(ctx.get('content-length') || 0) > 0;
}

/**
 * Refuses a body of another media type than the route reads (415 UNSUPPORTED_MEDIA_TYPE): the body
 * parser would otherwise skip it and the route would act on an empty body, answering 200 to a
 * request that changed nothing. A Content-Type without a body is refused too; no body and no
 * Content-Type is an empty body.
 */
export function requireContentType(ctx: Context, accepted: readonly string[] = JSON_TYPES): void {
  const announced = ctx.get('content-type');
  if (!announced && !hasBody(ctx)) return;
  if (announced && ctx.is(...accepted)) return;
  throw new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `不支持的请求内容类型${announced ? `（${announced.slice(0, 100)}）` : ''}，请以 ${accepted.join(' 或 ')} 提交`,
    { accepted },
  );
}

/** Bodies the service reads from the raw stream itself (multipart) arrive without Content-Encoding. */
export function requireIdentityEncoding(ctx: Context): void {
  const encoding = ctx.get('content-encoding').trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw new AppError('UNSUPPORTED_ENCODING', `不支持的内容编码（${encoding.slice(0, 40)}），上传文件请不要压缩请求体`);
}
