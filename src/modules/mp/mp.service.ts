import crypto from 'node:crypto';
import { config } from '../../config';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { now } from '../../core/time';
import { MpCipher, signature, signatureMatches } from './mp.crypto';
import { MpFollower, type MpFollowerDoc } from './mp.model';
import { mpMessageSchema, type MpMessage, type MpQuery } from './mp.schema';
import { buildXml, parseXml } from './mp.xml';

/** What answers one pushed message: the passive reply's plain XML, or '' for none ("success"). */
export type MpConversation = (msg: MpMessage) => Promise<string>;

let conversation: MpConversation | undefined;

/** The conversation engine's adapter (bots/mp.ts) registers here; the endpoint stays thin. */
export function registerMpConversation(handler: MpConversation | undefined): void {
  conversation = handler;
}

/** Pushes that are not a follower's message (e.g. `wxa_media_check`, a photo's content-security verdict). */
export type MpEventHandler = (fields: Record<string, string>) => Promise<void>;
const eventHandlers = new Map<string, MpEventHandler>();

/** A module that asked WeChat for something answers its event push here; the conversation never sees it. */
export function registerMpEvent(event: string, handler: MpEventHandler): void {
  eventHandlers.set(event, handler);
}

interface MpSettings {
  appId: string;
  token: string;
  cipher?: MpCipher;
}

/** The channel's settings; a 404 when it is off (nothing is there to verify or talk to). */
export function mpSettings(): MpSettings {
  const cfg = config();
  if (!cfg.WECHAT_MP_APP_ID || !cfg.WECHAT_MP_TOKEN) throw new AppError('NOT_FOUND', '未启用微信公众号渠道');
  return {
    appId: cfg.WECHAT_MP_APP_ID,
    token: cfg.WECHAT_MP_TOKEN,
    cipher: cfg.WECHAT_MP_AES_KEY ? new MpCipher(cfg.WECHAT_MP_AES_KEY, cfg.WECHAT_MP_APP_ID) : undefined,
  };
}

function refuse(why: string, q: MpQuery, message = '签名无效'): never {
  logger.warn({ why, timestamp: q.timestamp, nonce: q.nonce }, 'wechat mp request refused');
  throw new AppError('UNAUTHENTICATED', message);
}

/** A signed push replayed later is refused: WeChat stamps each with its own (real) clock. */
const MAX_SKEW_S = 5 * 60;
const staleTimestamp = (timestamp: string | undefined) =>
  !/^\d{1,12}$/.test(timestamp ?? '') || Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_S;

/** GET: WeChat checks the server by having it echo `echostr` under a valid signature. */
export function verifyServer(q: MpQuery): string {
  const s = mpSettings();
  if (!signatureMatches(q.signature, s.token, q.timestamp ?? '', q.nonce ?? '')) refuse('bad signature', q);
  return q.echostr ?? '';
}

/**
 * POST: one pushed message, signed (and in 安全模式 encrypted). Returns what to answer: the
 * passive reply (encrypted like the request), or 'success' when there is none.
 */
export async function receive(q: MpQuery, body: string): Promise<{ type: string; body: string }> {
  const s = mpSettings();
  if (!signatureMatches(q.signature, s.token, q.timestamp ?? '', q.nonce ?? '')) refuse('bad signature', q);
  if (staleTimestamp(q.timestamp)) refuse('timestamp more than 5 minutes off (replay?)', q, '请求已过期');
  let fields = parseXml(body);
  if (!fields) throw new AppError('MALFORMED_REQUEST', '无法解析的 XML');
  const encrypted = q.encrypt_type === 'aes';
  if (encrypted) {
    if (!s.cipher) refuse('encrypted message but WECHAT_MP_AES_KEY is not set', q);
    const enc = fields.Encrypt ?? '';
    if (!signatureMatches(q.msg_signature, s.token, q.timestamp ?? '', q.nonce ?? '', enc)) refuse('bad msg_signature', q);
    const inner = s.cipher.decrypt(enc);
    fields = inner ? parseXml(inner) : undefined;
    if (!fields) refuse('undecryptable body', q);
  }
  const hook = fields.MsgType === 'event' ? eventHandlers.get(fields.Event ?? '') : undefined;
  if (hook) {
    await hook(fields);
    return { type: 'text/plain', body: 'success' };
  }
  const parsed = mpMessageSchema.safeParse(fields);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', '无法识别的微信消息', { issues: parsed.error.issues.map((i) => i.path.join('.')) });
  if (!conversation) {
    logger.warn('wechat mp message before the conversation engine was registered');
    return { type: 'text/plain', body: 'success' };
  }
  const reply = await conversation(parsed.data);
  if (!reply) return { type: 'text/plain', body: 'success' }; // WeChat's "no passive reply"
  if (!encrypted) return { type: 'application/xml', body: reply };
  const timestamp = String(Math.floor(now().getTime() / 1000));
  const nonce = crypto.randomBytes(8).toString('hex');
  const enc = s.cipher!.encrypt(reply);
  return {
    type: 'application/xml',
    body: buildXml({ Encrypt: enc, MsgSignature: signature(s.token, timestamp, nonce, enc), TimeStamp: Number(timestamp), Nonce: nonce }),
  };
}

/** WeChat's 客服消息 allowance: a message opens 5 in 48 h, a menu tap, follow or QR scan 3 in 1 min. */
const ALLOWANCE = { message: { quota: 5, ms: 48 * 3600_000 }, event: { quota: 3, ms: 60_000 } } as const;

/** A follower did something that opens (or widens) their 客服消息 allowance; the larger one holds. */
export async function openWindow(
  openid: string,
  by: keyof typeof ALLOWANCE,
  extra: Partial<Pick<MpFollowerDoc, 'scene' | 'subscribed'>> = {},
): Promise<void> {
  const t = now().getTime();
  const a = ALLOWANCE[by];
  const cur = await MpFollower.findById(openid).lean<MpFollowerDoc>();
  const live = cur?.windowUntil && cur.windowUntil.getTime() > t;
  const windowUntil = new Date(Math.max(t + a.ms, live ? cur.windowUntil!.getTime() : 0));
  const quota = Math.max(a.quota, live ? cur.quota : 0);
  await MpFollower.updateOne({ _id: openid }, { $set: { windowUntil, quota, subscribed: true, ...extra } }, { upsert: true });
}

/** Takes one 客服消息 from the follower's allowance; false when none is left (or the 48 h are over). */
export async function takeQuota(openid: string): Promise<boolean> {
  const cur = await MpFollower.findById(openid).lean<MpFollowerDoc>();
  if (!cur?.subscribed || !cur.windowUntil || cur.windowUntil.getTime() <= now().getTime() || cur.quota <= 0) return false;
  await MpFollower.updateOne({ _id: openid }, { $set: { quota: cur.quota - 1 } });
  return true;
}

export async function followerLeft(openid: string): Promise<void> {
  await MpFollower.updateOne({ _id: openid }, { $set: { subscribed: false, quota: 0 } }, { upsert: true });
}

/** The periodic LOCATION report (when the follower allowed it): kept, not answered. */
export async function rememberLocation(openid: string, lat: number, lng: number): Promise<void> {
  await MpFollower.updateOne({ _id: openid }, { $set: { lastLocation: { lat, lng, at: now() } } }, { upsert: true });
}
