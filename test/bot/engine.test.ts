import { startTestApp, type TestApp } from '../harness/app';
import { contact, hasChinese, said } from './helpers';
import { createEngine, type Engine } from '../../bots/engine';
import { defineFlow } from '../../bots/flows/flow';
import { allFlows } from '../../bots/flows';
import { BotConversation, BotMessage, pruneHandledMessages } from '../../bots/store';
import { verifyLinkToken } from '../../src/core/auth';
import { AppError } from '../../src/core/errors';
import { setClock } from '../../src/core/time';
import { awardPoints, findResidentByIdentity, getMe } from '../../src/modules/residents/residents.service';
import { recordParticipation } from '../../src/modules/counters/counters.recorder';

let app: TestApp;
let engine: Engine;
beforeAll(async () => {
  app = await startTestApp();
  engine = createEngine();
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

describe('main menu', () => {
  it('greets a new contact with the numbered main menu, whatever they say first', async () => {
    const replies = await contact(engine, 'menu-new').say('在不在');
    const text = said(replies);
    expect(text).toMatch(/欢迎参与明州市文明城市创建/);
    for (const item of ['1. 知识问答', '2. 志愿服务', '3. 随手拍', '4. 问卷调查', '5. 我的', '6. 帮助']) expect(text).toContain(item);
  });

  it('opens a feature by its menu number, including full-width digits', async () => {
    const c = contact(engine, 'menu-number');
    await c.say('你好');
    expect(said(await c.say('6'))).toMatch(/使用帮助/);
    expect(said(await c.say('５'))).toMatch(/【我的】/);
    expect(said(await c.say('1'))).toMatch(/【创建全国文明城市知识问答】[\s\S]*第 1\/10 题/);
  });

  it('answers a menu number that does not exist with the valid range', async () => {
    const c = contact(engine, 'menu-range');
    await c.say('菜单');
    const entries = allFlows().filter((f) => f.menu).length;
    expect(said(await c.say('99'))).toMatch(new RegExp(`没有编号为 99 的选项，请回复 1-${entries}`));
  });

  it('opens features by keyword shortcuts', async () => {
    const c = contact(engine, 'menu-keywords');
    expect(said(await c.say('答题'))).toMatch(/【创建全国文明城市知识问答】/);
    expect(said(await c.say('志愿'))).toMatch(/【志愿服务】/);
    expect(said(await c.say('随手拍'))).toMatch(/【随手拍】[\s\S]*请选择问题类别/);
    expect(said(await c.say('问卷'))).toMatch(/【问卷调查】正在进行的问卷/);
    expect(said(await c.say('帮助'))).toMatch(/返回/);
    expect(said(await c.say(' 菜单 '))).toMatch(/主菜单/);
  });

  it('answers unknown input helpfully in Chinese, never with silence', async () => {
    const c = contact(engine, 'menu-unknown');
    await c.say('你好');
    const replies = await c.say('今天天气怎么样');
    expect(replies.length).toBeGreaterThan(0);
    expect(said(replies)).toMatch(/没听懂“今天天气怎么样”/);
    expect(said(replies)).toContain('1. 知识问答');
  });

  it('hints at 随手拍 for a photo and names the nearest community for a location', async () => {
    const c = contact(engine, 'menu-media');
    await c.say('你好');
    expect(said(await c.image(Buffer.from('not really a photo')))).toMatch(/随手拍/);
    expect(said(await c.location(29.8731, 121.5602, '柳岸路 1 号'))).toMatch(/离您最近的社区是：东湖区 湖滨街道 柳岸社区/);
    expect(said(await c.location(39.99, 116.33))).toMatch(/附近没有找到本市的社区/);
  });
});

describe('region choice', () => {
  it('walks district → street → community by numbers and saves the community', async () => {
    const c = contact(engine, 'region-walk');
    const districts = said(await c.say('设置社区'));
    expect(districts).toMatch(/您还没有选择社区/);
    expect(districts).toMatch(/1\. 东湖区\n2\. 西岭区\n3\. 南港区/);
    const streets = said(await c.say('1'));
    expect(streets).toMatch(/东湖区 › 请选择您所在的街道/);
    expect(streets).toMatch(/1\. 湖滨街道\n2\. 新河街道/);
    expect(said(await c.say('2'))).toMatch(/1\. 新河社区\n2\. 丰乐社区/);
    expect(said(await c.say('新河社区'))).toMatch(/已将您的社区设置为：东湖区 新河街道 新河社区/);

    const resident = await findResidentByIdentity('chat', 'region-walk');
    expect(resident?.regionCode).toBe('330201002001');
    expect(said(await c.say('我的'))).toMatch(/社区：东湖区 新河街道 新河社区/);
  });

  it('re-asks on a bad choice, goes up a level with 0, and accepts a shared location', async () => {
    const c = contact(engine, 'region-nav');
    await c.say('区域');
    expect(said(await c.say('7'))).toMatch(/请回复列表中的序号（1-3）/);
    await c.say('2');
    expect(said(await c.say('0'))).toMatch(/1\. 东湖区/);
    expect(said(await c.location(29.8688, 121.5302))).toMatch(/离您最近的社区是：西岭区 文昌街道 文昌社区。设为您的社区吗/);
    expect(said(await c.say('1'))).toMatch(/已将您的社区设置为：西岭区 文昌街道 文昌社区/);
    expect((await findResidentByIdentity('chat', 'region-nav'))?.regionCode).toBe('330202002001');
  });

  it('takes a community by name from any level, and lists the places when a name fits several', async () => {
    const c = contact(engine, 'region-by-name');
    await c.say('设置社区');
    expect(said(await c.say('望湖'))).toMatch(/已将您的社区设置为：东湖区 湖滨街道 望湖社区/);
    await c.say('设置社区');
    const several = said(await c.say('新河'));
    expect(several).toMatch(/有 2 处与“新河”相符：\n1\. 东湖区 新河街道\n2\. 东湖区 新河街道 新河社区\n请回复序号选择。/);
    expect(said(await c.say('2'))).toMatch(/已将您的社区设置为：东湖区 新河街道 新河社区/);
    await c.say('设置社区');
    expect(said(await c.say('火星'))).toMatch(/没有找到“火星”。请回复列表中的序号（1-3），或直接回复名称，如“东湖”。/);
  });

  it('leaves the flow on 返回 or 取消 from anywhere, back to the menu', async () => {
    const c = contact(engine, 'region-back');
    await c.say('设置社区');
    await c.say('1');
    const back = said(await c.say('返回'));
    expect(back).toMatch(/已退出当前操作/);
    expect(back).toMatch(/主菜单/);
    // "1" now means the menu's first item, not a district
    expect(said(await c.say('1'))).toMatch(/【创建全国文明城市知识问答】[\s\S]*第 1\/10 题/);
    await c.say('设置社区');
    expect(said(await c.say('取消'))).toMatch(/已退出当前操作/);
  });
});

describe('我的 and the H5 link', () => {
  it('shows points, participation counts and community from the residents service', async () => {
    const c = contact(engine, 'me-view');
    const text = said(await c.say('我的'));
    const me = await getMe((await findResidentByIdentity('chat', 'me-view'))!._id);
    expect(text).toContain(`昵称：${me.nickname}`);
    expect(text).toMatch(/社区：未选择/);
    expect(text).toMatch(/积分：0 分/);
    expect(text).toMatch(/答题 0 次、问卷 0 次、随手拍 0 次、志愿报名 0 次/);
  });

  it('shows points and participation as they are recorded', async () => {
    const c = contact(engine, 'me-active');
    await c.say('你好');
    const resident = (await findResidentByIdentity('chat', 'me-active'))!;
    await awardPoints(resident._id, 15, 'quiz', 'attempt-1');
    await recordParticipation({ id: resident._id, regionCode: null }, 'quiz', new Date(), 'attempt-1');
    await recordParticipation({ id: resident._id, regionCode: null }, 'survey', new Date(), 'response-1');
    const text = said(await c.say('我的'));
    expect(text).toMatch(/积分：15 分/);
    expect(text).toMatch(/答题 1 次、问卷 1 次、随手拍 0 次、志愿报名 0 次/);
  });

  it('hands out a signed short-lived link that opens H5 as the same resident', async () => {
    const [reply] = await contact(engine, 'link-user').say('链接');
    expect(reply?.kind).toBe('link');
    if (reply?.kind !== 'link') return;
    expect(hasChinese(reply.title + reply.description)).toBe(true);
    const token = decodeURIComponent(new URL(reply.url).searchParams.get('t')!);
    const resident = await findResidentByIdentity('chat', 'link-user');
    expect(verifyLinkToken(token)?.residentId).toBe(resident!._id);
    const res = await app.get(`/h5/link?t=${encodeURIComponent(token)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('set-cookie')).toMatch(/wm_session=/);
  });
});

describe('delivery rules', () => {
  it('ignores a message id it has already handled', async () => {
    const msg = {
      channel: 'chat' as const,
      contactId: 'dup-user',
      messageId: 'same-id-1',
      at: new Date(),
      kind: 'text' as const,
      text: '菜单',
    };
    expect((await engine.handle(msg)).length).toBeGreaterThan(0);
    expect(await engine.handle(msg)).toEqual([]);
    expect(await engine.handle({ ...msg, text: '我的' })).toEqual([]);
  });

  it('forgets handled message ids after a while (they only guard against redelivery)', async () => {
    await engine.handle({ channel: 'chat', contactId: 'prune-user', messageId: 'prune-1', at: new Date(), kind: 'text', text: '菜单' });
    expect(await pruneHandledMessages(new Date(Date.now() - 3600_000))).toBe(0);
    expect(await BotMessage.findById('chat:prune-1').lean()).not.toBeNull();
    expect(await pruneHandledMessages(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    expect(await BotMessage.findById('chat:prune-1').lean()).toBeNull();
  });

  it('ignores messages older than the stale window (replayed after a re-login)', async () => {
    const at = new Date(Date.now() - 10 * 60_000);
    expect(await engine.handle({ channel: 'chat', contactId: 'stale-user', messageId: 'old-1', at, kind: 'text', text: '菜单' })).toEqual(
      [],
    );
    expect(await BotConversation.findById('chat:stale-user').lean()).toBeNull();
  });

  it('resumes a conversation from the database after a restart', async () => {
    await contact(engine, 'restart-user').say('设置社区');
    await contact(engine, 'restart-user').say('3');
    expect(await BotConversation.findById('chat:restart-user').lean()).toMatchObject({
      flow: 'region',
      step: 'pick',
      data: { parent: '330203' },
    });
    const restarted = createEngine();
    const reply = said(await contact(restarted, 'restart-user').say('2'));
    expect(reply).toMatch(/南港区 建设街道 › 请选择您所在的社区/);
  });

  it('drops a flow left idle for hours and starts again at the menu', async () => {
    const c = contact(engine, 'idle-user');
    await c.say('设置社区');
    const later = new Date(Date.now() + 7 * 3600_000);
    setClock(() => later);
    const reply = await engine.handle({ channel: 'chat', contactId: 'idle-user', messageId: 'idle-2', at: later, kind: 'text', text: '1' });
    expect(said(reply)).toMatch(/上次的对话已超时/);
    expect(said(reply)).toMatch(/【创建全国文明城市知识问答】/);
  });

  it('in a group answers only when @-mentioned or on a keyword', async () => {
    const c = contact(engine, 'room-user', 'wechaty');
    expect(await c.say('大家好', { room: { id: 'r1@chatroom', mentioned: false } })).toEqual([]);
    expect(said(await c.say('菜单', { room: { id: 'r1@chatroom', mentioned: false } }))).toMatch(/主菜单/);
    expect(said(await c.say('大家好', { room: { id: 'r1@chatroom', mentioned: true } }))).toMatch(/没听懂/);
  });
});

describe('failures', () => {
  const menu = allFlows().find((f) => f.name === 'menu')!;
  const boom = defineFlow({
    name: 'boom',
    keywords: ['爆炸', '冲突'],
    start(ctx) {
      ctx.state.set('armed', {});
      ctx.reply.text('已就绪');
    },
    onMessage(ctx) {
      ctx.state.clear();
      if (ctx.text === 'app') throw new AppError('CONFLICT', '这件事已经做过了');
      throw new Error('database on fire');
    },
  });

  it('shows an AppError message, apologises for anything else, and keeps the state', async () => {
    const e = createEngine({ flows: [menu, boom] });
    const c = contact(e, 'boom-user');
    await c.say('爆炸');
    expect(said(await c.say('app'))).toMatch(/^这件事已经做过了\n回复“返回”/);
    const apology = said(await c.say('other'));
    expect(apology).toMatch(/系统开小差了/);
    expect(apology).not.toMatch(/fire/);
    expect(await BotConversation.findById('chat:boom-user').lean()).toMatchObject({ flow: 'boom', step: 'armed' });
  });

  it('refuses two flows claiming the same keyword', () => {
    const clash = defineFlow({ ...boom, name: 'clash', keywords: ['冲突'] });
    expect(() => createEngine({ flows: [menu, boom, clash] })).toThrow(/冲突/);
  });
});
