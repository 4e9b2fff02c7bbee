import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../src/config';
import { logger } from '../src/core/logger';
import { now } from '../src/core/time';
import {
  buildXml,
  followerLeft,
  keywordOfClick,
  mpApi,
  openWindow,
  registerMpConversation,
  rememberLocation,
  takeQuota,
  type MpApi,
  type MpMessage,
} from '../src/modules/mp';
import { registerReach } from '../src/modules/outbox';
import { findResidentByIdentity, residentForIdentity } from '../src/modules/residents';
import { defaultEngine, type Engine } from './engine';
import type { Inbound, Outbound } from './messages';
import { Pacer } from './send-queue';
import { texts } from './texts';

export interface MpChannelOptions {
  engine?: Engine;
  api?: MpApi;
  /** past this the reply goes by 客服消息 (default WECHAT_MP_PASSIVE_MS) */
  passiveMs?: number;
  /** pause between two 客服消息 */
  pacer?: Pacer;
}

export interface MpChannel {
  /** resolves when every 客服消息 started so far is sent (tests, shutdown) */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const WELCOME = '感谢关注！一起共建文明城市。下方菜单可答题、报名志愿服务、随手拍举报、填写问卷。';
const PHOTO_FAILED = '抱歉，这张图片没能从微信取回，请重新发送一次。';
const TIMEOUT: unique symbol = Symbol('timeout');
/** Further replies wait this long after the passive one, so WeChat has shown it first. */
const AFTER_PASSIVE_MS = 50;

/** A message as the engine reads it, or the words a tap or a follow stands for. */
type Turn = { inbound?: Inbound; before?: string[] };

/**
 * The Official Account adapter: the third front end of the same conversation engine and flows as
 * Wechaty and `npm run chat`. It maps WeChat's pushes to inbound messages, answers within WeChat's
 * 5 s with a passive reply when the engine is quick, and otherwise (and for every further reply)
 * through 客服消息, within the follower's allowance.
 */
export function startMpChannel(opts: MpChannelOptions = {}): MpChannel {
  const engine = opts.engine ?? defaultEngine();
  const api = opts.api ?? mpApi();
  if (!api) throw new Error('the Official Account is not configured (WECHAT_MP_APP_ID, WECHAT_MP_APP_SECRET)');
  const passiveMs = opts.passiveMs ?? config().WECHAT_MP_PASSIVE_MS;
  const pacer = opts.pacer ?? new Pacer(100);
  const pending = new Set<Promise<void>>();

  const textInbound = (m: MpMessage, id: string, text: string): Inbound => ({
    channel: 'mp',
    contactId: m.FromUserName,
    messageId: id,
    at: new Date(Number(m.CreateTime) * 1000),
    kind: 'text',
    text,
  });

  /** Finds (or makes) the follower's resident with their unionid, so the mini-program's resident is the same one. */
  async function knowFollower(openid: string): Promise<void> {
    const known = await findResidentByIdentity('mp-openid', openid);
    if (known) return registerReach(known._id, 'mp', openid); // a point read when already there
    const unionid = await api!
      .userInfo(openid)
      .then((u) => u.unionid)
      .catch((err) => void logger.warn({ err: (err as Error).message }, 'mp user info unavailable'));
    const resident = await residentForIdentity('mp-openid', openid, unionid ? { channel: 'wx-unionid', externalId: unionid } : undefined);
    await registerReach(resident._id, 'mp', openid); // template messages find the follower by it
  }

  async function toTurn(m: MpMessage): Promise<Turn | string> {
    const base = {
      channel: 'mp' as const,
      contactId: m.FromUserName,
      messageId: m.MsgId ?? `${m.FromUserName}:${m.CreateTime}`,
      at: new Date(Number(m.CreateTime) * 1000),
    };
    const eventId = `${m.FromUserName}:${m.CreateTime}`; // WeChat's own dedup key for events
    switch (m.MsgType) {
      case 'text':
        await openWindow(m.FromUserName, 'message');
        return { inbound: { ...base, kind: 'text', text: m.Content ?? '' } };
      case 'image': {
        await openWindow(m.FromUserName, 'message');
        const file = await api!
          .downloadMedia(m.MediaId ?? '')
          .catch((err) => void logger.warn({ err: (err as Error).message }, 'mp photo download failed'));
        if (!file) return PHOTO_FAILED;
        return { inbound: { ...base, kind: 'image', file, name: `${m.MediaId}.jpg` } };
      }
      case 'location':
        await openWindow(m.FromUserName, 'message');
        // Location_X is the latitude, Location_Y the longitude.
        return {
          inbound: { ...base, kind: 'location', lat: Number(m.Location_X), lng: Number(m.Location_Y), address: m.Label || undefined },
        };
      case 'event':
        return eventTurn(m, eventId);
      default:
        await openWindow(m.FromUserName, 'message');
        return texts.unsupported; // voice, video, links: say what we can read
    }
  }

  async function eventTurn(m: MpMessage, id: string): Promise<Turn | string> {
    const key = m.EventKey ?? '';
    switch (m.Event) {
      case 'subscribe': {
        const scene = key.startsWith('qrscene_') ? key.slice('qrscene_'.length) : null;
        await openWindow(m.FromUserName, 'event', { scene, subscribed: true });
        await knowFollower(m.FromUserName);
        // A QR code's scene that is a chat keyword starts that flow; otherwise the menu.
        const word = scene && engine.isKeyword(scene) ? scene : '菜单';
        return { inbound: textInbound(m, id, word), before: [WELCOME] };
      }
      case 'SCAN':
        await openWindow(m.FromUserName, 'event');
        return engine.isKeyword(key) ? { inbound: textInbound(m, id, key) } : '';
      case 'unsubscribe':
        await followerLeft(m.FromUserName);
        return '';
      case 'CLICK': {
        await openWindow(m.FromUserName, 'event');
        const word = keywordOfClick(key);
        return word ? { inbound: textInbound(m, id, word) } : '';
      }
      case 'LOCATION':
        if (m.Latitude && m.Longitude) await rememberLocation(m.FromUserName, Number(m.Latitude), Number(m.Longitude));
        return ''; // a background report, not a message: nothing to answer
      default:
        return ''; // VIEW (the page opens by itself) and events we do not use
    }
  }

  async function replies(m: MpMessage): Promise<Outbound[]> {
    // Anyone who writes before we saw them follow (followers from before the service) is linked too.
    if (m.MsgType !== 'event' || m.Event === 'CLICK') await knowFollower(m.FromUserName);
    const turn = await toTurn(m);
    if (typeof turn === 'string') return turn ? [{ kind: 'text', text: turn }] : [];
    const out = turn.inbound ? await engine.handle(turn.inbound) : [];
    const [first, ...rest] = out;
    // The welcome joins the first text so a follow costs one message of the small allowance.
    if (!turn.before?.length) return out.flatMap(fitted);
    const welcomed: Outbound[] =
      first?.kind === 'text'
        ? [{ kind: 'text', text: [...turn.before, first.text].join('\n') }, ...rest]
        : [{ kind: 'text', text: turn.before.join('\n') }, ...out];
    return welcomed.flatMap(fitted);
  }

  /** A passive reply, as plain XML (the endpoint encrypts it in 安全模式). */
  async function passive(m: MpMessage, out: Outbound): Promise<string> {
    const head = { ToUserName: m.FromUserName, FromUserName: m.ToUserName, CreateTime: Math.floor(now().getTime() / 1000) };
    if (out.kind === 'image')
      return buildXml({ ...head, MsgType: 'image', Image: { MediaId: await api!.uploadImage(out.file, out.name) } });
    return buildXml({ ...head, MsgType: 'text', Content: asText(out) });
  }

  /** Further replies by 客服消息, in order, while WeChat's allowance for this follower lasts. */
  function sendLater(openid: string, outs: Outbound[], afterMs = 0): void {
    if (!outs.length) return;
    const run = (async () => {
      if (afterMs) await sleep(afterMs);
      for (const out of outs) {
        if (!(await takeQuota(openid))) {
          logger.info({ dropped: outs.length }, 'mp reply not sent: outside the 客服消息 window or allowance');
          return;
        }
        const message =
          out.kind === 'image'
            ? { msgtype: 'image', image: { media_id: await api!.uploadImage(out.file, out.name) } }
            : { msgtype: 'text', text: { content: asText(out) } };
        await pacer.run(() => api!.sendCustom(openid, message));
      }
    })()
      .catch((err) => logger.warn({ err: (err as Error).message }, 'mp 客服消息 failed'))
      .finally(() => pending.delete(run));
    pending.add(run);
  }

  async function converse(m: MpMessage): Promise<string> {
    const work = replies(m).catch((err): Outbound[] => {
      logger.error({ err }, 'mp message not handled');
      return [{ kind: 'text', text: texts.failed }];
    });
    const timer = new AbortController();
    const result = await Promise.race([
      work,
      sleep(passiveMs, TIMEOUT, { signal: timer.signal }).catch((): typeof TIMEOUT => TIMEOUT),
    ]).finally(() => timer.abort());
    if (result === TIMEOUT) {
      // Too slow for the passive reply: answer "success" now, everything by 客服消息 when ready.
      const late = work.then((outs) => sendLater(m.FromUserName, outs));
      pending.add(late);
      void late.finally(() => pending.delete(late));
      return '';
    }
    const [first, ...rest] = result;
    if (!first) return '';
    const xml = await passive(m, first);
    sendLater(m.FromUserName, rest, AFTER_PASSIVE_MS);
    return xml;
  }

  registerMpConversation(converse);
  logger.info({ passiveMs }, 'wechat official account channel on at /wechat/mp');
  const idle = async () => {
    while (pending.size) await Promise.allSettled([...pending]);
  };
  return {
    idle,
    async stop() {
      registerMpConversation(undefined);
      await idle();
    },
  };
}

/** WeChat refuses a text message over 2048 bytes (errcode 45002). */
const MAX_TEXT_BYTES = 2000;

/** A text too long for one message, cut into several at line breaks (or anywhere, for a giant line). */
export function fitted(out: Outbound): Outbound[] {
  if (out.kind !== 'text' || Buffer.byteLength(out.text) <= MAX_TEXT_BYTES) return [out];
  const parts: string[] = [];
  let part = '';
  for (const line of out.text
    .split('\n')
    .flatMap((l) => (Buffer.byteLength(l) > MAX_TEXT_BYTES ? (l.match(/[\s\S]{1,600}/g) ?? []) : [l]))) {
    const next = part ? `${part}\n${line}` : line;
    if (Buffer.byteLength(next) > MAX_TEXT_BYTES) {
      parts.push(part);
      part = line;
    } else part = next;
  }
  if (part) parts.push(part);
  return parts.map((text) => ({ kind: 'text', text }));
}

/** Official Account text carries links as <a> tags: a link card becomes its title, text and link. */
function asText(out: Exclude<Outbound, { kind: 'image' }>): string {
  if (out.kind === 'text') return out.text;
  return `${out.title}\n${out.description}\n<a href="${out.url.replaceAll('"', '%22')}">点击打开</a>`;
}
