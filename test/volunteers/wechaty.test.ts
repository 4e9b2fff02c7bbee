import { startTestApp, type TestApp } from '../harness/app';
import { startMockWeChat, waitFor, type ContactMock } from '../harness/wechat-mock';
import type { payloads } from 'wechaty';
import type { mock } from 'wechaty-puppet-mock';
import { createActivity, validIdNumber, validPhone } from './factories';
import type { WechatyBot } from '../../bots/wechaty';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { remindVolunteers } from '../../src/modules/volunteers/volunteers.jobs';

let app: TestApp;
let mocker: mock.Mocker;
let running: WechatyBot;
let botUser: ContactMock;

beforeAll(async () => {
  app = await startTestApp();
  ({ mocker, running, botUser } = await startMockWeChat());
});
afterAll(async () => {
  await running.stop();
  await app.close();
});

function inbox(c: ContactMock): string[] {
  const got: string[] = [];
  c.on('message', (m: { payload: payloads.Message }) => {
    if (m.payload.talkerId === botUser.id && m.payload.text) got.push(m.payload.text);
  });
  return got;
}

async function exchange(c: ContactMock, got: string[], text: string): Promise<string> {
  const before = got.length;
  c.say(text).to(botUser);
  await waitFor(() => got.length > before);
  await new Promise((r) => setTimeout(r, 80)); // a reply may come in several bubbles
  return got.slice(before).join('\n');
}

describe('a WeChat contact becoming a volunteer', () => {
  it('registers step by step and signs up for an activity', async () => {
    const activity = await createActivity(app, { title: '柳岸社区楼道清理', regionCode: '330201001001', capacity: 3 });
    const chen = mocker.createContact({ name: '陈一' });
    const got = inbox(chen);
    const phone = validPhone();
    const idNumber = validIdNumber('19870203');
    await exchange(chen, got, '你好');
    expect(await exchange(chen, got, '2')).toMatch(/您还不是注册志愿者[\s\S]*1\. 注册志愿者/);
    expect(await exchange(chen, got, '1')).toMatch(/个人信息处理告知/);
    expect(await exchange(chen, got, '同意')).toMatch(/真实姓名/);
    expect(await exchange(chen, got, '陈一')).toMatch(/手机号码/);
    expect(await exchange(chen, got, phone)).toMatch(/身份证号码/);
    expect(await exchange(chen, got, idNumber)).toMatch(/1\. 东湖区/);
    expect(await exchange(chen, got, '1')).toMatch(/1\. 湖滨街道/);
    expect(await exchange(chen, got, '1')).toMatch(/1\. 柳岸社区/);
    expect(await exchange(chen, got, '1')).toMatch(/技能特长/);
    expect(await exchange(chen, got, '0')).toMatch(/请核对您的注册信息/);
    expect(await exchange(chen, got, '1')).toMatch(/注册成功！欢迎加入志愿者队伍，陈一/);
    expect(await exchange(chen, got, '志愿活动')).toMatch(/1\. 柳岸社区楼道清理.*余 3 个名额/);
    expect(await exchange(chen, got, '1')).toMatch(/「柳岸社区楼道清理」/);
    expect(await exchange(chen, got, '1')).toMatch(/报名成功！您已获得「柳岸社区楼道清理」的正式名额/);

    const resident = await findResidentByIdentity('wechaty', chen.id);
    const detail = await app.get(`/api/v1/activities/${activity.id}`);
    expect(detail.body.confirmedCount).toBe(1);
    // no message the bot sent carries the full phone or ID number
    for (const t of got) {
      expect(t).not.toContain(phone);
      expect(t).not.toContain(idNumber);
    }
    // the reminder reaches the contact through the bot's send queue
    await remindVolunteers(new Date(Date.parse(detail.body.startAt) - 20 * 3_600_000));
    await running.queue.drainOnce();
    await waitFor(() => got.some((t) => t.startsWith('【通知】【活动提醒】明天有您报名的志愿活动：「柳岸社区楼道清理」')));
    // the registration set the resident's community
    expect(resident!.regionCode).toBe('330201001001');
  });
});
