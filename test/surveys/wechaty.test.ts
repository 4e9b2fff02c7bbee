import { startTestApp, type TestApp } from '../harness/app';
import { startMockWeChat, waitFor, type ContactMock } from '../harness/wechat-mock';
import type { payloads } from 'wechaty';
import { mock } from 'wechaty-puppet-mock';
import type { WechatyBot } from '../../bots/wechaty';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { SurveyResponse } from '../../src/modules/surveys/surveys.model';

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

/** A WeChat contact: says a line and waits until the bot's replies since then match `until`. */
function wechatContact(name: string) {
  const c = mocker.createContact({ name });
  const got: string[] = [];
  c.on('message', (m: { payload: payloads.Message }) => {
    if (m.payload.talkerId === botUser.id && m.payload.text) got.push(m.payload.text);
  });
  return {
    contact: c,
    async say(text: string, until: RegExp): Promise<string> {
      const before = got.length;
      c.say(text).to(botUser);
      let reply = '';
      await waitFor(() => until.test((reply = got.slice(before).join('\n'))));
      return reply;
    },
  };
}

describe('a survey over WeChat (PuppetMock)', () => {
  it('is answered in the chat, question by question, and stored once', async () => {
    const wu = wechatContact('吴九');
    const list = await wu.say('问卷', /回复序号参与/);
    const n = /(\d+)\. 文明创建微调查/.exec(list)![1]!;
    expect(await wu.say(n, /第 1\/4 题/)).toMatch(/A\. 拨打 12345 市民服务热线/);
    expect(await wu.say('a', /第 2\/4 题/)).toMatch(/请回复 1–5 的数字/);
    expect(await wu.say('9', /之间的整数/)).toMatch(/请选择 1–5 之间的整数。$/);
    await wu.say('3', /第 3\/4 题/);
    await wu.say('2', /第 4\/4 题/);
    expect(await wu.say('跳过', /回复 1 提交/)).toMatch(/→ B\. 看时间安排/);
    expect(await wu.say('1', /提交成功/)).toMatch(/您获得了 3 积分/);

    const resident = await findResidentByIdentity('wechaty', wu.contact.id);
    const stored = await SurveyResponse.findById(`pulse-weekly:${resident!._id}`).lean();
    expect(stored!.answers).toEqual([
      { q: 'report-channel', v: ['A'] },
      { q: 'environment-change', v: 3 },
      { q: 'volunteer-willing', v: ['B'] },
    ]);
    expect(await wu.say('问卷', /✓已填写/)).toMatch(/文明创建微调查：身边的变化（4 题，约 1 分钟）✓已填写/);
  });
});
