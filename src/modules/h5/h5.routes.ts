import Router from '@koa/router';
import type { Context } from 'koa';
import { COOKIE_NAME, cookieFlags, setSessionCookie, signToken, type Principal } from '../../core/auth';
import { route } from '../../core/http/route';
import { logger } from '../../core/logger';
import { clientConfigSchema, oauthCallbackQuery, oauthStartQuery, type OAuthFailureReason } from './h5.schema';
import {
  completeOAuth,
  OAUTH_COOKIE,
  OAUTH_COOKIE_PATH,
  OAUTH_TTL_SECONDS,
  OAuthFailure,
  oauthEnabled,
  startOAuth,
  verifyOAuthState,
} from './h5.service';

export const h5Router = new Router();

const oauthLimit = { name: 'h5-oauth', max: 30, windowMs: 60_000, by: 'ip' as const };

/** A browser is navigating here, so a failure is a page (the H5 error page), not a JSON body. */
function failTo(ctx: Context, reason: OAuthFailureReason, next = '/'): void {
  ctx.redirect(`/h5/#/oauth-error?reason=${reason}&next=${encodeURIComponent(next)}`);
}

h5Router.get('/', (ctx) => ctx.redirect('/h5/'));

route(
  h5Router,
  {
    method: 'get',
    path: '/api/v1/h5/config',
    summary: 'H5 页面的客户端配置',
    tags: ['h5'],
    access: 'public',
    response: clientConfigSchema,
  },
  () => ({
    wechatOAuth: oauthEnabled(),
  }),
);

route(
  h5Router,
  {
    method: 'delete',
    path: '/api/v1/sessions/current',
    summary: '退出登录（清除会话 cookie）',
    tags: ['sessions'],
    access: 'public',
    status: 204,
  },
  ({ ctx }) => {
    ctx.cookies.set(COOKIE_NAME, null, cookieFlags(ctx));
    return undefined;
  },
);

route(
  h5Router,
  {
    method: 'get',
    path: '/h5/oauth/start',
    summary: '微信网页授权：跳转到微信（未配置或失败时跳转到 H5 错误页）',
    tags: ['sessions'],
    access: 'public',
    query: oauthStartQuery,
    rateLimit: oauthLimit,
    status: 302,
    produces: ['text/html', 'text/plain'],
  },
  ({ ctx, query }) => {
    try {
      // Koa 3's ctx.origin is the request's Origin header, not this server's origin.
      const { url, cookie } = startOAuth(query.next, `${ctx.protocol}://${ctx.host}`);
      ctx.cookies.set(OAUTH_COOKIE, cookie, {
        ...cookieFlags(ctx),
        path: OAUTH_COOKIE_PATH,
        maxAge: OAUTH_TTL_SECONDS * 1000,
        overwrite: true,
      });
      ctx.redirect(url);
    } catch (err) {
      if (!(err instanceof OAuthFailure)) throw err;
      failTo(ctx, err.reason, query.next);
    }
    return undefined;
  },
);

route(
  h5Router,
  {
    method: 'get',
    path: '/h5/oauth/callback',
    summary: '微信网页授权回调：openid → 居民会话，跳转回 H5 页面',
    tags: ['sessions'],
    access: 'public',
    query: oauthCallbackQuery,
    rateLimit: oauthLimit,
    status: 302,
    produces: ['text/html', 'text/plain'],
  },
  async ({ ctx, query, auth }) => {
    let next = '/';
    try {
      next = verifyOAuthState(ctx.cookies.get(OAUTH_COOKIE), query.state).next;
      ctx.cookies.set(OAUTH_COOKIE, null, { ...cookieFlags(ctx), path: OAUTH_COOKIE_PATH }); // one use
      const resident = await completeOAuth(query.code, auth);
      const principal: Principal = { kind: 'resident', residentId: resident._id };
      setSessionCookie(ctx, signToken(principal), principal);
      ctx.redirect(`/h5/#${next}`);
    } catch (err) {
      if (!(err instanceof OAuthFailure)) throw err;
      logger.warn({ reason: err.reason, reqId: ctx.state.requestId }, 'h5 oauth failed');
      failTo(ctx, err.reason, next);
    }
    return undefined;
  },
);
