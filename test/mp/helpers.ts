import type { MpChannel } from '../../bots/mp';
import type { FakeWeChat } from '../harness/fake-wechat';

export const MP_APP_ID = 'wx-mp-appid';
export const MP_SECRET = 'wx-mp-secret';
export const MP_TOKEN = 'wenmingtoken';
/** WeChat's own documentation sample: 43 letters and digits. */
export const MP_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
export const ACCOUNT = 'gh_wenming';

let seq = 0;
/** A message id as WeChat numbers them: 64-bit, past JS's safe integers. */
export const msgId = () => `2418${Date.now()}${String(++seq).padStart(4, '0')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface Follower {
  openid: string;
  /** sends a message; returns every text the follower got for it: passive reply first, then 客服消息 */
  send(fields: Record<string, string | number>): Promise<{ status: number; texts: string[]; passive?: Record<string, string> }>;
  say(text: string, id?: string): Promise<string>;
  image(mediaId: string): Promise<string>;
  location(lat: number, lng: number, label: string): Promise<string>;
  event(event: string, key?: string): Promise<string>;
}

/** A follower of the Official Account talking to the endpoint through the fake WeChat. */
export function follower(fake: FakeWeChat, endpoint: string, channel: MpChannel, openid: string): Follower {
  async function send(fields: Record<string, string | number>) {
    const before = fake.mp.custom.length;
    const res = await fake.mp.push(endpoint, { ToUserName: ACCOUNT, FromUserName: openid, CreateTime: nowSeconds(), ...fields });
    await channel.idle();
    const later = fake.mp.custom
      .slice(before)
      .filter((m) => m.touser === openid)
      .map((m) => m.text?.content ?? `[image ${m.image?.media_id}]`);
    const passive = res.reply?.MsgType === 'text' ? [res.reply.Content!] : res.reply ? [`[${res.reply.MsgType}]`] : [];
    return { status: res.status, texts: [...passive, ...later], passive: res.reply };
  }
  const joined = async (fields: Record<string, string | number>) => (await send(fields)).texts.join('\n');
  return {
    openid,
    send,
    say: (text, id = msgId()) => joined({ MsgType: 'text', Content: text, MsgId: id }),
    image: (mediaId) => joined({ MsgType: 'image', PicUrl: `http://mmbiz.example/${mediaId}`, MediaId: mediaId, MsgId: msgId() }),
    location: (lat, lng, label) =>
      joined({ MsgType: 'location', Location_X: lat, Location_Y: lng, Scale: 15, Label: label, MsgId: msgId() }),
    event: (event, key = '') => joined({ MsgType: 'event', Event: event, EventKey: key }),
  };
}
