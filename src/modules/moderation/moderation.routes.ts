import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import { z } from 'zod';
import { staffOf } from '../../core/auth';
import { notFound } from '../../core/errors';
import { route } from '../../core/http/route';
import { getMedia, mediaRoot } from '../media/media.service';
import {
  bulkApproveBody,
  bulkResult,
  decisionResult,
  moderationList,
  moderationListQuery,
  moderationParams,
  rejectBody,
} from './moderation.schema';
import { approveItem, approveMany, listItems, rejectItem } from './moderation.service';
import { mediaOfLink } from './moderation.wechat';

export const moderationRouter = new Router({ prefix: '/api/v1' });
const OFFICE = ['office', 'admin'] as const;

route(
  moderationRouter,
  {
    method: 'get',
    path: '/moderation/items',
    summary: '内容审核队列（待审核、图片审核中，或已通过/未通过的记录）',
    tags: ['moderation'],
    access: OFFICE,
    query: moderationListQuery,
    response: moderationList,
  },
  ({ query }) => listItems(query),
);

// Declared before /:id routes so "approve" is never read as an id.
route(
  moderationRouter,
  {
    method: 'post',
    path: '/moderation/items/approve',
    summary: '批量通过内容审核',
    tags: ['moderation'],
    access: OFFICE,
    body: bulkApproveBody,
    response: bulkResult,
  },
  ({ auth, body }) => approveMany(body.ids, staffOf(auth)),
);

route(
  moderationRouter,
  {
    method: 'post',
    path: '/moderation/items/:id/approve',
    summary: '内容审核通过（公开）',
    tags: ['moderation'],
    access: OFFICE,
    params: moderationParams,
    response: decisionResult,
    errors: [409],
  },
  async ({ auth, params }) => {
    const done = await approveItem(params.id, staffOf(auth));
    return { id: done._id, status: done.status };
  },
);

route(
  moderationRouter,
  {
    method: 'post',
    path: '/moderation/items/:id/reject',
    summary: '内容审核不通过（继续隐藏，随手拍不予受理）',
    tags: ['moderation'],
    access: OFFICE,
    params: moderationParams,
    body: rejectBody,
    response: decisionResult,
    errors: [409],
  },
  async ({ auth, params, body }) => {
    const done = await rejectItem(params.id, staffOf(auth), body.reason);
    return { id: done._id, status: done.status };
  },
);

/** Photos for WeChat's checker only: a signed link that expires, no session. */
export const moderationMediaRouter = new Router();
route(
  moderationMediaRouter,
  {
    method: 'get',
    path: '/moderation/media/:token',
    summary: '供微信图片审核下载的照片（签名链接，24 小时有效）',
    tags: ['moderation'],
    access: 'public',
    params: z.object({ token: z.string().max(120) }),
    produces: 'image/jpeg',
  },
  async ({ ctx, params }) => {
    const id = mediaOfLink(params.token);
    const doc = id ? await getMedia(id) : undefined;
    const file = doc ? path.join(mediaRoot(), doc.file) : undefined;
    if (!file || !fs.existsSync(file)) throw notFound('图片');
    ctx.state.private = true;
    ctx.type = 'image/jpeg';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = fs.createReadStream(file);
  },
);
