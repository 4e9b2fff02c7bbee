import { startTestApp, type TestApp } from '../harness/app';
import { contact, said } from '../bot/helpers';
import { createActivity, hoursFromNow, validIdNumber, validPhone } from './factories';
import { createEngine, type Engine } from '../../bots/engine';
import { BotConversation } from '../../bots/store';
import { setClock } from '../../src/core/time';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { Volunteer } from '../../src/modules/volunteers/volunteers.model';

let app: TestApp;
let engine: Engine;
beforeAll(async () => {
  app = await startTestApp();
  engine = createEngine();
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

/** Moves the clock; messages are then sent "now" on that clock (the engine ignores stale ones). */
function moveClock(to: number) {
  setClock(() => new Date(to));
  return { at: new Date(to) };
}

/** Registers a chat contact step by step; returns what was typed. */
async function register(c: ReturnType<typeof contact>, opts: { withCommunity?: boolean } = {}) {
  const phone = validPhone();
  const idNumber = validIdNumber('19920615');
  expect(said(await c.say('注册志愿者'))).toMatch(/个人信息处理告知[\s\S]*身份证号码属于敏感个人信息[\s\S]*回复“同意”/);
  expect(said(await c.say('好的'))).toMatch(/需要您同意/);
  expect(said(await c.say('同意'))).toMatch(/第 2 步：请回复您的真实姓名/);
  expect(said(await c.say('1'))).toMatch(/姓名至少 2 个字/);
  expect(said(await c.say('赵志愿'))).toMatch(/第 3 步/);
  expect(said(await c.say('1234'))).toMatch(/手机号码格式不正确/);
  expect(said(await c.say(phone))).toMatch(/第 4 步/);
  const bad = idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0');
  expect(said(await c.say(bad))).toMatch(/校验位不正确/);
  const region = said(await c.say(idNumber.toLowerCase()));
  if (opts.withCommunity) {
    expect(region).toMatch(/您所在的社区是“东湖区 湖滨街道 柳岸社区”吗/);
    expect(said(await c.say('1'))).toMatch(/技能特长/);
  } else {
    expect(region).toMatch(/1\. 东湖区/);
    expect(said(await c.say('1'))).toMatch(/1\. 湖滨街道/);
    expect(said(await c.say('1'))).toMatch(/2\. 望湖社区/);
    expect(said(await c.say('2'))).toMatch(/技能特长/);
  }
  expect(said(await c.say('1 99'))).toMatch(/请回复 1-10 之间的序号/);
  const summary = said(await c.say('1 5'));
  expect(summary).toMatch(/姓名：赵志愿/);
  expect(summary).toContain(`手机：${phone.slice(0, 3)}****${phone.slice(-4)}`);
  expect(summary).toMatch(/技能：文明劝导、助老助残/);
  expect(summary).not.toContain(phone);
  expect(summary).not.toContain(idNumber.slice(6, 14));
  return { phone, idNumber, summary };
}

describe('registering in chat', () => {
  it('walks through consent, name, phone, ID number, community and skills', async () => {
    const c = contact(engine, 'vol-reg');
    const { phone, idNumber } = await register(c);
    // mid-conversation, the state holds the phone and ID number only encrypted
    const state = JSON.stringify(await BotConversation.findById('chat:vol-reg').lean());
    expect(state).not.toContain(phone);
    expect(state).not.toContain(idNumber);
    const done = said(await c.say('1'));
    expect(done).toMatch(/注册成功！欢迎加入志愿者队伍，赵志愿/);
    expect(done).toMatch(/志愿者编号：ZY\d{8}/);
    const resident = await findResidentByIdentity('chat', 'vol-reg');
    const v = await Volunteer.findById(resident!._id).lean();
    expect(v).toMatchObject({
      realName: '赵志愿',
      regionCode: '330201001002',
      skills: ['文明劝导', '助老助残'],
      consent: { channel: 'bot', noticeVersion: '2026-12-v2' },
    });
    expect(resident!.regionCode).toBe('330201001002');
    expect(said(await c.say('注册志愿者'))).toMatch(/您已经是注册志愿者了/);
  });

  it('offers the community the resident already chose', async () => {
    const c = contact(engine, 'vol-reg-community');
    await c.say('设置社区');
    await c.say('1');
    await c.say('1');
    await c.say('1');
    await register(c, { withCommunity: true });
    expect(said(await c.say('确认提交'))).toMatch(/注册成功/);
  });

  it('tells a resident who is not registered how to start', async () => {
    expect(said(await contact(engine, 'vol-new').say('志愿'))).toMatch(/您还不是注册志愿者[\s\S]*1\. 注册志愿者\n2\. 附近的志愿活动/);
  });
});

describe('activities in chat', () => {
  it('lists nearby activities, signs up, shows my sign-ups and cancels', async () => {
    const near = await createActivity(app, { title: '望湖社区文明劝导', regionCode: '330201001002', capacity: 1 });
    const far = await createActivity(app, { title: '南港区海滩清洁', regionCode: '330203001001' });
    const c = contact(engine, 'vol-act');
    await register(c);
    await c.say('1');
    const menu = said(await c.say('志愿'));
    expect(menu).toMatch(/1\. 附近的志愿活动/);
    const listed = said(await c.say('1'));
    expect(listed).toMatch(/望湖社区文明劝导.*余 1 个名额/);
    expect(listed).not.toMatch(far.title);
    const index = listed
      .split('\n')
      .find((l) => l.includes('望湖社区文明劝导'))!
      .match(/^(\d+)\./)![1]!;
    const detail = said(await c.say(index));
    expect(detail).toMatch(/「望湖社区文明劝导」[\s\S]*名额：1 人，已报名 0 人[\s\S]*我的状态：未报名[\s\S]*1\. 报名/);
    expect(said(await c.say('1'))).toMatch(/报名成功！您已获得「望湖社区文明劝导」的正式名额/);
    const mine = said(await c.say('我的报名'));
    expect(mine).toMatch(/1\. 望湖社区文明劝导.*正式/);
    expect(said(await c.say('1'))).toMatch(/我的状态：已报名（正式名额）[\s\S]*1\. 取消报名/);
    expect(said(await c.say('1'))).toMatch(/已取消报名「望湖社区文明劝导」/);
    expect((await app.get(`/api/v1/activities/${near.id}`)).body.confirmedCount).toBe(0);
  });

  it('signs up for the activity it was showing once a newcomer has registered in the middle of signing up', async () => {
    await createActivity(app, { title: '柳岸社区敬老助餐', regionCode: '330201001001', capacity: 5 });
    const c = contact(engine, 'vol-resume');
    await c.say('志愿');
    const listed = said(await c.say('2'));
    const index = listed
      .split('\n')
      .find((l) => l.includes('柳岸社区敬老助餐'))!
      .match(/^(\d+)\./)![1]!;
    await c.say(index);
    expect(said(await c.say('1'))).toMatch(/报名前需要先注册志愿者，注册完成后将自动为您报名这个活动。[\s\S]*个人信息处理告知/);
    await c.say('同意');
    await c.say('钱助餐');
    await c.say(validPhone());
    await c.say(validIdNumber('19880302'));
    await c.say('柳岸');
    await c.say('0');
    const done = said(await c.say('确认提交'));
    expect(done).toMatch(/注册成功！[\s\S]*现在为您继续报名刚才的活动。/);
    expect(done).toMatch(/报名成功！您已获得「柳岸社区敬老助餐」的正式名额/);
  });

  it('checks in and out by sending the code, then tells my hours', async () => {
    const base = Date.now();
    const a = await createActivity(app, {
      title: '湖滨夜间巡查',
      regionCode: '330201001002',
      startAt: hoursFromNow(2, base),
      endAt: hoursFromNow(5, base),
    });
    const c = contact(engine, 'vol-code');
    await register(c);
    await c.say('1');
    const resident = await findResidentByIdentity('chat', 'vol-code');
    const { signUpForActivity } = await import('../../src/modules/volunteers/signups.service');
    await signUpForActivity(resident!._id, a.id);
    const t1 = moveClock(base + 2.5 * 3_600_000);
    expect(said(await c.say('签到', t1))).toMatch(/请发送活动现场组织者出示的 6 位签到码/);
    expect(said(await c.say('12345', t1))).toMatch(/签到码为 6 位数字/);
    expect(said(await c.say(a.checkinCode, t1))).toMatch(/签到成功！「湖滨夜间巡查」/);
    const t2 = moveClock(base + 4.5 * 3_600_000);
    await c.say('志愿', t2);
    expect(said(await c.say(a.checkinCode, t2))).toMatch(/签退成功！「湖滨夜间巡查」本次服务 2 小时，获得 20 积分/);
    expect(said(await c.say(a.checkinCode, t2))).toMatch(/您已于 .* 签退/);
    const hours = said(await c.say('我的时长', t2));
    expect(hours).toMatch(/累计服务时长：2 小时/);
    expect(hours).toMatch(/参加活动：1 次/);
    expect(hours).toMatch(/\/h5\/link\?t=/);
  });

  it('asks for the location when the activity requires it', async () => {
    const base = Date.now();
    const a = await createActivity(app, {
      title: '定位签到活动',
      regionCode: '330201001002',
      startAt: hoursFromNow(0.5, base),
      endAt: hoursFromNow(3, base),
      location: { lat: 29.8768, lng: 121.5655 },
      requireLocation: true,
    });
    const c = contact(engine, 'vol-loc');
    await register(c);
    await c.say('1');
    const resident = await findResidentByIdentity('chat', 'vol-loc');
    const { signUpForActivity } = await import('../../src/modules/volunteers/signups.service');
    await signUpForActivity(resident!._id, a.id);
    await c.say('签到');
    expect(said(await c.say(a.checkinCode))).toMatch(/需要定位签到/);
    expect(said(await c.location(29.95, 121.56))).toMatch(/您距离活动地点约 \d+ 米/);
    expect(said(await c.location(29.877, 121.5656))).toMatch(/签到成功/);
  });

  it('answers an unknown code politely', async () => {
    const c = contact(engine, 'vol-badcode');
    await c.say('签到');
    expect(said(await c.say('000001'))).toMatch(/签到码不正确/);
  });
});
