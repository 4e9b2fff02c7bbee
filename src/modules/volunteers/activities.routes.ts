import Router from '@koa/router';
import { loadQRCode } from '../../core/lazy';
import { z } from 'zod';
import { residentOf, staffOf, type Principal } from '../../core/auth';
import { route } from '../../core/http/route';
import { ids } from '../../core/validate';
import { presentActivities, presentActivity, type Viewer } from './activities.present';
import { editActivity, officeRoster } from './activities.office';
import { checkinUrl, createActivity, getActivity, listActivities } from './activities.service';
import { activityTable } from './activities.table';
import { recordAttendanceFor } from './attendance.manual';
import { checkIn, checkOut } from './attendance.service';
import { cancelSignup, signUpForActivity } from './signups.service';
import {
  activityListSchema,
  activityQuerySchema,
  activityTableQuerySchema,
  activityTableSchema,
  activityViewSchema,
  checkinResultSchema,
  checkoutResultSchema,
  codeBodySchema,
  createActivitySchema,
  manualAttendanceResultSchema,
  manualAttendanceSchema,
  rosterViewSchema,
  signupResultSchema,
  updateActivitySchema,
} from './volunteers.schema';

export const activitiesRouter = new Router({ prefix: '/api/v1' });
const tags = ['activities'];
const OFFICE = ['office', 'admin'] as const;
const params = z.object({ id: ids.objectId });

const isOrganiser = (auth: Principal | undefined) => auth?.kind === 'staff' && (auth.role === 'office' || auth.role === 'admin');
const viewerOf = (auth: Principal | undefined, origin: string): Viewer => ({
  residentId: auth?.kind === 'resident' ? auth.residentId : undefined,
  organiser: isOrganiser(auth),
  origin,
});

route(
  activitiesRouter,
  {
    method: 'get',
    path: '/activities',
    summary: '志愿活动列表（按区域含下级、按时间）',
    tags,
    access: 'public',
    query: activityQuerySchema.extend({ includeCancelled: z.enum(['true', 'false']).optional() }),
    response: activityListSchema,
  },
  async ({ query, auth, ctx }) => {
    const page = await listActivities(query, { includeCancelled: query.includeCancelled === 'true' && isOrganiser(auth) });
    return {
      items: await presentActivities(page.items, { organiser: isOrganiser(auth), origin: ctx.origin }),
      nextCursor: page.nextCursor,
    };
  },
);

// Before /activities/:id, which would take "manage" for an id.
route(
  activitiesRouter,
  {
    method: 'get',
    path: '/staff/activities',
    summary: '活动管理表（进行中、未开始、已结束；筛选、搜索、排序、分页）',
    tags,
    access: OFFICE,
    query: activityTableQuerySchema,
    response: activityTableSchema,
  },
  ({ query, ctx }) => activityTable(query, ctx.origin),
);

route(
  activitiesRouter,
  {
    method: 'get',
    path: '/activities/:id',
    summary: '志愿活动详情（含我的报名状态）',
    tags,
    access: 'public',
    params,
    response: activityViewSchema,
  },
  async ({ params: p, auth, ctx }) => presentActivity(await getActivity(p.id), viewerOf(auth, ctx.origin)),
);

route(
  activitiesRouter,
  {
    method: 'post',
    path: '/activities',
    summary: '发布志愿活动（返回签到码）',
    tags,
    access: OFFICE,
    body: createActivitySchema,
    response: activityViewSchema,
    status: 201,
  },
  async ({ body, auth, ctx }) =>
    presentActivity(await createActivity(body, staffOf(auth).staffId), { organiser: true, origin: ctx.origin }),
);

route(
  activitiesRouter,
  {
    method: 'patch',
    path: '/activities/:id',
    summary: '修改志愿活动（时间、名额、地点、内容、取消）',
    tags,
    access: OFFICE,
    params,
    body: updateActivitySchema,
    response: activityViewSchema,
    errors: [409],
  },
  async ({ params: p, body, ctx }) => {
    const { activity, before } = await editActivity(p.id, body);
    ctx.state.auditBefore = before;
    return presentActivity(activity, { organiser: true, origin: ctx.origin });
  },
);

route(
  activitiesRouter,
  {
    method: 'get',
    path: '/activities/:id/signups',
    summary: '报名名单（组织者）',
    tags,
    access: OFFICE,
    params,
    response: rosterViewSchema,
  },
  ({ params: p }) => officeRoster(p.id),
);

route(
  activitiesRouter,
  {
    method: 'get',
    path: '/activities/:id/checkin-qr.png',
    summary: '签到二维码（组织者现场出示）',
    tags,
    access: OFFICE,
    params,
    produces: 'image/png',
  },
  async ({ params: p, ctx }) => {
    const activity = await getActivity(p.id);
    ctx.type = 'image/png';
    ctx.set('Cache-Control', 'private, no-store');
    ctx.body = await (await loadQRCode()).toBuffer(checkinUrl(activity, ctx.origin), { errorCorrectionLevel: 'M', margin: 2, width: 480 });
    return undefined;
  },
);

route(
  activitiesRouter,
  {
    method: 'post',
    path: '/activities/:id/signups',
    summary: '报名志愿活动（满员后候补）',
    tags,
    access: 'resident',
    params,
    body: z.object({}),
    response: signupResultSchema,
    status: 201,
    idempotent: true,
    rateLimit: { name: 'activity-signup', max: 30, windowMs: 60_000 },
  },
  ({ params: p, auth }) => signUpForActivity(residentOf(auth).residentId, p.id),
);

route(
  activitiesRouter,
  {
    method: 'delete',
    path: '/activities/:id/signups/me',
    summary: '取消报名（候补第一位自动转正）',
    tags,
    access: 'resident',
    params,
    status: 204,
  },
  async ({ params: p, auth }) => {
    await cancelSignup(residentOf(auth).residentId, p.id);
    return undefined;
  },
);

const codeLimit = { name: 'activity-code', max: 20, windowMs: 60_000 };

route(
  activitiesRouter,
  {
    method: 'post',
    path: '/activities/:id/checkins',
    summary: '现场签到（签到码，可附位置）',
    tags,
    access: 'resident',
    params,
    body: codeBodySchema,
    response: checkinResultSchema,
    status: 201,
    idempotent: true,
    rateLimit: codeLimit,
  },
  ({ params: p, auth, body }) => checkIn(residentOf(auth).residentId, p.id, body),
);

route(
  activitiesRouter,
  {
    method: 'post',
    path: '/activities/:id/checkouts',
    summary: '签退并记录服务时长',
    tags,
    access: 'resident',
    params,
    body: codeBodySchema,
    response: checkoutResultSchema,
    status: 201,
    idempotent: true,
    rateLimit: codeLimit,
  },
  ({ params: p, auth, body }) => checkOut(residentOf(auth).residentId, p.id, body),
);

route(
  activitiesRouter,
  {
    method: 'post',
    path: '/activities/:id/attendance',
    summary: '管理员代签（为正式报名的志愿者签到或签退，可补录实际时间）',
    tags,
    access: OFFICE,
    params,
    body: manualAttendanceSchema,
    response: manualAttendanceResultSchema,
    status: 201,
    errors: [404, 409],
  },
  ({ params: p, body, auth }) => {
    const staff = staffOf(auth);
    return recordAttendanceFor(p.id, body, { staffId: staff.staffId, username: staff.username });
  },
);
