import { startTestApp, type TestApp } from '../harness/app';
import { startMockWeChat, waitFor, type ContactMock } from '../harness/wechat-mock';
import { FileBox } from 'file-box';
import { types, type payloads } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { WechatyBot } from '../../bots/wechaty';
import { staffSession } from '../factories';
import { Tipoff } from '../../src/modules/tipoffs/tipoffs.model';
import { jpegWithGps, LIUAN, transition } from './factories';

let app: TestApp;
let mocker: mock.Mocker;
let puppet: PuppetMock;
let running: WechatyBot;
let botUser: ContactMock;

beforeAll(async () => {
  app = await startTestApp();
  ({ mocker, puppet, running, botUser } = await startMockWeChat());
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

/** Sends something and waits for the bot's reply (which may come in several bubbles). */
async function exchange(got: string[], send: () => void): Promise<string> {
  const before = got.length;
  send();
  await waitFor(() => got.length > before);
  await new Promise((r) => setTimeout(r, 80));
  return got.slice(before).join('\n');
}

describe('a whole 随手拍 report over WeChat (PuppetMock)', () => {
  it('takes image and location messages, submits, and pushes the acceptance notice back', async () => {
    const chen = mocker.createContact({ name: '陈先生' });
    const got = inbox(chen);
    expect(await exchange(got, () => chen.say('随手拍').to(botUser))).toMatch(/请选择问题类别/);
    expect(await exchange(got, () => chen.say('2').to(botUser))).toMatch(/类别：乱停乱放/);
    const photo = await jpegWithGps();
    expect(await exchange(got, () => chen.say(FileBox.fromBase64(photo.toString('base64'), 'IMG_2041.jpg')).to(botUser))).toMatch(
      /已收到第 1 张照片/,
    );

    const loc = jest
      .spyOn(puppet, 'messageLocation')
      .mockResolvedValue({ accuracy: 15, address: '明州市东湖区柳岸路 12 号', latitude: LIUAN.lat, longitude: LIUAN.lng, name: '柳岸路' });
    const id = `loc-${Date.now()}`;
    mocker.MessageMock.create({
      id,
      talkerId: chen.id,
      listenerId: botUser.id,
      timestamp: Date.now(),
      type: types.Message.Location,
    } as payloads.Message);
    expect(await exchange(got, () => puppet.emit('message', { messageId: id }))).toMatch(/请用一句话描述问题/);
    loc.mockRestore();

    expect(await exchange(got, () => chen.say('电动车堵住了盲道').to(botUser))).toMatch(
      /位置：明州市东湖区柳岸路 12 号，东湖区 湖滨街道 柳岸社区/,
    );
    const done = await exchange(got, () => chen.say('1').to(botUser));
    const tipoffId = done.match(/编号：(T\d{6}[0-9A-Z]{6})/)![1]!;
    const stored = await Tipoff.findById(tipoffId).lean();
    expect(stored).toMatchObject({
      status: 'submitted',
      categoryCode: 'illegal-parking',
      unitCode: 'jjd',
      regionCode: '330201001001',
      description: '电动车堵住了盲道',
      location: { address: '明州市东湖区柳岸路 12 号' },
    });
    expect(stored!.photos).toHaveLength(1);

    const office = await staffSession(app, 'office');
    expect((await transition(app, office.token, tipoffId, { action: 'accept' })).status).toBe(200);
    await running.queue.drainOnce();
    await waitFor(() => got.some((t) => t.startsWith('【通知】') && t.includes(tipoffId)));
    expect(got.find((t) => t.startsWith('【通知】'))).toMatch(/已受理，已交由市公安局交通警察支队处理/);
  });
});
