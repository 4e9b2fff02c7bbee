import Router from '@koa/router';
import { COOKIE_NAME, cookieFlags, residentOf } from '../../core/auth';
import { route } from '../../core/http/route';
import { logger } from '../../core/logger';
import { dayKey, now } from '../../core/time';
import { closeAccount } from './privacy.close';
import { grantConsent, listConsents, withdrawConsent } from './privacy.consents';
import { collectMyData } from './privacy.data';
import { closureBodySchema, closureResultSchema, consentListSchema, consentParams, exportQuery, myDataSchema } from './privacy.schema';

export const privacyRouter = new Router({ prefix: '/api/v1' });
const tags = ['privacy'];

/** Reading everything is a scan of several collections: a few times an hour is plenty for one person. */
const dataLimit = {
  name: 'my-data',
  max: 10,
  windowMs: 3_600_000,
  message: (wait: string) => `查看或导出个人信息过于频繁，请 ${wait}后再试`,
};
/** Logged like the staff exports, with the resident id masked. */
const masked = (id: string) => `${id.slice(0, 4)}****${id.slice(-2)}`;

route(
  privacyRouter,
  {
    method: 'get',
    path: '/me/data',
    summary: '我的个人信息：我们保存的关于您的全部信息（按类别，手机号和身份证号仅对本人完整显示）',
    tags,
    access: 'resident',
    response: myDataSchema,
    rateLimit: dataLimit,
  },
  async ({ auth }) => {
    const id = residentOf(auth).residentId;
    logger.info({ resident: masked(id) }, 'resident viewed own data');
    return collectMyData(id);
  },
);

route(
  privacyRouter,
  {
    method: 'get',
    path: '/me/data/export',
    summary: '导出我的个人信息（JSON 文件下载；志愿服务记录在其中）',
    tags,
    access: 'resident',
    query: exportQuery,
    response: myDataSchema,
    rateLimit: dataLimit,
  },
  async ({ auth, ctx }) => {
    const id = residentOf(auth).residentId;
    const data = await collectMyData(id);
    logger.info({ resident: masked(id), groups: data.groups.length }, 'resident exported own data');
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`我的个人信息-${dayKey(now())}.json`)}`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = JSON.stringify(data, null, 2);
    return undefined;
  },
);

route(
  privacyRouter,
  { method: 'get', path: '/me/consents', summary: '我的授权与订阅', tags, access: 'resident', response: consentListSchema },
  async ({ auth }) => ({
    items: await listConsents(residentOf(auth).residentId),
  }),
);

route(
  privacyRouter,
  {
    method: 'delete',
    path: '/me/consents/:kind',
    summary: '撤回一项授权（记录撤回时间，并停止依赖它的处理：推送、每日一题、志愿者信息）',
    tags,
    access: 'resident',
    params: consentParams,
    response: consentListSchema,
  },
  async ({ auth, params }) => ({ items: await withdrawConsent(residentOf(auth).residentId, params.kind) }),
);

route(
  privacyRouter,
  {
    method: 'put',
    path: '/me/consents/:kind',
    summary: '重新给予一项授权（志愿者信息须在注册时同意：409）',
    tags,
    access: 'resident',
    params: consentParams,
    response: consentListSchema,
    errors: [409],
  },
  async ({ auth, params }) => ({ items: await grantConsent(residentOf(auth).residentId, params.kind) }),
);

route(
  privacyRouter,
  {
    method: 'post',
    path: '/me/closure',
    summary: '注销账号（须输入“确认注销”）：账号与登录立即失效，个人信息在 24 小时内删除或匿名化',
    tags,
    access: 'resident',
    body: closureBodySchema,
    response: closureResultSchema,
    status: 202,
    rateLimit: { name: 'closure', max: 5, windowMs: 600_000 },
  },
  async ({ auth, body, ctx }) => {
    const result = await closeAccount(residentOf(auth).residentId, body.confirm);
    ctx.cookies.set(COOKIE_NAME, null, cookieFlags(ctx));
    return result;
  },
);
