import { startTestApp, type TestApp } from '../harness/app';
import { FileBox } from 'file-box';
import { types, type payloads } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createEngine, type Engine } from '../../bots/engine';
import type { Inbound } from '../../bots/messages';
import { Pacer } from '../../bots/send-queue';
import { texts } from '../../bots/texts';
import { startWechatyBot, type WechatyBot } from '../../bots/wechaty';
import { notifyResident } from '../../src/modules/outbox/outbox.service';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;

let app: TestApp;
let mocker: mock.Mocker;
let puppet: PuppetMock;
let running: WechatyBot;
let botUser: ContactMock;
const seen: Inbound[] = [];

beforeAll(async () => {
  app = await startTestApp();
  mocker = new mock.Mocker();
  puppet = new PuppetMock({ mocker });
  const real = createEngine();
  // Records what reaches the engine, so tests can check how WeChat messages were mapped.
  const engine: Engine = { ...real, handle: (i) => (seen.push(i), real.handle(i)) };
  running = await startWechatyBot({ puppet, engine, pacer: new Pacer(0) });
  botUser = mocker.createContact({ name: '文明小助手' });
  mocker.login(botUser);
  await waitFor(() => running.bot.isLoggedIn);
});
afterAll(async () => {
  await running.stop();
  await app.close();
});

async function waitFor(ok: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Texts the bot sends into a conversation (a contact's chat or a room). */
function inbox(where: ContactMock | RoomMock): string[] {
  const got: string[] = [];
  where.on('message', (m: { payload: payloads.Message }) => {
    if (m.payload.talkerId === botUser.id && m.payload.text) got.push(m.payload.text);
  });
  return got;
}

/** A person says something and waits for the bot's next reply (or replies). */
async function exchange(
  c: ContactMock,
  got: string[],
  text: string,
  to: ContactMock | RoomMock = botUser,
  mentions: ContactMock[] = [],
): Promise<string> {
  const before = got.length;
  c.say(text, mentions).to(to);
  await waitFor(() => got.length > before);
  await new Promise((r) => setTimeout(r, 50)); // a reply may come in several bubbles
  return got.slice(before).join('\n');
}

function emitMessage(talker: ContactMock, type: types.Message): string {
  const id = `${types.Message[type]}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  mocker.MessageMock.create({ id, talkerId: talker.id, listenerId: botUser.id, timestamp: Date.now(), type } as payloads.Message);
  puppet.emit('message', { messageId: id });
  return id;
}

describe('a contact talking to the WeChat bot', () => {
  it('holds a conversation through the menu, region choice and 我的', async () => {
    const zhang = mocker.createContact({ name: '张三' });
    const got = inbox(zhang);
    expect(await exchange(zhang, got, '你好')).toMatch(/欢迎参与明州市文明城市创建[\s\S]*5\. 我的/);
    expect(await exchange(zhang, got, '设置社区')).toMatch(/1\. 东湖区/);
    expect(await exchange(zhang, got, '1')).toMatch(/1\. 湖滨街道/);
    expect(await exchange(zhang, got, '1')).toMatch(/1\. 柳岸社区/);
    expect(await exchange(zhang, got, '1')).toMatch(/已将您的社区设置为：东湖区 湖滨街道 柳岸社区/);
    expect(await exchange(zhang, got, '我的')).toMatch(/社区：东湖区 湖滨街道 柳岸社区[\s\S]*积分：0 分/);
    expect((await findResidentByIdentity('wechaty', zhang.id))?.regionCode).toBe('330201001001');
  });

  it('pushes an outbox notification to the contact', async () => {
    const li = mocker.createContact({ name: '李四' });
    const got = inbox(li);
    await exchange(li, got, '你好');
    const resident = await findResidentByIdentity('wechaty', li.id);
    await notifyResident(resident!._id, '您报名的志愿活动明天开始', 'test:push:1');
    await running.queue.drainOnce();
    await waitFor(() => got.some((t) => t === '【通知】您报名的志愿活动明天开始'));
  });

  it('sends the H5 link as a link card', async () => {
    const sendUrl = jest.spyOn(puppet, 'messageSendUrl');
    const wang = mocker.createContact({ name: '王五' });
    wang.say('链接').to(botUser);
    await waitFor(() => sendUrl.mock.calls.length > 0);
    const [to, link] = sendUrl.mock.calls[0]!;
    expect(to).toBe(wang.id);
    expect(link.title).toMatch(/文明城市/);
    expect(link.url).toMatch(/\/h5\/link\?t=/);
    sendUrl.mockRestore();
  });

  it.each(['大字', '长辈模式', '字大一点'])(
    'answers "%s" with a link that opens in 长辈模式, and turns it on for the resident',
    async (word) => {
      const sendUrl = jest.spyOn(puppet, 'messageSendUrl');
      const elder = mocker.createContact({ name: `陈奶奶${word}` });
      const got = inbox(elder);
      elder.say(word).to(botUser);
      await waitFor(() => sendUrl.mock.calls.length > 0 && got.length > 0);
      const [to, link] = sendUrl.mock.calls[0]!;
      sendUrl.mockRestore();
      expect(to).toBe(elder.id);
      expect(link.title).toMatch(/长辈模式/);
      expect(got.join('\n')).toMatch(/已为您开启长辈模式/);
      expect((await findResidentByIdentity('wechaty', elder.id))?.elderMode).toBe(true);
      // The link lands on the pages with ?elder=1, so the very first paint is already large.
      const opened = await app.get(new URL(link.url).pathname + new URL(link.url).search);
      expect(opened.status).toBe(302);
      expect(opened.headers.get('location')).toBe('/h5/#/?elder=1');
    },
  );

  it('hands a photo to the engine as bytes and answers it', async () => {
    const zhao = mocker.createContact({ name: '赵六' });
    const got = inbox(zhao);
    await exchange(zhao, got, '你好');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const before = got.length;
    zhao.say(FileBox.fromBase64(png.toString('base64'), 'street.png')).to(botUser);
    await waitFor(() => got.length > before);
    expect(got.slice(before).join('\n')).toMatch(/收到您的图片啦[\s\S]*随手拍/);
    const image = seen.find((i) => i.kind === 'image' && i.contactId === zhao.id);
    expect(image).toMatchObject({ kind: 'image', name: 'street.png', file: png });
  });

  it('hands a location to the engine and names the nearest community', async () => {
    const sun = mocker.createContact({ name: '孙七' });
    const got = inbox(sun);
    await exchange(sun, got, '你好');
    const loc = jest
      .spyOn(puppet, 'messageLocation')
      .mockResolvedValue({ accuracy: 15, address: '明州市东湖区新河路 8 号', latitude: 29.8815, longitude: 121.5734, name: '新河路' });
    const before = got.length;
    emitMessage(sun, types.Message.Location);
    await waitFor(() => got.length > before);
    expect(got.slice(before).join('\n')).toMatch(/根据您的位置（明州市东湖区新河路 8 号），离您最近的社区是：东湖区 新河街道 新河社区/);
    expect(seen.find((i) => i.kind === 'location' && i.contactId === sun.id)).toMatchObject({ lat: 29.8815, lng: 121.5734 });
    loc.mockRestore();
  });

  it('answers a voice message with what it can read', async () => {
    const zhou = mocker.createContact({ name: '周八' });
    const got = inbox(zhou);
    emitMessage(zhou, types.Message.Audio);
    await waitFor(() => got.length > 0);
    expect(got[0]).toBe(texts.unsupported);
  });
});

describe('a group room', () => {
  it('answers only when @-mentioned or on a keyword', async () => {
    const a = mocker.createContact({ name: '群友甲' });
    const b = mocker.createContact({ name: '群友乙' });
    const room = mocker.createRoom({ topic: '柳岸社区居民群', memberIdList: [botUser.id, a.id, b.id] });
    const got = inbox(room);

    a.say('大家早上好').to(room);
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([]);
    expect(seen.some((i) => i.room?.id === room.id && i.kind === 'text' && i.text === '大家早上好')).toBe(true);

    expect(await exchange(a, got, '菜单', room)).toMatch(/主菜单/);
    const mentioned = await exchange(b, got, '@文明小助手 我的', room, [botUser]);
    expect(mentioned).toMatch(/@群友乙[\s\S]*【我的】/);
  });
});

describe('login', () => {
  it('prints the login QR code in the terminal', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    mocker.scan('https://login.weixin.qq.com/l/test-qrcode', types.ScanStatus.Waiting);
    await waitFor(() => write.mock.calls.some(([s]) => String(s).includes('扫描二维码登录')));
    const printed = write.mock.calls.map(([s]) => String(s)).join('');
    write.mockRestore();
    expect(printed).toMatch(/[▀▄█]/);
  });
});
