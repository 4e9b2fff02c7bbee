import { startTestApp, type TestApp } from '../harness/app';
import { startFakeWeChat, type FakeWeChat } from '../harness/fake-wechat';
import { residentSession, staffSession } from '../factories';
import { setConfig } from '../../src/config';
import { flushAudit } from '../../src/modules/audit';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { moderationJobs } from '../../src/modules/moderation/moderation.jobs';
import { jpegWithGps, submitOk, submitTipoff } from '../tipoffs/factories';
import { MP_APP_ID, MP_SECRET, MP_TOKEN } from '../mp/helpers';
import { feedIds, followerSession, messagesOf, queue } from './factories';

let app: TestApp;
let fake: FakeWeChat;
let office: { token: string; username: string };
let endpoint: string;

beforeAll(async () => {
  fake = await startFakeWeChat({ appId: MP_APP_ID, appSecret: MP_SECRET, mpToken: MP_TOKEN });
  app = await startTestApp();
  office = await staffSession(app, 'office');
  endpoint = `${app.baseUrl}/wechat/mp`;
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

const wechatOn = () =>
  setConfig({
    WECHAT_API_BASE: fake.url,
    WECHAT_MP_APP_ID: MP_APP_ID,
    WECHAT_MP_APP_SECRET: MP_SECRET,
    WECHAT_MP_TOKEN: MP_TOKEN,
    PUBLIC_URL: app.baseUrl,
  });
const wechatOff = () => setConfig({ WECHAT_MP_APP_ID: undefined, WECHAT_MP_APP_SECRET: undefined, WECHAT_MP_TOKEN: undefined });
const approve = (id: string) => app.post(`/api/v1/moderation/items/${encodeURIComponent(id)}/approve`, {}, { token: office.token });
const reject = (id: string, reason: string) =>
  app.post(`/api/v1/moderation/items/${encodeURIComponent(id)}/reject`, { reason }, { token: office.token });

describe('the sensitive-word floor with WeChat unconfigured', () => {
  beforeAll(wechatOff);

  it('holds a tip-off whose description breaks the word list: out of the Open311 feed, queued as 敏感词, the reporter told kindly', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { description: '门口乱扔垃圾的那个傻逼又来了' });
    expect(await feedIds(app)).not.toContain(t.id);
    const one = await fetch(`${app.baseUrl}/open311/v2/requests/${t.id}.json`);
    expect(one.status).toBe(404);

    const held = (await queue(app, office.token)).find((i) => i.ref === t.id);
    expect(held).toMatchObject({
      id: `tipoff:${t.id}`,
      kind: 'tipoff',
      kindName: '随手拍',
      status: 'held',
      source: 'words',
      sourceName: '敏感词',
      label: '辱骂：傻逼',
    });
    expect(held.photos).toHaveLength(1);
    expect(held.excerpt).toContain('乱扔垃圾');
    expect((await messagesOf(app, r.token)).join('\n')).toContain('正在审核，通过后将公开');
  });

  it('screens the typed address too: it is public in the Open311 feed', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { description: '人行道上堆满了装修垃圾', address: '加微信领取小礼品的那个店门口' });
    expect(await feedIds(app)).not.toContain(t.id);
    const held = (await queue(app, office.token)).find((i) => i.ref === t.id);
    expect(held).toMatchObject({ status: 'held', source: 'words' });
    expect(held.excerpt).toContain('位置：加微信领取小礼品的那个店门口');
  });

  it('puts a clean tip-off in the feed at once and queues nothing', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { description: '人行道上有共享单车乱停乱放' });
    expect(await feedIds(app)).toContain(t.id);
    expect((await queue(app, office.token)).map((i) => i.ref)).not.toContain(t.id);
  });

  it('catches phone-number bait and spaced or full-width words', async () => {
    for (const description of ['办理请联系 138 1234 5678 即可', '这个 傻 Ｂ 把车停在盲道上']) {
      const r = await residentSession(app);
      const t = await submitOk(app, r.token, { description });
      expect(await feedIds(app)).not.toContain(t.id);
    }
  });

  it('approving a held tip-off publishes it and tells the reporter; a second decision is refused (409)', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { description: '加微信领取小礼品，门口有人发传单' });
    const res = await approve(`tipoff:${t.id}`);
    expect(res).toMatchObject({ status: 200, body: { id: `tipoff:${t.id}`, status: 'approved' } });
    expect(await feedIds(app)).toContain(t.id);
    expect((await messagesOf(app, r.token))[0]).toContain('已审核通过，现已公开');
    expect((await queue(app, office.token)).map((i) => i.ref)).not.toContain(t.id);
    const again = await reject(`tipoff:${t.id}`, '重复操作');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('rejecting closes the tip-off as 不予受理 with the reason, and it stays out of the feed', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { description: '物业的人都是废物东西' });
    const res = await reject(`tipoff:${t.id}`, '含有辱骂内容');
    expect(res.body.status).toBe('rejected');
    const mine = await app.get(`/api/v1/tipoffs/${t.id}`, { token: r.token });
    expect(mine.body.status).toBe('rejected');
    expect(await feedIds(app)).not.toContain(t.id);
    const told = (await messagesOf(app, r.token))[0];
    expect(told).toContain('不予受理');
    expect(told).toContain('含有辱骂内容');
    expect((await queue(app, office.token, 'rejected')).map((i) => i.ref)).toContain(t.id);
  });

  it('approves several at once and names the ones already decided', async () => {
    const r = await residentSession(app);
    const a = await submitOk(app, r.token, { description: '有人在墙上写 加qq 123456 办证' });
    const b = await submitOk(app, r.token, { description: '小区门口有人兼职日结发小广告' });
    await approve(`tipoff:${a.id}`);
    const res = await app.post('/api/v1/moderation/items/approve', { ids: [`tipoff:${a.id}`, `tipoff:${b.id}`] }, { token: office.token });
    expect(res.status).toBe(200);
    expect(res.body.approved).toEqual([`tipoff:${b.id}`]);
    expect(res.body.skipped).toEqual([{ id: `tipoff:${a.id}`, why: expect.stringContaining('已审核') }]);
    expect(await feedIds(app)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('records the decisions in the 操作日志 with Chinese summaries, and keeps residents and units out of the queue', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { description: '那个王八蛋又在楼道堆杂物' });
    await reject(`tipoff:${t.id}`, '含有辱骂内容');
    await flushAudit();
    const admin = await staffSession(app, 'admin');
    const log = await app.get('/api/v1/audit?q=内容审核', { token: admin.token });
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['内容审核不通过（继续隐藏，随手拍不予受理）', '内容审核通过（公开）', '批量通过内容审核']),
    );
    expect((await app.get('/api/v1/moderation/items', { token: r.token })).status).toBe(403);
    const unit = await staffSession(app, 'unit', 'cgj');
    expect((await app.get('/api/v1/moderation/items', { token: unit.token })).status).toBe(403);
  });
});

describe('WeChat content security (内容安全) configured', () => {
  beforeAll(wechatOn);
  afterAll(wechatOff);
  afterEach(() => {
    fake.mp.textVerdict = () => ({ suggest: 'pass', label: 100 });
  });

  it('holds a tip-off WeChat finds risky, with WeChat as the source and its label in Chinese', async () => {
    fake.mp.textVerdict = (content) => (content.includes('暗号') ? { suggest: 'risky', label: 20006 } : { suggest: 'pass', label: 100 });
    const r = await followerSession('o-risky-text');
    const t = await submitOk(app, r.token, { description: '有人在桥下用暗号交易' });
    const sent = fake.mp.textChecks.find((c) => c.content.startsWith('有人在桥下用暗号交易'));
    expect(sent).toMatchObject({ openid: 'o-risky-text', scene: 3, version: 2 });
    expect(await feedIds(app)).not.toContain(t.id);
    const held = (await queue(app, office.token)).find((i) => i.ref === t.id);
    expect(held).toMatchObject({ source: 'wechat', sourceName: '微信', label: '违法犯罪' });
    await approve(held.id);
    expect(await feedIds(app)).toContain(t.id);
  });

  it('applies the word list first: WeChat is not asked about a text the list already flags', async () => {
    const r = await followerSession('o-words-first');
    const before = fake.mp.textChecks.length;
    const t = await submitOk(app, r.token, { description: '那个智障把垃圾扔在绿化带' });
    expect(fake.mp.textChecks.length).toBe(before);
    expect((await queue(app, office.token)).find((i) => i.ref === t.id)?.source).toBe('words');
  });

  it('keeps a tip-off hidden while WeChat checks its photo, and publishes it when the clean verdict arrives', async () => {
    const r = await followerSession('o-photo-pass');
    const t = await submitOk(app, r.token, { description: '路灯不亮，晚上很黑' });
    const check = fake.mp.mediaChecks.find((c) => c.openid === 'o-photo-pass')!;
    expect(check).toMatchObject({ media_type: 2, version: 2, scene: 3 });
    // WeChat could download the photo through the signed link, without a session
    expect(await check.downloaded).toBe(200);
    expect(await feedIds(app)).not.toContain(t.id);
    expect((await queue(app, office.token, 'pending')).map((i) => i.ref)).toContain(t.id);

    const pushed = await fake.mp.pushMediaVerdict(endpoint, check.traceId, 'pass');
    expect(pushed).toMatchObject({ status: 200, text: 'success' });
    expect(await feedIds(app)).toContain(t.id);
    expect((await queue(app, office.token, 'pending')).map((i) => i.ref)).not.toContain(t.id);
    expect((await messagesOf(app, r.token)).join('\n')).not.toContain('正在审核');
  });

  it('holds a tip-off when the photo verdict comes back risky, until the office approves it', async () => {
    const r = await followerSession('o-photo-risky');
    const t = await submitOk(app, r.token, { description: '广场上的雕塑被涂鸦' });
    const check = fake.mp.mediaChecks.find((c) => c.openid === 'o-photo-risky')!;
    await fake.mp.pushMediaVerdict(endpoint, check.traceId, 'risky', 20002);
    const held = (await queue(app, office.token)).find((i) => i.ref === t.id);
    expect(held).toMatchObject({ status: 'held', source: 'wechat', label: '图片：色情' });
    expect(await feedIds(app)).not.toContain(t.id);
    expect((await messagesOf(app, r.token)).join('\n')).toContain('正在审核，通过后将公开');
    await approve(held.id);
    expect(await feedIds(app)).toContain(t.id);
  });

  it('publishes a tip-off with two photos only when both clean verdicts are in, even when they arrive at once', async () => {
    const r = await followerSession('o-two-photos');
    const res = await submitTipoff(app, r.token, { description: '井盖缺失，行人容易踩空' }, [
      { data: await jpegWithGps() },
      { data: await jpegWithGps(80, 60) },
    ]);
    expect(res.status).toBe(201);
    const checks = fake.mp.mediaChecks.filter((c) => c.openid === 'o-two-photos');
    expect(checks).toHaveLength(2);
    await fake.mp.pushMediaVerdict(endpoint, checks[0]!.traceId, 'pass');
    expect(await feedIds(app)).not.toContain(res.body.id);
    await fake.mp.pushMediaVerdict(endpoint, checks[0]!.traceId, 'pass'); // WeChat retries a push
    expect(await feedIds(app)).not.toContain(res.body.id);

    const r2 = await followerSession('o-two-at-once');
    const res2 = await submitTipoff(app, r2.token, { description: '公交站台广告牌破损' }, [
      { data: await jpegWithGps() },
      { data: await jpegWithGps(80, 60) },
    ]);
    const both = fake.mp.mediaChecks.filter((c) => c.openid === 'o-two-at-once');
    await Promise.all([...both, checks[1]!].map((c) => fake.mp.pushMediaVerdict(endpoint, c.traceId, 'pass')));
    expect(await feedIds(app)).toEqual(expect.arrayContaining([res.body.id, res2.body.id]));
  });

  it('hands a tip-off whose photo verdict never came to the office after 30 minutes, still hidden', async () => {
    const r = await followerSession('o-photo-silent');
    const t = await submitOk(app, r.token, { description: '小区围墙破损' });
    const runner = createJobRunner({ jobs: moderationJobs, instanceId: 't' });
    const early = await runner.runOccurrence('moderation.overdue-checks', new Date(Date.now() + 10 * 60_000));
    expect((await queue(app, office.token, 'pending')).map((i) => i.ref)).toContain(t.id);
    expect(early?.counts).toMatchObject({ held: 0 });
    await runner.runOccurrence('moderation.overdue-checks', new Date(Date.now() + 31 * 60_000));
    const held = (await queue(app, office.token)).find((i) => i.ref === t.id);
    expect(held).toMatchObject({ status: 'held', label: '微信未返回图片审核结果' });
    expect(await feedIds(app)).not.toContain(t.id);
  });

  it('ignores a verdict for an unknown trace_id and refuses a forged photo link', async () => {
    expect(await fake.mp.pushMediaVerdict(endpoint, 'no-such-trace', 'risky')).toMatchObject({ status: 200, text: 'success' });
    const forged = await fetch(`${app.baseUrl}/moderation/media/${'a'.repeat(24)}.9999999999999.${'b'.repeat(32)}`);
    expect(forged.status).toBe(404);
  });
});
