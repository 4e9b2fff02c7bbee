import fs from 'node:fs';
import Router from '@koa/router';
import { z } from 'zod';
import type { Context } from 'koa';
import { AppError, unauthenticated } from '../../core/errors';
import { route } from '../../core/http/route';
import { mediaParams, photoSchema } from './media.schema';
import { openMediaFile, photoView, storePhotos, uploaderOf } from './media.service';
import { readPhotoForm } from './media.upload';

export const mediaRouter = new Router();

function sendJpeg(ctx: Context, file: string): void {
  ctx.type = 'image/jpeg';
  // Private: a shared cache must never hand one person's photo to another.
  ctx.set('Cache-Control', 'private, max-age=3600');
  ctx.set('Content-Disposition', 'inline');
  ctx.body = fs.createReadStream(file);
}

route(
  mediaRouter,
  {
    method: 'get',
    path: '/media/:id',
    summary: '照片（仅限有权查看其所属随手拍的人）',
    tags: ['media'],
    access: 'public',
    params: mediaParams,
    produces: 'image/jpeg',
    errors: [401],
  },
  async ({ ctx, params, auth }) => {
    ctx.state.private = true;
    sendJpeg(ctx, await openMediaFile(params.id, auth, 'full'));
  },
);

route(
  mediaRouter,
  {
    method: 'get',
    path: '/media/:id/thumb',
    summary: '照片缩略图',
    tags: ['media'],
    access: 'public',
    params: mediaParams,
    produces: 'image/jpeg',
    errors: [401],
  },
  async ({ ctx, params, auth }) => {
    ctx.state.private = true;
    sendJpeg(ctx, await openMediaFile(params.id, auth, 'thumb'));
  },
);

/** Uploads photos ahead of the action that uses them (e.g. a unit's after-photo, then "rectify"). */
route(
  mediaRouter,
  {
    method: 'post',
    path: '/api/v1/media',
    summary: '上传照片（multipart：photos，1–3 张 JPEG/PNG/WebP，每张 ≤ 10 MB），得到草稿照片编号，供随手拍提交或整改时引用',
    tags: ['media'],
    // Residents too: the mini-program's wx.uploadFile sends one file per request.
    access: 'public',
    consumes: 'multipart/form-data',
    response: z.object({ items: z.array(photoSchema) }),
    status: 201,
    errors: [401],
    rateLimit: { name: 'media-upload', max: 60, windowMs: 60_000 },
  },
  async ({ ctx, auth }) => {
    if (!auth) throw unauthenticated();
    const form = await readPhotoForm(ctx, 3);
    if (!form.files.length) throw new AppError('VALIDATION_FAILED', '请至少上传 1 张照片', [{ path: 'photos', message: '请上传照片' }]);
    const docs = await storePhotos(form.files, uploaderOf(auth));
    return { items: docs.map((d) => photoView(d._id)) };
  },
);
