import { z } from 'zod';
import { config } from '../config';
import { AppError } from './errors';
import { logger } from './logger';

/** WeChat server API client; the base URL is configurable so tests run against a local fake. */
const sessionReply = z.object({
  openid: z.string().optional(),
  unionid: z.string().optional(),
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
});

export interface WeChatApp {
  appId: string;
  secret: string;
}

async function call(path: string, params: Record<string, string>, app?: WeChatApp): Promise<z.infer<typeof sessionReply>> {
  const cfg = config();
  const appId = app?.appId ?? cfg.WECHAT_APP_ID;
  const secret = app?.secret ?? cfg.WECHAT_APP_SECRET;
  if (!appId || !secret) throw new AppError('NOT_CONFIGURED', '未配置微信 AppID / AppSecret，暂不能使用微信登录');
  const url = new URL(path, cfg.WECHAT_API_BASE);
  for (const [k, v] of Object.entries({ appid: appId, secret, ...params })) url.searchParams.set(k, v);
  let body: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    body = await res.json();
  } catch (err) {
    logger.warn({ err: (err as Error).message, path }, 'wechat api unreachable');
    throw new AppError('UPSTREAM_FAILED', '微信服务暂时不可用，请稍后再试');
  }
  const reply = sessionReply.safeParse(body);
  if (!reply.success) throw new AppError('UPSTREAM_FAILED', '微信服务返回了无法识别的数据');
  if (reply.data.errcode) {
    logger.warn({ errcode: reply.data.errcode, path }, 'wechat api error');
    throw new AppError('UNAUTHENTICATED', '微信登录凭证无效或已过期，请重新进入');
  }
  if (!reply.data.openid) throw new AppError('UPSTREAM_FAILED', '微信服务未返回 openid');
  return reply.data;
}

/** The mini-program's own credentials when set (WECHAT_MINI_*), else WECHAT_APP_ID as before. */
function miniApp(): WeChatApp | undefined {
  const cfg = config();
  return cfg.WECHAT_MINI_APP_ID && cfg.WECHAT_MINI_APP_SECRET
    ? { appId: cfg.WECHAT_MINI_APP_ID, secret: cfg.WECHAT_MINI_APP_SECRET }
    : undefined;
}

/** Mini-program login: code → openid (+ unionid). */
export const code2Session = (code: string) => call('/sns/jscode2session', { js_code: code, grant_type: 'authorization_code' }, miniApp());

/** Official-account H5 OAuth (snsapi_base): code → openid, under the given account (default WECHAT_APP_ID). */
export const oauthAccessToken = (code: string, app?: WeChatApp) =>
  call('/sns/oauth2/access_token', { code, grant_type: 'authorization_code' }, app);
