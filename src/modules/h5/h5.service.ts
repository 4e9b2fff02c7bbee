import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { config } from '../../config';
import { sessionKey, type Principal } from '../../core/auth';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { oauthAccessToken } from '../../core/wechat';
import { findResidentByIdentity, getResident, linkIdentity, residentForIdentity, type ResidentDoc } from '../residents/residents.service';
import type { OAuthFailureReason } from './h5.schema';

/**
 * WeChat official-account H5 OAuth (snsapi_base: silent, gives the openid).
 *
 * WeChat allows `state` only [A-Za-z0-9], at most 128 bytes, so the state is a random nonce, and
 * what must survive the round trip (the nonce and the H5 route to return to) travels in a signed,
 * short-lived, httpOnly cookie. The callback accepts a code only when its state equals the nonce of
 * that cookie: a forged state, or a code+state made in another browser (login CSRF, which here could
 * link an attacker's openid to the victim's resident), is refused before WeChat is asked.
 */
export const OAUTH_COOKIE = 'wm_oauth';
export const OAUTH_COOKIE_PATH = '/h5/oauth';
export const OAUTH_TTL_SECONDS = 10 * 60;

/**
 * The account H5 OAuth runs under. With the Official Account configured it is that account, so the
 * openid is the follower's own (`mp-openid`): one resident in chat and in the pages it links to.
 * Otherwise WECHAT_APP_ID, whose openid is the mini-program's (`wx-openid`).
 */
function oauthAccount(): { appId: string; secret: string; channel: 'mp-openid' | 'wx-openid' } | undefined {
  const cfg = config();
  if (cfg.WECHAT_MP_APP_ID && cfg.WECHAT_MP_APP_SECRET)
    return { appId: cfg.WECHAT_MP_APP_ID, secret: cfg.WECHAT_MP_APP_SECRET, channel: 'mp-openid' };
  if (cfg.WECHAT_APP_ID && cfg.WECHAT_APP_SECRET) return { appId: cfg.WECHAT_APP_ID, secret: cfg.WECHAT_APP_SECRET, channel: 'wx-openid' };
  return undefined;
}

export function oauthEnabled(): boolean {
  return oauthAccount() !== undefined;
}

/** An OAuth failure the callback turns into the H5 error page with this reason. */
export class OAuthFailure extends AppError {
  constructor(
    readonly reason: OAuthFailureReason,
    message: string,
  ) {
    super(reason === 'upstream' ? 'UPSTREAM_FAILED' : reason === 'disabled' ? 'NOT_CONFIGURED' : 'UNAUTHENTICATED', message);
  }
}

export interface OAuthStart {
  /** the WeChat authorize URL to redirect the browser to */
  url: string;
  /** the signed cookie value carrying the nonce and the route to return to */
  cookie: string;
}

export function startOAuth(next: string, origin: string): OAuthStart {
  const cfg = config();
  if (!oauthEnabled()) throw new OAuthFailure('disabled', '未配置微信公众号 AppID / AppSecret，无法使用微信授权登录');
  const nonce = crypto.randomBytes(16).toString('hex');
  const cookie = jwt.sign({ typ: 'oauth', nonce, next }, sessionKey(), { algorithm: 'HS256', expiresIn: OAUTH_TTL_SECONDS });
  // WeChat checks redirect_uri against the domain registered for the account: PUBLIC_URL behind a proxy.
  const redirectUri = `${(cfg.PUBLIC_URL ?? origin).replace(/\/+$/, '')}/h5/oauth/callback`;
  const base = cfg.WECHAT_OAUTH_BASE.replace(/\/+$/, '');
  // WeChat requires exactly this parameter order and the #wechat_redirect fragment.
  const url =
    `${base}/connect/oauth2/authorize?appid=${encodeURIComponent(oauthAccount()!.appId)}` +
    `&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=snsapi_base&state=${nonce}#wechat_redirect`;
  return { url, cookie };
}

/** The pending OAuth of this browser, when its cookie is authentic, unexpired and matches `state`. */
export function verifyOAuthState(cookie: string | undefined, state: string | undefined): { next: string } {
  const invalid = new OAuthFailure('state', '授权请求无效或已过期，请重新进入');
  if (!cookie || !state) throw invalid;
  let payload: { typ?: unknown; nonce?: unknown; next?: unknown };
  try {
    payload = jwt.verify(cookie, sessionKey(), { algorithms: ['HS256'] }) as typeof payload;
  } catch {
    throw invalid;
  }
  if (payload.typ !== 'oauth' || typeof payload.nonce !== 'string') throw invalid;
  const a = Buffer.from(payload.nonce);
  const b = Buffer.from(state);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw invalid;
  const next = typeof payload.next === 'string' && payload.next.startsWith('/') && !payload.next.startsWith('//') ? payload.next : '/';
  return { next };
}

/**
 * Exchanges the code for the openid and finds the resident: the openid's resident (the same one the
 * mini-program finds), created on first contact. When the browser already holds a resident session
 * (a bot link, or an anonymous device), the openid is linked to that resident instead, unless the
 * openid already belongs to someone: an identity never moves between residents.
 */
export async function completeOAuth(code: string | undefined, current: Principal | undefined): Promise<ResidentDoc> {
  if (!code) throw new OAuthFailure('code', '未获得微信授权，请重新进入');
  const account = oauthAccount();
  if (!account) throw new OAuthFailure('disabled', '未配置微信公众号 AppID / AppSecret，无法使用微信授权登录');
  const { channel } = account;
  let wx: Awaited<ReturnType<typeof oauthAccessToken>>;
  try {
    wx = await oauthAccessToken(code, account);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw new OAuthFailure(err.code === 'UPSTREAM_FAILED' ? 'upstream' : err.code === 'NOT_CONFIGURED' ? 'disabled' : 'code', err.message);
  }
  const openid = wx.openid!;
  const also = wx.unionid ? { channel: 'wx-unionid' as const, externalId: wx.unionid } : undefined;
  if (current?.kind === 'resident') {
    const mine = await getResident(current.residentId).catch(() => undefined);
    const owner = await findResidentByIdentity(channel, openid);
    if (mine && (!owner || owner._id === mine._id)) {
      await linkIdentity(mine._id, channel, openid);
      if (also) await linkIdentity(mine._id, also.channel, also.externalId);
      logger.info({ residentId: mine._id, channel, linked: true }, 'h5 oauth login');
      return mine;
    }
  }
  const resident = await residentForIdentity(channel, openid, also);
  logger.info({ residentId: resident._id, channel, linked: false }, 'h5 oauth login');
  return resident;
}
