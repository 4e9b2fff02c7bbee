import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../harness/app';
import { startFakeWeChat, type FakeWeChat } from '../harness/fake-wechat';
import { residentSession, staffSession } from '../factories';
import { submitOk, transition } from '../tipoffs/factories';
import { createEngine } from '../../bots/engine';
import { startMpChannel, type MpChannel } from '../../bots/mp';
import { createSendQueue, Pacer } from '../../bots/send-queue';
import { ConfigError, parseConfig, setConfig } from '../../src/config';
import { signToken } from '../../src/core/auth';
import { setClock } from '../../src/core/time';
import { createMpApi } from '../../src/modules/mp';
import { loadMpTemplates } from '../../src/modules/mp/mp.templates';
import { createNoticeSender, type NoticeSender } from '../../src/modules/outbox';
import { OutboxMessage } from '../../src/modules/outbox/outbox.model';
import { registerPushTarget } from '../../src/modules/outbox/outbox.service';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { follower, MP_APP_ID, MP_SECRET, MP_TOKEN } from './helpers';

/** The template ids content/mp-templates.yaml ships with. */
const OA_TIPOFF = 'oa-tipoff-status-template-id';
const MINI_TIPOFF = 'mini-tipoff-status-template-id';

let app: TestApp;
let fake: FakeWeChat;
let channel: MpChannel;
let sender: NoticeSender;
let office: { token: string };
let endpoint: string;

beforeAll(async () => {
  fake = await startFakeWeChat({ appId: MP_APP_ID, appSecret: MP_SECRET, mpToken: MP_TOKEN });
  app = await startTestApp();
  setConfig({
    WECHAT_API_BASE: fake.url,
    WECHAT_MP_APP_ID: MP_APP_ID,
    WECHAT_MP_APP_SECRET: MP_SECRET,
    WECHAT_MP_TOKEN: MP_TOKEN,
    WECHAT_MINI_APP_ID: fake.miniAppId,
    WECHAT_MINI_APP_SECRET: fake.miniAppSecret,
    PUBLIC_URL: 'https://wenming.example.cn',
  });
  const oa = createMpApi({ appId: MP_APP_ID, appSecret: MP_SECRET, base: fake.url, backoffMs: [10, 20] });
  const mini = createMpApi({ appId: fake.miniAppId, appSecret: fake.miniAppSecret, base: fake.url, backoffMs: [10, 20] });
  channel = startMpChannel({ engine: createEngine(), api: oa, passiveMs: 1500, pacer: new Pacer(0) });
  sender = createNoticeSender({ oa, mini, intervalMs: 0 });
  office = await staffSession(app, 'office');
  endpoint = `${app.baseUrl}/wechat/mp`;
});
afterAll(async () => {
  await channel.stop();
  await app.close();
  await fake.close();
});
afterEach(() => setClock(undefined));

/** A resident who followed the Official Account (the follow event links the openid to them). */
async function oaFollower(openid: string, unionid?: string): Promise<{ id: string; token: string }> {
  if (unionid) fake.mp.addFollower(openid, unionid);
  await follower(fake, endpoint, channel, openid).event('subscribe');
  const r = (await findResidentByIdentity('mp-openid', openid))!;
  return { id: r._id, token: signToken({ kind: 'resident', residentId: r._id }) };
}

/** A resident signed in by the mini-program (code2Session), with its session token. */
async function miniUser(openid: string, unionid?: string): Promise<{ id: string; token: string }> {
  fake.addCode(`code-${openid}`, openid, unionid);
  const res = await app.post('/api/v1/sessions/miniprogram', { code: `code-${openid}` });
  expect(res.status).toBe(201);
  return { id: res.body.resident.id, token: res.body.token };
}

/** A tip-off by the resident, accepted by the office (and routed to its unit): the reporter is told once. */
async function acceptedTipoff(token: string): Promise<string> {
  const t = await submitOk(app, token, { categoryCode: 'littering' });
  expect((await transition(app, office.token, t.id, { action: 'accept' })).status).toBe(200);
  return t.id;
}

/** Drains until nothing moves (a notice handed to the next channel is sent in the next round). */
async function deliver(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const r = await sender.drainOnce();
    if (!r.rerouted && !r.sent) return;
  }
}

const messagesOf = async (residentId: string) => OutboxMessage.find({ residentId }).sort({ _id: 1 }).lean();

describe('routing notices by channel', () => {
  it('sends a tip-off status change to an Official Account follower as a 模板消息, and records the channel', async () => {
    const r = await oaFollower('o-notice-follower');
    const before = fake.mp.templates.length;
    const id = await acceptedTipoff(r.token);
    await deliver();

    const sent = fake.mp.templates.slice(before);
    expect(sent).toEqual([
      expect.objectContaining({ touser: 'o-notice-follower', template_id: OA_TIPOFF, url: 'https://wenming.example.cn/h5/#/tipoff/mine' }),
    ]);
    expect(sent[0]!.data).toMatchObject({ character_string1: { value: id }, thing2: { value: '乱扔垃圾' }, phrase3: { value: '已受理' } });
    expect((await messagesOf(r.id)).map((m) => [m.status, m.channel])).toEqual([['sent', 'mp']]);
    const mine = await app.get('/api/v1/me/messages', { token: r.token });
    expect(mine.body.items).toEqual([expect.objectContaining({ status: 'sent' })]); // the H5 "消息" record is there too
    const outbox = await app.get('/api/v1/admin/outbox/residents?status=sent', { token: office.token });
    expect(outbox.body.items.find((m: { residentId: string }) => m.residentId === r.id)).toMatchObject({ status: 'sent', channel: 'mp' });
  });

  it('sends a mini-program user with a subscription a 订阅消息, consuming it: the next notice goes to H5 only', async () => {
    const r = await miniUser('o-mini-subscriber');
    const sub = await app.post('/api/v1/mp/subscriptions', { templateIds: [MINI_TIPOFF] }, { token: r.token });
    expect(sub).toMatchObject({ status: 200, body: { items: [{ templateId: MINI_TIPOFF, kind: 'tipoff-status', unused: 1 }] } });
    const before = fake.mp.subscribes.length;
    await acceptedTipoff(r.token);
    await acceptedTipoff(r.token);
    await deliver();

    const sent = fake.mp.subscribes.slice(before);
    expect(sent).toEqual([expect.objectContaining({ touser: 'o-mini-subscriber', template_id: MINI_TIPOFF, page: 'pages/tipoff/mine' })]);
    expect(sent[0]!.data.phrase3).toEqual({ value: '已受理' });
    expect((await messagesOf(r.id)).map((m) => [m.status, m.channel]).sort()).toEqual([
      ['sent', 'mini'],
      ['unsent', 'h5'],
    ]);
  });

  it('leaves a resident with neither channel the notice in H5 only, sending nothing', async () => {
    const r = await residentSession(app);
    const before = { t: fake.mp.templates.length, s: fake.mp.subscribes.length };
    await acceptedTipoff(r.token);
    await deliver();
    expect([fake.mp.templates.length, fake.mp.subscribes.length]).toEqual([before.t, before.s]);
    const mine = await app.get('/api/v1/me/messages', { token: r.token });
    expect(mine.body.items.map((m: { status: string }) => m.status)).toEqual(['unsent']);
    expect((await messagesOf(r.id)).every((m) => m.channel === 'h5')).toBe(true);
  });

  it('hands the notice to the mini-program when WeChat answers 43004 (the follower left), and skips the Official Account afterwards', async () => {
    const r = await oaFollower('o-left-follower', 'union-left');
    const m = await miniUser('o-left-mini', 'union-left');
    expect(m.id).toBe(r.id); // one resident, linked by unionid
    for (let i = 0; i < 2; i++) await app.post('/api/v1/mp/subscriptions', { templateIds: [MINI_TIPOFF] }, { token: m.token }); // accepted twice
    fake.mp.failNext('/cgi-bin/message/template/send', 43004);
    const before = { t: fake.mp.templates.length, s: fake.mp.subscribes.length };
    await acceptedTipoff(r.token);
    await deliver();
    await acceptedTipoff(r.token); // the next notice no longer tries the Official Account
    await deliver();

    expect(fake.mp.templates.length).toBe(before.t);
    expect(fake.mp.subscribes.slice(before.s).map((s) => s.touser)).toEqual(['o-left-mini', 'o-left-mini']);
    expect((await messagesOf(r.id)).map((x) => [x.status, x.channel])).toEqual([
      ['sent', 'mini'],
      ['sent', 'mini'],
    ]);
  });

  it('keeps the bot off what the Official Account sends, and hands the bot a notice the Official Account cannot deliver', async () => {
    const r = await oaFollower('o-bot-too');
    await registerPushTarget(r.id, 'wechaty', 'wxid-bot-too'); // they talk to the bot as well
    const pushed: string[] = [];
    const bot = createSendQueue({
      channel: 'wechaty',
      deliver: async (to, text) => void pushed.push(`${to} ${text}`),
      pacer: new Pacer(0),
    });
    const before = fake.mp.templates.length;

    await acceptedTipoff(r.token);
    await bot.drainOnce();
    await deliver();
    expect(pushed).toEqual([]);
    expect(fake.mp.templates.slice(before).map((t) => t.touser)).toEqual(['o-bot-too']);

    fake.mp.failNext('/cgi-bin/message/template/send', 40003);
    await acceptedTipoff(r.token);
    await deliver();
    await bot.drainOnce();
    expect(pushed).toEqual([expect.stringMatching(/^wxid-bot-too 【通知】您举报的「乱扔垃圾」问题/)]);
    expect((await messagesOf(r.id)).map((x) => x.channel).sort()).toEqual(['mp', 'wechaty']);
  });

  it('retries a busy WeChat later from the outbox, then delivers', async () => {
    const r = await oaFollower('o-busy-follower');
    fake.mp.failNext('/cgi-bin/message/template/send', 45009, 3); // the client's own two retries fail too
    await acceptedTipoff(r.token);
    const first = await sender.drainOnce();
    expect(first.retried).toBeGreaterThanOrEqual(1);
    expect((await messagesOf(r.id)).map((x) => x.status)).toContain('pending');

    const later = new Date(Date.now() + 2 * 60_000);
    setClock(() => later);
    await deliver();
    expect((await messagesOf(r.id)).map((x) => [x.status, x.channel])).toEqual([['sent', 'mp']]);
  });
});

describe('mini-program subscriptions (POST /api/v1/mp/subscriptions)', () => {
  it('refuses a resident who never signed in by the mini-program (409)', async () => {
    const r = await residentSession(app);
    const res = await app.post('/api/v1/mp/subscriptions', { templateIds: [MINI_TIPOFF] }, { token: r.token });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
  });

  it('refuses a template id that is not one of ours (400), and needs a session (401)', async () => {
    const r = await miniUser('o-mini-unknown');
    const res = await app.post('/api/v1/mp/subscriptions', { templateIds: ['someone-elses-template'] }, { token: r.token });
    expect(res).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', details: { templateIds: ['someone-elses-template'] } } },
    });
    expect((await app.post('/api/v1/mp/subscriptions', { templateIds: [MINI_TIPOFF] })).status).toBe(401);
  });
});

describe('configuration', () => {
  it('stops start-up naming a bad or half-set mini-program variable', () => {
    expect(() => parseConfig({ WECHAT_MINI_APP_ID: 'bad id!' })).toThrow(/WECHAT_MINI_APP_ID/);
    expect(() => parseConfig({ WECHAT_MINI_APP_ID: 'wx1234567890abcdef' })).toThrow(/WECHAT_MINI_APP_SECRET/);
    expect(() => parseConfig({ WECOM_WEBHOOK_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' })).toThrow(ConfigError);
  });

  it('refuses a templates file whose field names a value the notice kind does not carry, naming the path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-templates-'));
    fs.writeFileSync(
      path.join(dir, 'mp-templates.yaml'),
      'officialAccount:\n  tipoff-status:\n    templateId: some-template\n    fields:\n      thing2: "{bogus}"\n',
    );
    process.env.WM_CONTENT_DIR = dir;
    try {
      expect(() => loadMpTemplates()).toThrow(/mp-templates\.yaml: officialAccount\.tipoff-status\.fields\.thing2: .*\{bogus\}/);
    } finally {
      delete process.env.WM_CONTENT_DIR;
      loadMpTemplates();
    }
  });
});
