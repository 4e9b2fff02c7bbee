import multer from '@koa/multer';
import type { Context } from 'koa';
import { AppError } from '../../core/errors';
import { PHOTO_LIMITS, tooLarge } from './media.image';

export interface PhotoForm {
  fields: Record<string, unknown>;
  files: Buffer[];
}

/** Room for the text fields and multipart framing beside the photos. */
const FORM_OVERHEAD = 256 * 1024;

/**
 * Memory storage is safe here because busboy stops each file at the size limit: a request never
 * holds more than maxFiles × 10 MB, however much the client sends.
 */
function uploader(maxFiles: number) {
  return multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: PHOTO_LIMITS.maxBytes, files: maxFiles, fields: 20, fieldSize: 8 * 1024, parts: maxFiles + 20, fieldNameSize: 100 },
  }).array('photos', maxFiles);
}

function uploadError(err: unknown, maxFiles: number): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (code === 'LIMIT_FILE_SIZE') return tooLarge();
  if (code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE') {
    return new AppError('VALIDATION_FAILED', `最多上传 ${maxFiles} 张照片，且照片须放在 photos 字段`, [{ path: 'photos', message: `最多 ${maxFiles} 张` }]);
  }
  if (code.startsWith('LIMIT_')) return new AppError('VALIDATION_FAILED', '表单字段过多或过长');
  return new AppError('VALIDATION_FAILED', '上传内容不完整或格式有误，请重试');
}

export const isMultipart = (ctx: Context): boolean => Boolean(ctx.is('multipart/form-data'));

/**
 * Reads a multipart form with up to `maxFiles` photos in the `photos` field. A body announced as
 * larger than the photos could ever be is refused before a byte of it is read; a body without a
 * length is cut off by busboy at the first oversized photo (multer then drains and discards the rest).
 */
export async function readPhotoForm(ctx: Context, maxFiles: number): Promise<PhotoForm> {
  if (!isMultipart(ctx)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 表单上传照片');
  const announced = Number(ctx.get('content-length') || 0);
  if (announced > maxFiles * PHOTO_LIMITS.maxBytes + FORM_OVERHEAD) throw tooLarge();
  try {
    await uploader(maxFiles)(ctx as never, async () => undefined);
  } catch (err) {
    throw uploadError(err, maxFiles);
  }
  const files = Array.isArray(ctx.request.files) ? ctx.request.files : [];
  return { fields: { ...((ctx.request as { body?: Record<string, unknown> }).body ?? {}) }, files: files.map((f) => f.buffer) };
}
