import Router from '@koa/router';
import { z } from 'zod';
import { residentOf } from '../../core/auth';
import { conflict } from '../../core/errors';
import { route } from '../../core/http/route';
import { reachOf } from '../outbox/outbox.service';
import { grantSubscriptions } from './mp.subscribe';

export const mpSubscribeRouter = new Router({ prefix: '/api/v1' });

const subscriptionsBody = z.object({
  /** the template ids the user accepted in wx.requestSubscribeMessage (the answers "accept") */
  templateIds: z
    .array(z.string().regex(/^[\w-]{6,128}$/, '不是有效的模板 ID'))
    .min(1)
    .max(20),
});
const subscriptionsResponse = z.object({ items: z.array(z.object({ templateId: z.string(), kind: z.string(), unused: z.number() })) });

route(
  mpSubscribeRouter,
  {
    method: 'post',
    path: '/mp/subscriptions',
    summary: '小程序上报用户同意的订阅消息模板（每同意一次可发一条；需先以小程序登录，否则 409）',
    tags: ['sessions'],
    access: 'resident',
    body: subscriptionsBody,
    response: subscriptionsResponse,
    errors: [409],
    rateLimit: { name: 'mini-subscriptions', max: 30, windowMs: 60_000, by: 'principal' },
  },
  async ({ auth, body }) => {
    const openid = (await reachOf(residentOf(auth).residentId))?.mini;
    if (!openid) throw conflict('请先在小程序中登录，再订阅消息');
    return { items: await grantSubscriptions(openid, body.templateIds) };
  },
);
