import type { Context } from 'koa';
import { readMultipart, type MultipartForm } from '../../core/http/multipart';
import { PHOTO_LIMITS, tooLarge } from './media.image';

export type PhotoForm = MultipartForm;
export { isMultipart } from '../../core/http/multipart';

/** Reads a multipart form with up to `maxFiles` photos in the `photos` field. */
export function readPhotoForm(ctx: Context, maxFiles: number): Promise<PhotoForm> {
  return readMultipart(ctx, { field: 'photos', maxFiles, maxFileBytes: PHOTO_LIMITS.maxBytes, noun: '张照片', tooLarge });
}
