import Router from '@koa/router';
import { COOKIE_NAME, residentOf } from '../../core/auth';
import { route } from '../../core/http/route';
import { z } from 'zod';
import { deregisterVolunteer } from './deregister.service';
import { listMySignups, serviceRecord } from './record.service';
import {
  activityViewSchema,
  privacyNoticeSchema,
  registerVolunteerSchema,
  serviceRecordSchema,
  volunteerViewSchema,
} from './volunteers.schema';
import { getMyVolunteer, privacyNotice, registerVolunteer, volunteerSkills } from './volunteers.service';

export const volunteersRouter = new Router({ prefix: '/api/v1' });
const tags = ['volunteers'];

route(
  volunteersRouter,
  {
    method: 'get',
    path: '/volunteers/privacy-notice',
    summary: '志愿者个人信息处理告知书（注册前单独同意）',
    tags,
    access: 'public',
    response: privacyNoticeSchema.extend({ skills: z.array(z.string()) }),
  },
  () => ({ ...privacyNotice(), skills: [...volunteerSkills()] }),
);

route(
  volunteersRouter,
  {
    method: 'post',
    path: '/volunteers',
    summary: '注册志愿者（手机号、身份证号加密保存，返回打码信息）',
    tags,
    access: 'resident',
    body: registerVolunteerSchema,
    response: volunteerViewSchema,
    status: 201,
    rateLimit: { name: 'volunteer-register', max: 10, windowMs: 60_000 },
  },
  ({ auth, body, ctx }) => registerVolunteer(residentOf(auth).residentId, body, ctx.cookies.get(COOKIE_NAME) ? 'h5' : 'api'),
);

route(
  volunteersRouter,
  {
    method: 'get',
    path: '/volunteers/me',
    summary: '我的志愿者信息与服务时长（未注册为志愿者时 404）',
    tags,
    access: 'resident',
    response: volunteerViewSchema,
    errors: [404],
  },
  ({ auth }) => getMyVolunteer(residentOf(auth).residentId),
);

route(
  volunteersRouter,
  {
    method: 'get',
    path: '/volunteers/me/signups',
    summary: '我的报名（正式与候补）',
    tags,
    access: 'resident',
    response: z.object({ items: z.array(activityViewSchema) }),
  },
  async ({ auth }) => ({ items: await listMySignups(residentOf(auth).residentId) }),
);

route(
  volunteersRouter,
  {
    method: 'get',
    path: '/volunteers/me/record',
    summary: '志愿服务记录（民政部令第67号所列内容）',
    tags,
    access: 'resident',
    response: serviceRecordSchema,
    errors: [404],
  },
  ({ auth }) => serviceRecord(residentOf(auth).residentId),
);

route(
  volunteersRouter,
  {
    method: 'delete',
    path: '/volunteers/me',
    summary: '注销志愿者（撤回个人信息处理同意；未开始活动的报名一并取消）',
    tags,
    access: 'resident',
    status: 204,
    errors: [404],
  },
  async ({ auth }) => {
    await deregisterVolunteer(residentOf(auth).residentId);
    return undefined;
  },
);
