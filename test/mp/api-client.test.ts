import { startTestApp, type TestApp } from '../harness/app';
import { startFakeWeChat, type FakeWeChat } from '../harness/fake-wechat';
import { ConfigError, parseConfig } from '../../src/config';
import { createMpApi, publishMenu, type MpApi } from '../../src/modules/mp';
import { MpToken, MpTokenLease } from '../../src/modules/mp/mp.model';
import { loadMpMenu, mpMenuFileSchema, toWeChatMenu } from '../../src/modules/mp/mp.menu';
import { MP_AES_KEY, MP_APP_ID, MP_SECRET, MP_TOKEN } from './helpers';

let app: TestApp;
let fake: FakeWeChat;
beforeAll(async () => {
  fake = await startFakeWeChat({ appId: MP_APP_ID, appSecret: MP_SECRET });
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

/** One service instance's client: its own memory, the shared database. */
const instance = (name: string): MpApi =>
  createMpApi({ appId: MP_APP_ID, appSecret: MP_SECRET, base: fake.url, instance: name, backoffMs: [10, 20] });
const text = (content: string) => ({ msgtype: 'text', text: { content } });

describe('the access_token under two service instances', () => {
  beforeEach(async () => {
    await MpToken.deleteMany({});
    fake.mp.tokenRequests = 0;
  });

  it('is fetched once when both instances need it at the same moment, and both calls succeed', async () => {
    const [a, b] = [instance('a'), instance('b')];
    await Promise.all([
      a.sendCustom('o-1', text('一')),
      b.sendCustom('o-2', text('二')),
      a.sendCustom('o-3', text('三')),
      b.sendCustom('o-4', text('四')),
    ]);
    expect(fake.mp.tokenRequests).toBe(1);
    expect(await a.accessToken()).toBe(await b.accessToken());
  });

  it('is renewed by one instance before it expires, and the other reads the new one', async () => {
    await instance('a').accessToken();
    // Four minutes left: inside the renewal margin. Two instances started now both see it.
    await MpToken.updateOne({ _id: MP_APP_ID }, { $set: { expiresAt: new Date(Date.now() + 4 * 60_000) } });
    const [c, d] = [instance('c'), instance('d')];
    await Promise.all([c.sendCustom('o-5', text('五')), d.sendCustom('o-6', text('六'))]);
    expect(fake.mp.tokenRequests).toBe(2);
    expect(await c.accessToken()).toBe(await d.accessToken());
  });

  it('is renewed once when WeChat refuses it (40001), and an instance still holding the old one catches up without a fetch', async () => {
    const [a, b] = [instance('a'), instance('b')];
    await a.accessToken();
    await b.accessToken();
    await fetch(`${fake.url}/cgi-bin/token?grant_type=client_credential&appid=${MP_APP_ID}&secret=${MP_SECRET}`); // someone else took a token
    await a.sendCustom('o-7', text('七'));
    await b.sendCustom('o-8', text('八'));
    expect(fake.mp.tokenRequests).toBe(3); // ours, the outsider's, one renewal
  });

  it('takes over the lease of an instance that died while fetching', async () => {
    await MpTokenLease.create({ _id: `${MP_APP_ID}:none`, instance: 'dead', createdAt: new Date(Date.now() - 60_000) });
    const started = Date.now();
    expect(await instance('e').accessToken()).toMatch(/^mp-token-/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.mp.tokenRequests).toBe(1);
  });
});

describe('WeChat errors', () => {
  it('retries a busy WeChat (-1) after a pause', async () => {
    const api = instance('busy');
    const before = fake.mp.custom.length;
    fake.mp.failNext('/cgi-bin/message/custom/send', -1, 2);
    await api.sendCustom('o-busy', text('稍等'));
    expect(fake.mp.custom.length).toBe(before + 1);
  });

  it('gives up after the pauses run out, with the errcode in the error', async () => {
    fake.mp.failNext('/cgi-bin/message/custom/send', 45009, 5);
    await expect(instance('quota').sendCustom('o-quota', text('x'))).rejects.toMatchObject({ code: 'UPSTREAM_FAILED', errcode: 45009 });
    fake.mp.failNext('/cgi-bin/message/custom/send', 45009, 0);
  });
});

describe('the custom menu', () => {
  it('publishes content/mp-menu.yaml: 答题, 志愿, 随手拍, 问卷, 我的 as click buttons carrying the keyword', async () => {
    const menu = await publishMenu(instance('menu'));
    expect(fake.mp.menus.at(-1)).toEqual(menu);
    const keys = JSON.stringify(menu);
    for (const word of ['答题', '志愿', '随手拍', '问卷', '我的']) expect(keys).toContain(`"key":"kw:${word}"`);
    expect(menu.button.length).toBeLessThanOrEqual(3);
  });

  it('refuses a menu WeChat would refuse, naming the problem', () => {
    const four = { buttons: ['一', '二', '三', '四'].map((name) => ({ name, keyword: name })) };
    expect(mpMenuFileSchema.safeParse(four).error?.issues[0]?.message).toBe('一级菜单最多 3 个');
    expect(mpMenuFileSchema.safeParse({ buttons: [{ name: '一个很长的菜单名称', keyword: 'x' }] }).success).toBe(false);
    expect(toWeChatMenu({ buttons: [{ name: '网页', url: 'https://example.org/h5/' }] })).toEqual({
      button: [{ type: 'view', name: '网页', url: 'https://example.org/h5/' }],
    });
    expect(loadMpMenu().buttons.length).toBe(3);
  });
});

describe('configuration', () => {
  const mp = { WECHAT_MP_APP_ID: MP_APP_ID, WECHAT_MP_APP_SECRET: MP_SECRET, WECHAT_MP_TOKEN: MP_TOKEN };
  const fails = (env: Record<string, string>) => () => parseConfig(env);

  it('accepts the channel off, in 明文 and in 安全模式', () => {
    expect(parseConfig({}).WECHAT_MP_APP_ID).toBeUndefined();
    expect(parseConfig(mp).WECHAT_MP_AES_KEY).toBeUndefined();
    expect(parseConfig({ ...mp, WECHAT_MP_AES_KEY: MP_AES_KEY }).WECHAT_MP_AES_KEY).toBe(MP_AES_KEY);
  });

  it('stops start-up naming the variable that is bad or missing', () => {
    expect(fails({ ...mp, WECHAT_MP_AES_KEY: 'too-short' })).toThrow(ConfigError);
    expect(fails({ ...mp, WECHAT_MP_AES_KEY: 'too-short' })).toThrow(/WECHAT_MP_AES_KEY/);
    expect(fails({ ...mp, WECHAT_MP_TOKEN: 'x' })).toThrow(/WECHAT_MP_TOKEN/);
    expect(fails({ WECHAT_MP_APP_ID: MP_APP_ID, WECHAT_MP_TOKEN: MP_TOKEN })).toThrow(/WECHAT_MP_APP_SECRET/);
    expect(fails({ WECHAT_MP_AES_KEY: MP_AES_KEY })).toThrow(/WECHAT_MP_APP_ID/);
  });
});
