import Router from '@koa/router';
import { z } from 'zod';
import { residentOf, setSessionCookie, signToken, type Principal } from '../../core/auth';
import { route } from '../../core/http/route';
import { code2Session } from '../../core/wechat';
import { registerReach } from '../outbox/outbox.service';
import { linkRefusedPage } from './residents.link-page';
import { LinkRefused, redeemLink } from './residents.links';
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
  {
    method: 'post',
    path: '/sessions/anonymous',
    summary: '新建 H5 匿名居民会话',
    tags: ['sessions'],
    access: 'public',
    body: z.object({}),
    response: sessionSchema,
    status: 201,
    rateLimit: sessionLimit,
  },
  async ({ ctx }) => openSession(ctx, await createResident()),
);

route(
  residentsRouter,
  {
    method: 'post',
    path: '/sessions/miniprogram',
    summary: '小程序登录（code2Session；微信未配置 503 NOT_CONFIGURED，微信不可用 502）',
    tags: ['sessions'],
    access: 'public',
    body: miniprogramLoginSchema,
    response: sessionSchema,
    status: 201,
    errors: [401, 502],
    rateLimit: sessionLimit,
  },
  async ({ ctx, body }) => {
    const wx = await code2Session(body.code);
    const resident = await residentForIdentity(
      'wx-openid',
      wx.openid!,
      wx.unionid ? { channel: 'wx-unionid', externalId: wx.unionid } : undefined,
    );
    await registerReach(resident._id, 'mini', wx.openid!); // 订阅消息 find the resident by this openid
    return openSession(ctx, resident);
  },
);

route(
  residentsRouter,
  { method: 'get', path: '/me', summary: '我的：积分与参与次数', tags: ['sessions'], access: 'resident', response: meSchema },
  ({ auth }) => getMe(residentOf(auth).residentId),
);

route(
  residentsRouter,
  {
    method: 'patch',
    path: '/me',
    summary: '修改我的社区、昵称或长辈模式',
    tags: ['sessions'],
    access: 'resident',
    body: updateMeSchema,
    response: residentSchema,
  },
  async ({ auth, body }) => presentResident(await updateResident(residentOf(auth).residentId, body)),
);

/**
 * The bot's signed short-lived link: exchanged once for the session cookie, then into the H5 pages.
 * A browser opened it, so every refusal is a Chinese page with the way back to the chat. Opened
 * again by the browser that already holds that resident's session (a reload, the back button), it
 * simply goes on: only another browser is refused.
 */
route(
  linkRouter,
  {
    method: 'get',
    path: '/h5/link',
    summary: '机器人签发的 H5 链接（一次有效；无效 400、过期或已用 410，均为 HTML 页面）',
    tags: ['sessions'],
    access: 'public',
    // Anything unreadable becomes the "invalid link" page below, never a JSON validation error.
    query: z.object({ t: z.string().max(2000).catch('') }),
    produces: 'text/html',
    status: 302,
    // Refusals are Chinese pages (400 invalid, 410 expired or used), not the API's JSON error body.
    errors: [400, 410],
    errorSchema: z.string(),
  },
  async ({ ctx, query, auth }) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      const link = await redeemLink(query.t);
      const principal: Principal = { kind: 'resident', residentId: link.residentId };
      setSessionCookie(ctx, signToken(principal), principal);
      ctx.redirect(`/h5/#${link.next}`);
    } catch (err) {
      if (!(err instanceof LinkRefused)) throw err;
      if (err.reason === 'used' && auth?.kind === 'resident' && auth.residentId === err.residentId)
        return ctx.redirect(`/h5/#${err.next ?? '/'}`);
      const page = linkRefusedPage(err.reason);
      ctx.status = page.status;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = page.html;
    }
    return undefined;
  },
);
