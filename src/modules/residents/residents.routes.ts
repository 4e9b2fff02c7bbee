import Router from '@koa/router';
import { z } from 'zod';
import { residentOf, setSessionCookie, signToken, verifyLinkToken, type Principal } from '../../core/auth';
import { AppError } from '../../core/errors';
import { route } from '../../core/http/route';
import { code2Session } from '../../core/wechat';
import { meSchema, miniprogramLoginSchema, residentSchema, sessionSchema, updateMeSchema } from './residents.schema';
import { createResident, getMe, presentResident, residentForIdentity, updateResident, type ResidentDoc } from './residents.service';

export const residentsRouter = new Router({ prefix: '/api/v1' });
export const linkRouter = new Router();

const sessionLimit = { name: 'session', max: 30, windowMs: 60_000, by: 'ip' as const };

function openSession(ctx: Parameters<typeof setSessionCookie>[0], resident: ResidentDoc) {
  const principal: Principal = { kind: 'resident', residentId: resident._id };
  const token = signToken(principal);
  setSessionCookie(ctx, token, principal);
  return { token, resident: presentResident(resident) };
}

route(
  residentsRouter,
  { method: 'post', path: '/sessions/anonymous', summary: '新建 H5 匿名居民会话', tags: ['sessions'], access: 'public', body: z.object({}), response: sessionSchema, status: 201, rateLimit: sessionLimit },
  async ({ ctx }) => openSession(ctx, await createResident()),
);

route(
  residentsRouter,
  { method: 'post', path: '/sessions/miniprogram', summary: '小程序登录（code2Session；微信未配置 503 NOT_CONFIGURED，微信不可用 502）', tags: ['sessions'], access: 'public', body: miniprogramLoginSchema, response: sessionSchema, status: 201, errors: [401, 502], rateLimit: sessionLimit },
  async ({ ctx, body }) => {
    const wx = await code2Session(body.code);
    const resident = await residentForIdentity('wx-openid', wx.openid!, wx.unionid ? { channel: 'wx-unionid', externalId: wx.unionid } : undefined);
    return openSession(ctx, resident);
  },
);

route(residentsRouter, { method: 'get', path: '/me', summary: '我的：积分与参与次数', tags: ['sessions'], access: 'resident', response: meSchema }, ({ auth }) =>
  getMe(residentOf(auth).residentId),
);

route(
  residentsRouter,
  { method: 'patch', path: '/me', summary: '修改我的社区或昵称', tags: ['sessions'], access: 'resident', body: updateMeSchema, response: residentSchema },
  async ({ auth, body }) => presentResident(await updateResident(residentOf(auth).residentId, body)),
);

/** The bot's signed short-lived link: sets the session cookie and opens the H5 pages as that resident. */
route(linkRouter, { method: 'get', path: '/h5/link', summary: '机器人签发的 H5 链接（设置会话 cookie，跳转到 H5 页面）', tags: ['sessions'], access: 'public', query: z.object({ t: z.string().min(10).max(2000) }), status: 302, produces: ['text/html', 'text/plain'], errors: [401] }, ({ ctx, query }) => {
  const link = verifyLinkToken(query.t);
  if (!link) throw new AppError('UNAUTHENTICATED', '链接无效或已过期，请在聊天中重新获取');
  const principal: Principal = { kind: 'resident', residentId: link.residentId };
  setSessionCookie(ctx, signToken(principal), principal);
  ctx.redirect(`/h5/#${link.next}`);
  return undefined;
});
