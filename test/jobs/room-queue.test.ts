import fs from 'node:fs';
import path from 'node:path';
import { type payloads } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { createRoomQueue, type RoomPost } from '../../bots/room-queue';
import { Pacer } from '../../bots/send-queue';
import { startWechatyBot, type WechatyBot } from '../../bots/wechaty';
import { config } from '../../src/config';
import { notifyResident } from '../../src/modules/outbox/outbox.service';
import { RoomMessage } from '../../src/modules/rooms/rooms.model';
import { queueRoomMessage, type RoomRef } from '../../src/modules/rooms/rooms.service';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  fs.mkdirSync(path.join(config().dataDir, 'briefs'), { recursive: true });
  fs.writeFileSync(path.join(config().dataDir, 'briefs', 'chart.png'), Buffer.from('png-bytes'));
});
afterAll(() => app.close());

describe('room outbox', () => {
  it('posts text and files in order, retries a failed post, gives up after three tries', async () => {
    expect(
      await queueRoomMessage(
        { topic: '创城办工作群' },
        'brief',
        [
          { kind: 'text', text: '第一段' },
          { kind: 'file', path: 'briefs/chart.png', name: '图表.png' },
        ],
        'brief:w1',
      ),
    ).toBe(true);
    expect(await queueRoomMessage({ topic: '创城办工作群' }, 'brief', [{ kind: 'text', text: '重复' }], 'brief:w1')).toBe(false);

    const posted: Array<{ room: RoomRef; post: RoomPost }> = [];
    let failing = true;
    const queue = createRoomQueue({
      pacer: new Pacer(0),
      deliver: async (room, post) => {
        if (failing) throw new Error('群不存在');
        posted.push({ room, post });
      },
    });
    expect(await queue.drainOnce()).toMatchObject({ failed: 1 });
    expect(await RoomMessage.findById('topic:创城办工作群:brief:w1').lean()).toMatchObject({
      status: 'pending',
      attempts: 1,
      error: '群不存在',
    });
    failing = false;
    expect(await queue.drainOnce()).toMatchObject({ sent: 1 });
    expect(posted.map((p) => p.post.kind)).toEqual(['text', 'file']);
    expect(posted[1]!.post).toMatchObject({ name: '图表.png', file: Buffer.from('png-bytes') });
    expect(posted[0]!.room).toEqual({ topic: '创城办工作群' });

    await queueRoomMessage({ id: 'gone-room' }, 'daily-quiz', [{ kind: 'text', text: '题目' }], 'dailyquiz:x');
    failing = true;
    for (let i = 0; i < 3; i++) await queue.drainOnce();
    expect(await RoomMessage.findById('id:gone-room:dailyquiz:x').lean()).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it("shows the office what is queued and undelivered, residents' and rooms'", async () => {
    const r = await residentSession(app);
    await notifyResident(r.id, '您的报名已确认', 'test:outgoing');
    const office = await staffSession(app, 'office');
    const summary = await app.get('/api/v1/admin/outbox/summary', { token: office.token });
    expect(summary.body).toEqual({
      residentQueue: 0,
      roomQueue: 0,
      botConfigured: false,
      officialAccount: false,
      miniProgram: false,
      wecomRobot: false,
    });
    const unsent = await app.get('/api/v1/admin/outbox/residents?status=unsent', { token: office.token });
    expect(unsent.body.items[0]).toMatchObject({ residentId: r.id, text: '您的报名已确认', status: 'unsent', channel: 'h5' });
    const rooms = await app.get('/api/v1/admin/outbox/rooms?status=failed', { token: office.token });
    expect(rooms.body.items).toEqual([
      expect.objectContaining({ room: 'gone-room', roomBy: 'id', status: 'failed', error: '群不存在', text: '题目' }),
    ]);
    const unit = await staffSession(app, 'unit', 'hwc');
    expect((await app.get('/api/v1/admin/outbox/rooms', { token: unit.token })).status).toBe(403);
  });
});

describe('room posts through Wechaty', () => {
  let running: WechatyBot;
  let mocker: mock.Mocker;
  afterAll(() => running?.stop());

  it('finds the room by topic and posts the text and the image', async () => {
    mocker = new mock.Mocker();
    running = await startWechatyBot({ puppet: new PuppetMock({ mocker }), pacer: new Pacer(0) });
    const botUser = mocker.createContact({ name: '文明小助手' });
    const member = mocker.createContact({ name: '创城办小李' });
    mocker.login(botUser);
    const room = mocker.createRoom({ topic: '明州创城工作群', memberIdList: [botUser.id, member.id] });
    const got: payloads.Message[] = [];
    room.on('message', (m: { payload: payloads.Message }) => void (m.payload.talkerId === botUser.id && got.push(m.payload)));
    await new Promise((r) => setTimeout(r, 100));

    await queueRoomMessage(
      { topic: '明州创城工作群' },
      'brief',
      [
        { kind: 'text', text: '【创城工作周报】' },
        { kind: 'file', path: 'briefs/chart.png', name: '图表.png' },
      ],
      'brief:w2',
    );
    const report = await running.rooms.drainOnce();
    expect(report).toMatchObject({ sent: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((m) => m.text ?? m.filename ?? m.type)).toContainEqual('【创城工作周报】');
    expect(got).toHaveLength(2);
  });
});
