import crypto from 'node:crypto';
import { startTestApp, type TestApp } from '../harness/app';
import { startFakeWeChat, type FakeWeChat } from '../harness/fake-wechat';
import { createEngine } from '../../bots/engine';
import { fitted, startMpChannel, type MpChannel } from '../../bots/mp';
import { Pacer } from '../../bots/send-queue';
import { setConfig } from '../../src/config';
import { createMpApi } from '../../src/modules/mp';
import { findResidentByIdentity, residentForIdentity } from '../../src/modules/residents/residents.service';
import { listMyTipoffs } from '../../src/modules/tipoffs/tipoffs.lists';
import { redeemLink } from '../../src/modules/residents/residents.links';
import { completeOAuth, startOAuth } from '../../src/modules/h5/h5.service';
import { questionAsked, rightReply } from '../quiz/bot-helpers';
import { jpegWithGps, LIUAN, north } from '../tipoffs/factories';
import { ACCOUNT, follower, MP_AES_KEY, MP_APP_ID, MP_SECRET, MP_TOKEN, msgId } from './helpers';

const PASSIVE_MS = 1500;
let app: TestApp;
let fake: FakeWeChat;
let channel: MpChannel;
let endpoint: string;

beforeAll(async () => {
  fake = await startFakeWeChat({ appId: MP_APP_ID, appSecret: MP_SECRET, mpToken: MP_TOKEN });
  app = await startTestApp();
  setConfig({ WECHAT_API_BASE: fake.url, WECHAT_MP_APP_ID: MP_APP_ID, WECHAT_MP_APP_SECRET: MP_SECRET, WECHAT_MP_TOKEN: MP_TOKEN });
  const api = createMpApi({ appId: MP_APP_ID, appSecret: MP_SECRET, base: fake.url, backoffMs: [10, 20] });
  channel = startMpChannel({ engine: createEngine(), api, passiveMs: PASSIVE_MS, pacer: new Pacer(0) });
  endpoint = `${app.baseUrl}/wechat/mp`;
});
afterAll(async () => {
  await channel.stop();
  await app.close();
  await fake.close();
});

const sha1 = (...p: string[]) => crypto.createHash('sha1').update(p.sort().join('')).digest('hex');
let spot = 0;
const place = () => north(LIUAN, 900 * ++spot);

describe.each([
  ['明文', undefined],
  ['安全模式', MP_AES_KEY],
])('the Official Account endpoint in %s', (_mode, aesKey) => {
  const tag = aesKey ? 'aes' : 'plain';
  beforeAll(() => {
    setConfig({ WECHAT_MP_AES_KEY: aesKey });
    fake.mp.aesKey = aesKey;
  });

  describe('server verification', () => {
    it('echoes echostr under a valid signature', async () => {
      const q = new URLSearchParams({ timestamp: '1700000000', nonce: 'n0nce', echostr: 'echo-123' });
      q.set('signature', sha1(MP_TOKEN, '1700000000', 'n0nce'));
      const res = await app.get(`/wechat/mp?${q}`);
      expect(res).toMatchObject({ status: 200, body: 'echo-123' });
    });

    it('refuses a verification with a wrong signature (401)', async () => {
      const res = await app.get(`/wechat/mp?signature=${sha1('other', '1', '2')}&timestamp=1&nonce=2&echostr=x`);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('signatures on messages', () => {
    it('refuses a message with a bad signature (401) and handles nothing', async () => {
      const before = fake.mp.custom.length;
      const res = await fake.mp.push(
        endpoint,
        { ToUserName: ACCOUNT, FromUserName: `o-bad-${tag}`, CreateTime: 1, MsgType: 'text', Content: '答题', MsgId: msgId() },
        { badSignature: true },
      );
      expect(res.status).toBe(401);
      expect(await findResidentByIdentity('mp-openid', `o-bad-${tag}`)).toBeUndefined();
      expect(fake.mp.custom.length).toBe(before);
    });

    it('refuses a correctly signed message whose timestamp is more than 5 minutes off (a replay), and handles nothing', async () => {
      const openid = `o-stale-${tag}`;
      const before = fake.mp.custom.length;
      const fields = { ToUserName: ACCOUNT, FromUserName: openid, CreateTime: 1, MsgType: 'text', Content: '答题', MsgId: msgId() };
      const stale = await fake.mp.push(endpoint, fields, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
      const ahead = await fake.mp.push(endpoint, { ...fields, MsgId: msgId() }, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
      expect([stale.status, ahead.status]).toEqual([401, 401]);
      expect(JSON.parse(stale.text).error.message).toBe('请求已过期');
      expect(await findResidentByIdentity('mp-openid', openid)).toBeUndefined();
      expect(fake.mp.custom.length).toBe(before);
    });

    it('accepts a message stamped a little off (within 5 minutes)', async () => {
      const res = await fake.mp.push(
        endpoint,
        { ToUserName: ACCOUNT, FromUserName: `o-skew-${tag}`, CreateTime: 1, MsgType: 'text', Content: '答题', MsgId: msgId() },
        { timestamp: Math.floor(Date.now() / 1000) - 4 * 60 },
      );
      await channel.idle();
      expect(res.status).toBe(200);
      expect(await findResidentByIdentity('mp-openid', `o-skew-${tag}`)).toBeDefined();
    });

    if (aesKey) {
      it('refuses an encrypted message whose msg_signature does not match the body', async () => {
        const q = new URLSearchParams({
          timestamp: '1700000000',
          nonce: 'n',
          encrypt_type: 'aes',
          msg_signature: sha1(MP_TOKEN, '1700000000', 'n', 'other'),
        });
        q.set('signature', sha1(MP_TOKEN, '1700000000', 'n'));
        const res = await fetch(`${endpoint}?${q}`, {
          method: 'POST',
          body: '<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[AAAA]]></Encrypt></xml>',
        });
        expect(res.status).toBe(401);
      });
    }
  });

  describe('a quiz in chat', () => {
    it('runs a whole quiz by passive replies, one question per message', async () => {
      const f = follower(fake, endpoint, channel, `o-quiz-${tag}`);
      let last = await f.say('答题');
      expect(last).toMatch(/第 1\/10 题/);
      for (let i = 0; i < 10; i++) {
        const q = await questionAsked('mp-openid', f.openid);
        expect(q.index).toBe(i);
        last = await f.say(rightReply(q, i));
        expect(last).toMatch(/✅ 回答正确！/);
      }
      expect(last).toMatch(/答题完成！答对 10\/10 题/);
    });

    it('handles a message WeChat retries (same MsgId) once', async () => {
      const f = follower(fake, endpoint, channel, `o-retry-${tag}`);
      await f.say('答题');
      const q = await questionAsked('mp-openid', f.openid);
      const id = msgId();
      expect(await f.say(rightReply(q, 0), id)).toMatch(/第 2\/10 题/);
      const again = await f.send({ MsgType: 'text', Content: rightReply(q, 0), MsgId: id });
      expect(again).toMatchObject({ status: 200, texts: [] });
      expect((await questionAsked('mp-openid', f.openid)).index).toBe(1);
    });

    it('starts the quiz from the menu button (CLICK carries the keyword)', async () => {
      const f = follower(fake, endpoint, channel, `o-click-${tag}`);
      expect(await f.event('CLICK', 'kw:答题')).toMatch(/第 1\/10 题/);
      expect(await f.event('VIEW', 'https://example.org/h5/')).toBe('');
    });
  });

  describe('随手拍 by photo and location', () => {
    it('takes a whole report: photo fetched by MediaId → category → location → description → confirm', async () => {
      const f = follower(fake, endpoint, channel, `o-tip-${tag}`);
      const mediaId = `media-${tag}-1`;
      fake.mp.addMedia(mediaId, await jpegWithGps());
      expect(await f.image(mediaId)).toMatch(/收到您的图片啦！[\s\S]*请选择问题类别/);
      expect(await f.say('乱扔垃圾')).toMatch(/请发送问题发生的位置/);
      const p = place();
      expect(await f.location(p.lat, p.lng, '柳岸路 8 号')).toMatch(/请用一句话描述问题/);
      expect(await f.say('路边垃圾堆了三天')).toMatch(/【请确认举报内容】[\s\S]*位置：柳岸路 8 号/);
      expect(await f.say('1')).toMatch(/提交成功！编号：T\w+/);
      const me = await findResidentByIdentity('mp-openid', f.openid);
      const { items } = await listMyTipoffs(me!._id, { limit: 5 });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ categoryCode: 'littering', description: '路边垃圾堆了三天', location: { address: '柳岸路 8 号' } });
      expect(items[0].location.lat).toBeCloseTo(p.lat, 5); // Location_X is the latitude
      expect(items[0].location.lng).toBeCloseTo(p.lng, 5);
      expect(items[0].photos).toHaveLength(1);
      const photo = await fetch(app.baseUrl + items[0].photos[0].url);
      expect(photo.status).toBeLessThan(500);
    });

    it('asks for the photo again when WeChat cannot hand it over', async () => {
      const f = follower(fake, endpoint, channel, `o-nomedia-${tag}`);
      expect(await f.image(`missing-${tag}`)).toMatch(/没能从微信取回，请重新发送/);
    });

    it('answers a slow turn with "success" at once, then by 客服消息', async () => {
      const f = follower(fake, endpoint, channel, `o-slow-${tag}`);
      const mediaId = `media-${tag}-slow`;
      fake.mp.addMedia(mediaId, await jpegWithGps());
      fake.mp.mediaDelayMs = PASSIVE_MS + 500;
      try {
        const started = Date.now();
        const res = await fake.mp.push(endpoint, {
          ToUserName: ACCOUNT,
          FromUserName: f.openid,
          CreateTime: Math.floor(Date.now() / 1000),
          MsgType: 'image',
          MediaId: mediaId,
          PicUrl: 'http://x/p',
          MsgId: msgId(),
        });
        expect(res).toMatchObject({ status: 200, text: 'success' });
        expect(Date.now() - started).toBeLessThan(PASSIVE_MS + 400);
        await channel.idle();
        const sent = fake.mp.custom.filter((m) => m.touser === f.openid);
        expect(sent).toHaveLength(1);
        expect(sent[0]).toMatchObject({ msgtype: 'text', text: { content: expect.stringMatching(/收到您的图片啦/) } });
      } finally {
        fake.mp.mediaDelayMs = 0;
      }
    });
  });

  describe('followers', () => {
    it('welcomes a new follower with the menu, as the resident the mini-program knows by unionid', async () => {
      const openid = `o-follow-${tag}`;
      const mini = await residentForIdentity('wx-openid', `mini-${tag}`, { channel: 'wx-unionid', externalId: `union-${tag}` });
      fake.mp.addFollower(openid, `union-${tag}`);
      const f = follower(fake, endpoint, channel, openid);
      const hello = await f.event('subscribe', 'qrscene_campaign');
      expect(hello).toMatch(/^感谢关注！[\s\S]*主菜单/);
      expect((await findResidentByIdentity('mp-openid', openid))!._id).toBe(mini._id);
      expect(await f.event('LOCATION')).toBe(''); // a background report is not answered
      expect(await f.event('unsubscribe')).toBe('');
    });

    it('sends H5 links that open as this resident without a login', async () => {
      const f = follower(fake, endpoint, channel, `o-link-${tag}`);
      const reply = await f.say('网页版');
      const href = reply.match(/<a href="([^"]+)">/)?.[1];
      expect(href).toMatch(/\/h5\/link\?t=/);
      const { residentId } = await redeemLink(decodeURIComponent(new URL(href!).searchParams.get('t')!));
      expect(residentId).toBe((await findResidentByIdentity('mp-openid', f.openid))!._id);
    });

    it('is the same resident in H5 pages opened by WeChat OAuth under this Official Account', async () => {
      const f = follower(fake, endpoint, channel, `o-oauth-${tag}`);
      await f.say('菜单');
      expect(startOAuth('/me', app.baseUrl).url).toContain(`appid=${MP_APP_ID}`);
      fake.addCode(`code-${tag}`, f.openid);
      const inPages = await completeOAuth(`code-${tag}`, undefined);
      expect(inPages._id).toBe((await findResidentByIdentity('mp-openid', f.openid))!._id);
    });

    it('sends no 客服消息 once the follower has left (outside the window)', async () => {
      const f = follower(fake, endpoint, channel, `o-gone-${tag}`);
      const mediaId = `media-${tag}-gone`;
      fake.mp.addMedia(mediaId, await jpegWithGps());
      fake.mp.mediaDelayMs = PASSIVE_MS + 300;
      try {
        const pushed = fake.mp.push(endpoint, {
          ToUserName: ACCOUNT,
          FromUserName: f.openid,
          CreateTime: Math.floor(Date.now() / 1000),
          MsgType: 'image',
          MediaId: mediaId,
          MsgId: msgId(),
        });
        await new Promise((r) => setTimeout(r, 100));
        await fake.mp.push(endpoint, {
          ToUserName: ACCOUNT,
          FromUserName: f.openid,
          CreateTime: Math.floor(Date.now() / 1000) + 1,
          MsgType: 'event',
          Event: 'unsubscribe',
        });
        await pushed;
        await channel.idle();
        expect(fake.mp.custom.filter((m) => m.touser === f.openid)).toHaveLength(0);
      } finally {
        fake.mp.mediaDelayMs = 0;
      }
    });
  });
});

describe('replies WeChat would refuse as too long', () => {
  it('are cut at line breaks into messages of at most 2048 bytes, nothing lost', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `第 ${i + 1} 行：文明城市，人人参与。`);
    const parts = fitted({ kind: 'text', text: lines.join('\n') });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength((p as { text: string }).text)).toBeLessThanOrEqual(2048);
    expect(parts.map((p) => (p as { text: string }).text).join('\n')).toBe(lines.join('\n'));
    expect(fitted({ kind: 'text', text: '短' })).toEqual([{ kind: 'text', text: '短' }]);
  });
});

describe('image replies', () => {
  it('go up as temporary media: the first as the passive reply, the next by 客服消息', async () => {
    const photo = await jpegWithGps();
    const stub = {
      handle: async () => [
        { kind: 'image' as const, file: photo, name: 'chart.jpg' },
        { kind: 'image' as const, file: photo, name: 'chart2.jpg' },
      ],
      isKeyword: () => false,
    };
    await channel.stop();
    const api = createMpApi({ appId: MP_APP_ID, appSecret: MP_SECRET, base: fake.url });
    channel = startMpChannel({ engine: stub, api, passiveMs: PASSIVE_MS, pacer: new Pacer(0) });
    try {
      const f = follower(fake, endpoint, channel, 'o-images');
      const res = await f.send({ MsgType: 'text', Content: '图表', MsgId: msgId() });
      expect(res.passive).toMatchObject({ MsgType: 'image', ToUserName: 'o-images', FromUserName: ACCOUNT });
      expect(res.passive!.Image).toMatch(/uploaded-\d+/);
      expect(fake.mp.custom.filter((m) => m.touser === 'o-images')).toEqual([
        { touser: 'o-images', msgtype: 'image', image: { media_id: expect.stringMatching(/^uploaded-/) } },
      ]);
    } finally {
      await channel.stop();
      channel = startMpChannel({ engine: createEngine(), api, passiveMs: PASSIVE_MS, pacer: new Pacer(0) });
    }
  });
});

describe('the channel switched off', () => {
  it('answers 404 at /wechat/mp when WECHAT_MP_APP_ID is unset', async () => {
    setConfig({ WECHAT_MP_APP_ID: undefined });
    try {
      const res = await app.get('/wechat/mp?signature=x&timestamp=1&nonce=2&echostr=y');
      expect(res.status).toBe(404);
    } finally {
      setConfig({ WECHAT_MP_APP_ID: MP_APP_ID });
    }
  });
});
