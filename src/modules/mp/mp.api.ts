import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../../config';
import { AppError, isDuplicateKey } from '../../core/errors';
import { logger } from '../../core/logger';
import { now } from '../../core/time';
import { MpToken, MpTokenLease, type MpTokenDoc } from './mp.model';

/** WeChat's error codes the client acts on. */
const TOKEN_INVALID = new Set([40001, 40014, 42001]); // invalid, malformed, expired access_token
const BUSY = new Set([-1, 45009]); // system busy; API call frequency/quota reached

/** A token is renewed this long before WeChat says it expires (WeChat keeps the old one valid 5 min after). */
const RENEW_BEFORE_MS = 5 * 60_000;
/** A lease older than this belongs to an instance that died mid-fetch: it is taken over. */
const LEASE_STALE_MS = 30_000;

export class MpApiError extends AppError {
  constructor(
    readonly errcode: number,
    errmsg: string,
    path: string,
  ) {
    super('UPSTREAM_FAILED', '微信服务暂时不可用，请稍后再试', { errcode, errmsg, path });
  }
}

export interface MpApiOptions {
  appId: string;
  appSecret: string;
  base?: string;
  /** names this instance in token leases and logs */
  instance?: string;
  /** waits before retrying a busy WeChat, one per retry */
  backoffMs?: number[];
}

interface CallOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  /** the answer is a file (media download) unless WeChat answers JSON (an error) */
  binary?: boolean;
}

const generationOf = (token: string | undefined) => (token ? crypto.createHash('sha1').update(token).digest('hex').slice(0, 16) : 'none');

/**
 * The Official Account's server API. The access_token lives in the database: one instance at a time
 * fetches a new one (a unique-_id lease per token generation), the others read it, so instances
 * never invalidate each other's token. Items that come later (template messages, content security)
 * are more `call()`s over the same token and error handling.
 */
export function createMpApi(opts: MpApiOptions) {
  const base = (opts.base ?? config().WECHAT_API_BASE).replace(/\/+$/, '');
  const instance = opts.instance ?? `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const backoff = opts.backoffMs ?? [500, 2_000];
  let cached: MpTokenDoc | undefined;

  const fresh = (doc: MpTokenDoc | undefined): boolean => Boolean(doc && doc.expiresAt.getTime() - RENEW_BEFORE_MS > now().getTime());

  async function fetchToken(): Promise<MpTokenDoc> {
    const url = new URL(`${base}/cgi-bin/token`);
    url.search = new URLSearchParams({ grant_type: 'client_credential', appid: opts.appId, secret: opts.appSecret }).toString();
    const body = (await request(url, { method: 'GET' }, '/cgi-bin/token')) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new MpApiError(-2, 'no access_token in answer', '/cgi-bin/token');
    const at = now();
    const doc = {
      _id: opts.appId,
      token: body.access_token,
      fetchedAt: at,
      expiresAt: new Date(at.getTime() + (body.expires_in ?? 7200) * 1000),
    };
    await MpToken.replaceOne({ _id: opts.appId }, doc, { upsert: true });
    logger.info({ instance, expiresAt: doc.expiresAt }, 'mp access_token renewed');
    return doc;
  }

  const readToken = async () => (await MpToken.findById(opts.appId).lean<MpTokenDoc>()) ?? undefined;
  const replaced = (doc: MpTokenDoc | undefined, stale: string | undefined): doc is MpTokenDoc =>
    Boolean(doc && doc.token !== stale && fresh(doc));

  /**
   * Renews the token that replaces `stale`, or waits for the instance that holds the lease to do it.
   * The holder re-reads the token after taking the lease: an instance that read the stale token just
   * before another one renewed it and released its lease must not fetch a second one.
   */
  async function renew(stale: string | undefined): Promise<MpTokenDoc> {
    const leaseId = `${opts.appId}:${generationOf(stale)}`;
    const giveUpAt = Date.now() + LEASE_STALE_MS + 5_000;
    for (;;) {
      try {
        await MpTokenLease.create({ _id: leaseId, instance, createdAt: now() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const current = await readToken();
        if (replaced(current, stale)) return current;
        const lease = await MpTokenLease.findById(leaseId).lean<{ createdAt: Date }>();
        if (lease && now().getTime() - lease.createdAt.getTime() > LEASE_STALE_MS) await MpTokenLease.deleteOne({ _id: leaseId }); // its holder died mid-fetch
        if (Date.now() > giveUpAt) throw new AppError('UPSTREAM_FAILED', '微信服务暂时不可用，请稍后再试');
        await sleep(100);
        continue;
      }
      try {
        const current = await readToken();
        return replaced(current, stale) ? current : await fetchToken();
      } finally {
        await MpTokenLease.deleteOne({ _id: leaseId }).catch((err) => logger.warn({ err }, 'mp token lease not released'));
      }
    }
  }

  async function accessToken(): Promise<string> {
    if (cached && fresh(cached)) return cached.token;
    const stored = await readToken();
    cached = stored && fresh(stored) ? stored : await renew(stored?.token);
    return cached.token;
  }

  /** The token was refused: renew it unless another instance already has. */
  async function tokenRefused(token: string): Promise<void> {
    const stored = await readToken();
    cached = replaced(stored, token) ? stored : await renew(token);
  }

  async function request(url: URL, init: RequestInit, path: string, binary = false): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      logger.warn({ err: (err as Error).message, path }, 'wechat mp api unreachable');
      throw new AppError('UPSTREAM_FAILED', '微信服务暂时不可用，请稍后再试');
    }
    const type = res.headers.get('content-type') ?? '';
    if (binary && !type.includes('json') && !type.includes('text/plain') && res.ok) return Buffer.from(await res.arrayBuffer());
    let body: { errcode?: number; errmsg?: string };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new MpApiError(-2, `unreadable answer (HTTP ${res.status})`, path);
    }
    if (body.errcode) throw new MpApiError(body.errcode, body.errmsg ?? '', path);
    return body;
  }

  /** One API call with the token: a refused token is renewed once, a busy WeChat retried after a pause. */
  async function call(path: string, o: CallOptions = {}): Promise<unknown> {
    let renewed = false;
    for (let retry = 0; ; retry++) {
      const token = await accessToken();
      const url = new URL(base + path);
      url.search = new URLSearchParams({ ...o.query, access_token: token }).toString();
      const init: RequestInit = { method: o.method ?? (o.json || o.form ? 'POST' : 'GET') };
      // WeChat reads JSON bodies as UTF-8 and wants Chinese unescaped, as JSON.stringify writes it.
      if (o.json !== undefined)
        Object.assign(init, { body: JSON.stringify(o.json), headers: { 'content-type': 'application/json; charset=utf-8' } });
      if (o.form) init.body = o.form;
      try {
        return await request(url, init, path, o.binary);
      } catch (err) {
        if (!(err instanceof MpApiError)) throw err;
        if (TOKEN_INVALID.has(err.errcode) && !renewed) {
          renewed = true;
          await tokenRefused(token);
          continue;
        }
        if (BUSY.has(err.errcode) && retry < backoff.length) {
          logger.warn({ errcode: err.errcode, path, retry }, 'wechat mp api busy, backing off');
          await sleep(backoff[retry]!);
          continue;
        }
        logger.warn({ errcode: err.errcode, path }, 'wechat mp api error');
        throw err;
      }
    }
  }

  return {
    instance,
    accessToken,
    call,
    /** A file a follower sent, by its MediaId (temporary media, kept by WeChat for 3 days). */
    downloadMedia: async (mediaId: string) => (await call('/cgi-bin/media/get', { query: { media_id: mediaId }, binary: true })) as Buffer,
    /** Uploads an image as temporary media; returns its media_id. */
    uploadImage: async (file: Buffer, name: string) => {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(file)]), name);
      return ((await call('/cgi-bin/media/upload', { query: { type: 'image' }, form })) as { media_id: string }).media_id;
    },
    /** One 客服消息 (`msgtype` text, image, news…) to a follower. */
    sendCustom: (openid: string, message: Record<string, unknown>) =>
      call('/cgi-bin/message/custom/send', { json: { touser: openid, ...message } }),
    /** The follower's profile: unionid when the account is bound to an Open Platform account. */
    userInfo: async (openid: string) =>
      (await call('/cgi-bin/user/info', { query: { openid, lang: 'zh_CN' } })) as { subscribe?: number; unionid?: string },
    createMenu: (menu: unknown) => call('/cgi-bin/menu/create', { json: menu }),
  };
}

export type MpApi = ReturnType<typeof createMpApi>;

let shared: MpApi | undefined;

/** The process's client over the configured Official Account; undefined when the channel is off. */
export function mpApi(): MpApi | undefined {
  const cfg = config();
  if (!cfg.WECHAT_MP_APP_ID || !cfg.WECHAT_MP_APP_SECRET) return undefined;
  if (shared && (shared as MpApi & { appId?: string }).appId !== cfg.WECHAT_MP_APP_ID) shared = undefined;
  shared ??= Object.assign(createMpApi({ appId: cfg.WECHAT_MP_APP_ID, appSecret: cfg.WECHAT_MP_APP_SECRET }), {
    appId: cfg.WECHAT_MP_APP_ID,
  });
  return shared;
}
