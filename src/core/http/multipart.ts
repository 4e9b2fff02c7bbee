import multer from '@koa/multer';
import type { Context } from 'koa';
import { AppError } from '../errors';
import { requireIdentityEncoding } from './body';

export interface MultipartSpec {
  /** the field the files come in */
  field: string;
  maxFiles: number;
  maxFileBytes: number;
  /** counted noun for messages: "张照片", "个文件" */
  noun: string;
  /** the 413 to answer when one file is over maxFileBytes (default: a generic one) */
  tooLarge?: () => AppError;
}

export interface MultipartForm {
  fields: Record<string, unknown>;
  files: Buffer[];
}

/** Room for the text fields and multipart framing beside the files. */
const FORM_OVERHEAD = 256 * 1024;
const FIELD_LIMITS = { fields: 20, fieldSize: 8 * 1024, fieldNameSize: 100 };

export const isMultipart = (ctx: Context): boolean => Boolean(ctx.is('multipart/form-data'));

const payloadTooLarge = () => new AppError('PAYLOAD_TOO_LARGE', '请求内容过大');

/** What went wrong in busboy/multer, as the client's fault: never a 500. */
function multipartError(err: unknown, spec: MultipartSpec): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string } | null)?.code ?? '';
  if (code === 'LIMIT_FILE_SIZE') return (spec.tooLarge ?? payloadTooLarge)();
  if (code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE') {
    return new AppError('VALIDATION_FAILED', `最多上传 ${spec.maxFiles} ${spec.noun}，且须放在 ${spec.field} 字段`, [
      { path: spec.field, message: `最多 ${spec.maxFiles} ${spec.noun}` },
    ]);
  }
  if (code.startsWith('LIMIT_')) return new AppError('VALIDATION_FAILED', '表单字段过多或过长');
  // Malformed part headers, a missing or wrong boundary, a body cut short…
  return new AppError('INVALID_MULTIPART', '上传内容不完整或格式有误，请重试');
}

/**
 * The one multipart reader of every upload route. Memory storage is safe because busboy stops each
 * file at its size limit: a request never holds more than maxFiles × maxFileBytes, however much
 * the client sends. A body announced as larger than that is refused before a byte of it is read.
 */
export async function readMultipart(ctx: Context, spec: MultipartSpec): Promise<MultipartForm> {
  if (!isMultipart(ctx))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `请以 multipart/form-data 表单上传（字段名 ${spec.field}）`, {
      accepted: ['multipart/form-data'],
    });
  requireIdentityEncoding(ctx);
  const announced = Number(ctx.get('content-length') || 0);
  if (announced > spec.maxFiles * spec.maxFileBytes + FORM_OVERHEAD) throw (spec.tooLarge ?? payloadTooLarge)();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { ...FIELD_LIMITS, fileSize: spec.maxFileBytes, files: spec.maxFiles, parts: spec.maxFiles + FIELD_LIMITS.fields },
  }).array(spec.field, spec.maxFiles);
  try {
    await upload(ctx as never, async () => undefined);
  } catch (err) {
    throw multipartError(err, spec);
  }
  const files = Array.isArray(ctx.request.files) ? ctx.request.files : [];
  return { fields: { ...((ctx.request as { body?: Record<string, unknown> }).body ?? {}) }, files: files.map((f) => f.buffer) };
}
