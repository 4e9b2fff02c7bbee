import crypto from 'node:crypto';
import { config } from '../../config';
import { sessionSecret } from '../../core/auth';
import { logger } from '../../core/logger';
import { now } from '../../core/time';
import { mpApi } from '../mp';
import { ResidentIdentity } from '../residents/residents.model';
import { ModerationOpenid } from './moderation.model';
import { wechatLabels, type Verdict } from './moderation.schema';

/**
 * WeChat's content security (内容安全) v2 over the Official Account's API client and its leased
 * access_token. Both calls need the openid of the resident who wrote the content: a resident
 * WeChat does not know (a device or Wechaty contact only) is checked by the word list alone.
 */

/** WeChat's scenes: 1 资料 (nicknames), 2 评论 (survey answers), 3 论坛 (tip-offs). */
export const scenes = { nickname: 1, 'survey-answer': 2, tipoff: 3 } as const;

const labelName = (label: number | undefined) => (label !== undefined ? (wechatLabels[label] ?? `标签 ${label}`) : '其他');

/** A resident without an openid is looked up again after this (they may follow the account meanwhile). */
const RECHECK_MS = 24 * 3600_000;

/** The resident's Official Account openid, if they have one: a point read, the identity query once per resident. */
export async function openidOf(residentId: string | null | undefined): Promise<string | undefined> {
  if (!residentId || !mpApi()) return undefined;
  const known = await ModerationOpenid.findById(residentId).lean<{ openid: string | null; checkedAt: Date }>();
  if (known?.openid) return known.openid;
  if (known && now().getTime() - known.checkedAt.getTime() < RECHECK_MS) return undefined;
  const id = await ResidentIdentity.findOne({ residentId, channel: 'mp-openid' }, { _id: 1 }).lean<{ _id: string }>();
  const openid = id ? id._id.slice('mp-openid:'.length) : null;
  await ModerationOpenid.replaceOne({ _id: residentId }, { _id: residentId, openid, checkedAt: now() }, { upsert: true });
  return openid ?? undefined;
}

/**
 * msg_sec_check v2: WeChat's verdict on a text, or undefined when WeChat is not configured, the
 * resident has no openid or WeChat fails (then the word list, applied before, is the only check).
 */
export async function wechatTextVerdict(text: string, openid: string | undefined, scene: number): Promise<Verdict | undefined> {
  const api = mpApi();
  if (!api || !openid) return undefined;
  try {
    const res = (await api.call('/wxa/msg_sec_check', { json: { openid, scene, version: 2, content: text } })) as {
      result?: { suggest?: string; label?: number };
    };
    const suggest = res.result?.suggest === 'risky' || res.result?.suggest === 'review' ? res.result.suggest : 'pass';
    return { suggest, source: 'wechat', label: labelName(res.result?.label) };
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'wechat msg_sec_check failed: the word list alone decided');
    return undefined;
  }
}

/** media_check_async v2: starts WeChat's check of a photo; its verdict comes later to /wechat/mp. Returns the trace_id. */
export async function startImageCheck(mediaId: string, openid: string, scene: number): Promise<string | undefined> {
  const api = mpApi();
  if (!api) return undefined;
  try {
    const res = (await api.call('/wxa/media_check_async', {
      json: { media_url: signedMediaUrl(mediaId), media_type: 2, version: 2, scene, openid },
    })) as { trace_id?: string };
    return res.trace_id;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'wechat media_check_async failed: the photo waits for the office');
    return undefined;
  }
}

/** The verdict WeChat pushes for a photo: suggest pass | review | risky and a label. */
export function imageVerdict(suggest: string | undefined, label: string | undefined): Verdict {
  const s = suggest === 'risky' || suggest === 'review' ? suggest : 'pass';
  return { suggest: s, source: 'wechat', label: labelName(label ? Number(label) : undefined) };
}

/** WeChat downloads the photo within minutes; the link works for a day. */
const LINK_TTL_MS = 24 * 3600_000;
const mac = (payload: string) =>
  crypto.createHmac('sha256', sessionSecret()).update(`moderation-media:${payload}`).digest('base64url').slice(0, 32);

/** A link only WeChat's checker is given: the photo's id and expiry, signed. */
export function signedMediaUrl(mediaId: string): string {
  const payload = `${mediaId}.${now().getTime() + LINK_TTL_MS}`;
  const base = (config().PUBLIC_URL ?? `http://localhost:${config().PORT}`).replace(/\/+$/, '');
  return `${base}/moderation/media/${payload}.${mac(payload)}`;
}

/** The photo id a signed link stands for, or undefined when it is forged or expired. */
export function mediaOfLink(token: string): string | undefined {
  const m = token.match(/^([\w-]{1,64})\.(\d{1,15})\.([\w-]{32})$/);
  if (!m) return undefined;
  const payload = `${m[1]}.${m[2]}`;
  const expected = Buffer.from(mac(payload));
  const given = Buffer.from(m[3]!);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
  return Number(m[2]) > now().getTime() ? m[1] : undefined;
}
