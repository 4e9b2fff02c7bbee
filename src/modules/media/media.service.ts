import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { trusted } from 'mongoose';
import { config } from '../../config';
import type { Principal } from '../../core/auth';
import { AppError, notFound, unauthenticated } from '../../core/errors';
import { now } from '../../core/time';
import { mediaAccessRule } from '../manifest';
import { processPhoto } from './media.image';
import { Media, type MediaDoc } from './media.model';
import type { PhotoView } from './media.schema';

export type { MediaDoc };

/** Who uploaded a photo: a resident, a staff member, or a city system (never shown to anyone). */
export interface Uploader {
  kind: 'resident' | 'staff' | 'system';
  id: string;
}
export interface MediaOwner {
  kind: string;
  id: string;
}

export const uploaderOf = (p: Principal): Uploader =>
  p.kind === 'resident' ? { kind: 'resident', id: p.residentId } : { kind: 'staff', id: p.staffId };

export function mediaRoot(): string {
  return path.join(config().dataDir, 'media');
}

export function photoView(id: string): PhotoView {
  return { id, url: `/media/${id}`, thumbUrl: `/media/${id}/thumb` };
}

/**
 * Checks, re-encodes and stores one photo under a server-made name (DATA_DIR/media/<yyyy-mm>/<id>.jpg
 * and <id>_thumb.jpg) as a draft of its uploader. `which` names it in errors ("第 2 张照片").
 */
export async function storePhoto(buf: Buffer, uploader: Uploader, which?: string): Promise<MediaDoc> {
  const photo = await processPhoto(buf, which);
  const id = crypto.randomBytes(12).toString('hex');
  const createdAt = now();
  const dir = createdAt.toISOString().slice(0, 7);
  const file = path.join(dir, `${id}.jpg`);
  const thumbFile = path.join(dir, `${id}_thumb.jpg`);
  fs.mkdirSync(path.join(mediaRoot(), dir), { recursive: true, mode: 0o750 });
  fs.writeFileSync(path.join(mediaRoot(), file), photo.full, { flag: 'wx', mode: 0o640 });
  fs.writeFileSync(path.join(mediaRoot(), thumbFile), photo.thumb, { flag: 'wx', mode: 0o640 });
  const doc: MediaDoc = {
    _id: id,
    status: 'draft',
    uploader,
    owner: null,
    file,
    thumbFile,
    width: photo.width,
    height: photo.height,
    bytes: photo.full.length,
    createdAt,
    attachedAt: null,
  };
  await Media.create(doc);
  return doc;
}

export async function storePhotos(bufs: Buffer[], uploader: Uploader): Promise<MediaDoc[]> {
  const out: MediaDoc[] = [];
  // One at a time: sharp already uses every core, and a bad second photo stops before the third.
  for (const [i, buf] of bufs.entries()) out.push(await storePhoto(buf, uploader, bufs.length > 1 ? `第 ${i + 1} 张照片` : '照片'));
  return out;
}

export async function getMedia(id: string): Promise<MediaDoc | undefined> {
  return (await Media.findById(id).lean<MediaDoc>()) ?? undefined;
}

/**
 * The drafts a caller may attach: each must exist, be the uploader's own and not yet attached.
 * Point reads in parallel (an `$in` filter would scan the collection on FerretDB).
 */
export async function requireOwnDrafts(ids: string[], uploader: Uploader): Promise<MediaDoc[]> {
  const docs = await Promise.all([...new Set(ids)].map((id) => getMedia(id)));
  docs.forEach((d, i) => {
    if (!d || d.uploader.kind !== uploader.kind || d.uploader.id !== uploader.id)
      throw new AppError('VALIDATION_FAILED', `照片 ${ids[i]} 不存在`, [{ path: 'photos', message: '照片不存在或已失效，请重新上传' }]);
    if (d.status !== 'draft')
      throw new AppError('VALIDATION_FAILED', '照片已被使用，请重新上传', [{ path: 'photos', message: '照片已被使用' }]);
  });
  return docs as MediaDoc[];
}

/** Hands drafts to their owner (e.g. a tip-off); from then on the owner's access rule applies. */
export async function attachMedia(ids: string[], owner: MediaOwner): Promise<void> {
  const at = now();
  await Promise.all(ids.map((id) => Media.updateOne({ _id: id }, { $set: { status: 'attached', owner, attachedAt: at } })));
}

/** The file of a photo the caller may see; 404 for anyone else (existence is not revealed). */
export async function openMediaFile(id: string, who: Principal | undefined, variant: 'full' | 'thumb'): Promise<string> {
  if (!who) throw unauthenticated();
  const doc = await getMedia(id);
  if (!doc) throw notFound('图片');
  const own = (who.kind === 'resident' ? who.residentId : who.staffId) === doc.uploader.id && doc.uploader.kind === who.kind;
  // An owning module declares who may see its photos in its manifest (`mediaAccess`).
  const rule = doc.owner ? mediaAccessRule(doc.owner.kind) : undefined;
  const allowed = doc.owner ? Boolean(rule && (await rule.mayView(doc.owner.id, who))) : own;
  if (!allowed) throw notFound('图片');
  const file = path.join(mediaRoot(), variant === 'thumb' ? doc.thumbFile : doc.file);
  if (!fs.existsSync(file)) throw notFound('图片');
  return file;
}

/** Photos an owner of `ownerKind` has held since before `cutoff` (its retention rule decides on them). */
export async function attachedMediaBefore(ownerKind: string, cutoff: Date): Promise<MediaDoc[]> {
  const due = await Media.find({ status: 'attached', createdAt: trusted({ $lt: cutoff }) }).lean<MediaDoc[]>();
  return due.filter((m) => m.owner?.kind === ownerKind);
}

/** Deletes a photo's files and record (draft cleanup, retention). */
export async function deleteMedia(doc: MediaDoc): Promise<void> {
  for (const f of [doc.file, doc.thumbFile]) fs.rmSync(path.join(mediaRoot(), f), { force: true });
  await Media.deleteOne({ _id: doc._id });
}
