import type { Metadata } from 'sharp';
import { AppError } from '../../core/errors';
import { loadSharp } from '../../core/lazy';

/** What a resident's photo may be. 10 MB is more than any phone camera JPEG; 40 MP covers 8000×5000. */
export const PHOTO_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxPixels: 40_000_000,
  /** longest edge kept: enough to read a licence plate, small enough for phone networks */
  maxEdge: 2048,
  thumbEdge: 360,
} as const;

export type ImageKind = 'jpeg' | 'png' | 'webp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image type by its first bytes (magic numbers): never by file name or Content-Type. */
export function sniffImage(buf: Buffer): ImageKind | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

export const notAnImage = (which = '文件') => new AppError('INVALID_FILE', `${which}不是有效的图片：仅支持 JPEG、PNG、WebP 格式的照片`);
export const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `照片过大：每张照片不能超过 ${PHOTO_LIMITS.maxBytes / 1024 / 1024} MB`);

export interface ProcessedPhoto {
  full: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

/**
 * Checks and re-encodes an uploaded photo: magic bytes, then a decode by sharp with the pixel
 * limit (a decompression bomb stops at the header), then a fresh JPEG. sharp writes no metadata
 * unless asked, so EXIF (GPS included), XMP and IPTC are gone; `rotate()` first applies the EXIF
 * orientation so the stripped photo still stands upright.
 */
export async function processPhoto(buf: Buffer, which?: string): Promise<ProcessedPhoto> {
  if (buf.length > PHOTO_LIMITS.maxBytes) throw tooLarge();
  const kind = sniffImage(buf);
  if (!kind) throw notAnImage(which);
  const input = { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'error' as const };
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(buf, input).metadata();
  } catch {
    throw new AppError('INVALID_FILE', `${which ?? '图片'}已损坏或无法识别，请重新拍摄`);
  }
  if (meta.format !== kind) throw notAnImage(which);
  if ((meta.width ?? 0) * (meta.height ?? 0) > PHOTO_LIMITS.maxPixels) {
    throw new AppError('INVALID_FILE', `${which ?? '图片'}像素过大（最多 ${PHOTO_LIMITS.maxPixels / 1_000_000} 百万像素），请压缩后再上传`);
  }
  try {
    const upright = sharp(buf, input).rotate().flatten({ background: '#ffffff' });
    const fit = (edge: number) => ({ width: edge, height: edge, fit: 'inside' as const, withoutEnlargement: true });
    const [full, thumb] = await Promise.all([
      upright.clone().resize(fit(PHOTO_LIMITS.maxEdge)).jpeg({ quality: 82, mozjpeg: true }).toBuffer({ resolveWithObject: true }),
      upright.clone().resize(fit(PHOTO_LIMITS.thumbEdge)).jpeg({ quality: 75 }).toBuffer(),
    ]);
    return { full: full.data, thumb, width: full.info.width, height: full.info.height };
  } catch {
    throw new AppError('INVALID_FILE', `${which ?? '图片'}已损坏或无法识别，请重新拍摄`);
  }
}
