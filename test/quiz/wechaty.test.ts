import { startTestApp, type TestApp } from '../harness/app';
import { startMockWeChat, waitFor, type ContactMock } from '../harness/wechat-mock';
import type { payloads } from 'wechaty';
import type { mock } from 'wechaty-puppet-mock';
import type { WechatyBot } from '../../bots/wechaty';
import { findResidentByIdentity, getMe } from '../../src/modules/residents/residents.service';
import { questionAsked, rightReply, wrongReply } from './bot-helpers';

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

/** A WeChat contact chatting with the bot: say() waits until the bot's reply contains `until`. */
function chat(c: ContactMock) {
  const got: string[] = [];
  c.on('message', (m: { payload: payloads.Message }) => {
    if (m.payload.talkerId === botUser.id && m.payload.text) got.push(m.payload.text);
  });
  return async (text: string, until: RegExp): Promise<string> => {
    const before = got.length;
    c.say(text).to(botUser);
    await waitFor(() => until.test(got.slice(before).join('\n')));
    return got.slice(before).join('\n');
  };
}

describe('知识问答 through WeChat (PuppetMock)', () => {
  it('takes a whole quiz in a private chat, with points at the end', async () => {
    const wang = mocker.createContact({ name: '王答题' });
    const say = chat(wang);
    expect(await say('答题', /第 1\/10 题/)).toMatch(/【创建全国文明城市知识问答】/);
    let correct = 0;
    for (let i = 0; i < 10; i++) {
      const q = await questionAsked('wechaty', wang.id);
      expect(q.index).toBe(i);
      const right = i !== 3; // one wrong answer on purpose
      const until = i < 9 ? new RegExp(`第 ${i + 2}/10 题`) : /答题完成/;
      const reply = await say(right ? rightReply(q, i) : wrongReply(q), until);
      if (right) correct++;
      expect(reply).toMatch(right ? /✅ 回答正确！/ : /❌ 回答错误，正确答案是/);
      expect(reply).toContain(`已答 ${i + 1}/10 题，答对 ${correct} 题`);
    }
    await app.flush();
    const resident = await findResidentByIdentity('wechaty', wang.id);
    const me = await getMe(resident!._id);
    expect(me).toMatchObject({ points: 18, participation: { quizzes: 1 } });
    expect(await say('我的', /积分/)).toMatch(/积分：18 分/);
  });
});
