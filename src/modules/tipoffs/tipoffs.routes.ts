import Router from '@koa/router';
import type { Context } from 'koa';
import { residentOf, staffOf, type Principal } from '../../core/auth';
import { unauthenticated } from '../../core/errors';
import { requireContentType } from '../../core/http/body';
import { route } from '../../core/http/route';
import { parse } from '../../core/validate';
import { storePhotos, uploaderOf } from '../media/media.service';
import { isMultipart, readPhotoForm, type PhotoForm } from '../media/media.upload';
import { listMyTipoffs, listTipoffs } from './tipoffs.lists';
import {
  listQuerySchema,
  mineQuerySchema,
  submitTipoffSchema,
  tipoffListSchema,
  tipoffParams,
  tipoffViewSchema,
  transitionSchema,
} from './tipoffs.schema';
import { getTipoffView, MAX_PHOTOS, presentFor, submitTipoff } from './tipoffs.service';
import { transitionTipoff } from './tipoffs.transitions';
import { registerTriageRoutes } from './tipoffs.triage.routes';

export const tipoffsRouter = new Router({ prefix: '/api/v1' });

/** A multipart form (photos as files) or a JSON body (photos as ids uploaded with POST /api/v1/media). */
async function readForm(ctx: Context): Promise<PhotoForm> {
  if (isMultipart(ctx)) return readPhotoForm(ctx, MAX_PHOTOS);
  requireContentType(ctx, ['application/json', 'multipart/form-data']);
  return { fields: { ...((ctx.request as { body?: Record<string, unknown> }).body ?? {}) }, files: [] };
}

/** A resident's tip-off requests are not logged with their id: an anonymous report stays anonymous in logs. */
function keepPrivate(ctx: Context, auth: Principal | undefined): void {
  if (auth?.kind === 'resident') ctx.state.private = true;
}

route(
  tipoffsRouter,
  {
    method: 'post',
    path: '/tipoffs',
    summary:
      '随手拍：提交举报（multipart：photos 1–3 张 JPEG/PNG/WebP ≤ 10 MB，categoryCode、description、lat、lng、address?、regionCode?、anonymous?；或 JSON 带 photoIds）',
    tags: ['tipoffs'],
    access: 'resident',
    consumes: ['multipart/form-data', 'application/json'],
    form: submitTipoffSchema,
    response: tipoffViewSchema,
    status: 201,
    idempotent: true,
    rateLimit: { name: 'tipoff-submit', max: 20, windowMs: 3600_000 },
  },
  async ({ ctx, auth }) => {
    keepPrivate(ctx, auth);
    const me = residentOf(auth);
    const form = await readForm(ctx);
    // Fields first: a form missing its category costs no photo processing.
    const input = parse(submitTipoffSchema, form.fields);
    const stored = await storePhotos(form.files, uploaderOf(me));
    const doc = await submitTipoff(
      { kind: 'resident', residentId: me.residentId },
      { ...input, photoIds: [...(input.photoIds ?? []), ...stored.map((m) => m._id)] },
    );
    return presentFor(doc, auth);
  },
);

route(
  tipoffsRouter,
  {
    method: 'get',
    path: '/tipoffs/mine',
    summary: '我的随手拍（含处理进度）',
    tags: ['tipoffs'],
    access: 'resident',
    query: mineQuerySchema,
    response: tipoffListSchema,
  },
  ({ ctx, auth, query }) => {
    keepPrivate(ctx, auth);
    return listMyTipoffs(residentOf(auth).residentId, query);
  },
);

registerTriageRoutes(tipoffsRouter);

route(
  tipoffsRouter,
  {
    method: 'get',
    path: '/tipoffs',
    summary: '随手拍列表（工作人员；责任单位仅本单位）',
    tags: ['tipoffs'],
    access: 'staff',
    query: listQuerySchema,
    response: tipoffListSchema,
  },
  ({ auth, query }) => listTipoffs(staffOf(auth), query),
);

route(
  tipoffsRouter,
  {
    method: 'get',
    path: '/tipoffs/:id',
    summary: '随手拍详情（举报人、文明办；责任单位仅限分派给本单位的）',
    tags: ['tipoffs'],
    access: 'public',
    params: tipoffParams,
    response: tipoffViewSchema,
    errors: [401],
  },
  ({ ctx, auth, params }) => {
    if (!auth) throw unauthenticated();
    keepPrivate(ctx, auth);
    return getTipoffView(params.id, auth);
  },
);

route(
  tipoffsRouter,
  {
    method: 'post',
    path: '/tipoffs/:id/transitions',
    summary:
      '随手拍处置：accept 受理（可选 unitCode）/ reject 不予受理 / assign 分派 / rectify 整改（需照片）/ close 办结 / reopen 退回 / merge 合并重复 / request-return 申请退回 / request-extension 申请延期 / approve-request 同意申请 / refuse-request 不同意申请（JSON，或 multipart 带 photos 文件）',
    tags: ['tipoffs'],
    access: 'staff',
    params: tipoffParams,
    consumes: ['application/json', 'multipart/form-data'],
    form: transitionSchema,
    response: tipoffViewSchema,
  },
  async ({ ctx, auth, params }) => {
    const staff = staffOf(auth);
    const form = await readForm(ctx);
    const input = parse(transitionSchema, form.fields);
    const stored = await storePhotos(form.files, uploaderOf(staff));
    const doc = await transitionTipoff(params.id, staff, { ...input, photos: [...(input.photos ?? []), ...stored.map((m) => m._id)] });
    return presentFor(doc, auth);
  },
);
