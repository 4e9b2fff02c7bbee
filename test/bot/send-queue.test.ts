import { startTestApp, type TestApp } from '../harness/app';
import { residentSession } from '../factories';
import { contact } from './helpers';
import { createEngine } from '../../bots/engine';
import { createSendQueue, Pacer } from '../../bots/send-queue';
import { signToken } from '../../src/core/auth';
import { setClock } from '../../src/core/time';
import { OutboxMessage, OutboxPending } from '../../src/modules/outbox/outbox.model';
import { notifyResident } from '../../src/modules/outbox/outbox.service';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

/** A resident who has talked to the WeChat bot, with an H5 token for reading their messages. */
async function botResident(contactId: string) {
  await contact(createEngine(), contactId, 'wechaty').say('你好');
  const r = (await findResidentByIdentity('wechaty', contactId))!;
  return { id: r._id, token: signToken({ kind: 'resident', residentId: r._id }) };
}

function recorder(fail = false) {
  const sent: Array<{ to: string; text: string; at: number }> = [];
  const deliver = async (to: string, text: string) => {
    if (fail) throw new Error('puppet offline');
    sent.push({ to, text, at: Date.now() });
  };
  return { sent, deliver };
}

describe('notifications', () => {
  it('stores a notification once per dedupe key and lists it in GET /me/messages', async () => {
    const r = await botResident('notify-once');
    expect(await notifyResident(r.id, '您的随手拍已受理', 'tipoff:t1:accepted')).toBe(true);
    expect(await notifyResident(r.id, '您的随手拍已受理', 'tipoff:t1:accepted')).toBe(false);
    const res = await app.get('/api/v1/me/messages', { token: r.token });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([expect.objectContaining({ text: '您的随手拍已受理', status: 'pending', sentAt: null })]);
    expect(res.body.items[0].createdAt).toMatch(/\+08:00$/);
  });

  it('pages through messages newest first', async () => {
    const r = await botResident('notify-pages');
    for (const n of [1, 2, 3]) {
      setClock(() => new Date(Date.UTC(2026, 0, n, 2)));
      await notifyResident(r.id, `第 ${n} 条`, `page:${n}`);
    }
    setClock(undefined);
    const first = await app.get('/api/v1/me/messages?limit=2', { token: r.token });
    expect(first.body.items.map((m: { text: string }) => m.text)).toEqual(['第 3 条', '第 2 条']);
    const second = await app.get(`/api/v1/me/messages?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: r.token });
    expect(second.body).toMatchObject({ items: [{ text: '第 1 条' }], nextCursor: null });
  });

  it('requires a resident session', async () => {
    expect((await app.get('/api/v1/me/messages')).status).toBe(401);
  });
});

describe('send queue', () => {
  it('pushes a pending message to the bot contact once and marks it sent', async () => {
    const r = await botResident('push-once');
    await notifyResident(r.id, '活动明天 9 点开始', 'activity:a1:reminder');
    const { sent, deliver } = recorder();
    const queue = createSendQueue({ channel: 'wechaty', deliver, pacer: new Pacer(0) });
    await queue.drainOnce();
    expect(sent.filter((s) => s.to === 'push-once')).toEqual([expect.objectContaining({ text: '【通知】活动明天 9 点开始' })]);
    expect((await queue.drainOnce()).sent).toBe(0);
    const res = await app.get('/api/v1/me/messages', { token: r.token });
    expect(res.body.items[0]).toMatchObject({ status: 'sent', sentAt: expect.stringMatching(/\+08:00$/) });
  });

  it('pushes a message queued before channels were recorded (no channel on its queue entry), and records the bot as its channel', async () => {
    const r = await botResident('push-legacy');
    const _id = `${r.id}:legacy:1`;
    const createdAt = new Date();
    await OutboxMessage.collection.insertOne({
      _id,
      residentId: r.id,
      text: '旧版本排队的消息',
      status: 'pending',
      createdAt,
      sentAt: null,
      attempts: 0,
    } as never);
    await OutboxPending.collection.insertOne({ _id, residentId: r.id, createdAt, attempts: 0 } as never);
    const { sent, deliver } = recorder();
    await createSendQueue({ channel: 'wechaty', deliver, pacer: new Pacer(0) }).drainOnce();
    expect(sent.filter((s) => s.to === 'push-legacy').map((s) => s.text)).toEqual(['【通知】旧版本排队的消息']);
    expect(await OutboxMessage.findById(_id).lean()).toMatchObject({ status: 'sent', channel: 'wechaty' });
  });

  it('leaves messages of residents without a bot contact in H5 only', async () => {
    const h5 = await residentSession(app);
    await notifyResident(h5.id, '感谢参与问卷', 'survey:s1:thanks');
    const { sent, deliver } = recorder();
    await createSendQueue({ channel: 'wechaty', deliver, pacer: new Pacer(0) }).drainOnce();
    expect(sent.filter((s) => s.text.includes('感谢参与问卷'))).toEqual([]);
    const res = await app.get('/api/v1/me/messages', { token: h5.token });
    expect(res.body.items).toEqual([expect.objectContaining({ text: '感谢参与问卷', status: 'unsent' })]);
  });

  it('caps pushes per contact per day and sends the rest the next day', async () => {
    const r = await botResident('push-cap');
    for (const n of [1, 2, 3]) await notifyResident(r.id, `提醒 ${n}`, `cap:${n}`);
    const { sent, deliver } = recorder();
    const queue = createSendQueue({ channel: 'wechaty', deliver, pacer: new Pacer(0), dailyLimit: 2 });
    await queue.drainOnce(); // earlier tests' queue drains too: count this contact's pushes only
    expect(await queue.drainOnce()).toMatchObject({ sent: 0, deferred: 1 });
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    setClock(() => tomorrow);
    expect(await queue.drainOnce()).toMatchObject({ sent: 1, deferred: 0 });
    expect(sent.filter((s) => s.to === 'push-cap').map((s) => s.text)).toEqual(['【通知】提醒 1', '【通知】提醒 2', '【通知】提醒 3']);
  });

  it('spaces sends by the configured interval', async () => {
    const r = await botResident('push-spaced');
    for (const n of [1, 2, 3]) await notifyResident(r.id, `间隔 ${n}`, `spaced:${n}`);
    const { sent, deliver } = recorder();
    await createSendQueue({ channel: 'wechaty', deliver, pacer: new Pacer(80) }).drainOnce();
    const mine = sent.filter((s) => s.to === 'push-spaced');
    expect(mine).toHaveLength(3);
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(75);
  });

  it('retries a failed push a few times, then leaves it for H5', async () => {
    const r = await botResident('push-fail');
    await notifyResident(r.id, '发送失败的消息', 'fail:1');
    const queue = createSendQueue({ channel: 'wechaty', deliver: recorder(true).deliver, pacer: new Pacer(0) });
    expect((await queue.drainOnce()).failed).toBe(1);
    expect((await app.get('/api/v1/me/messages', { token: r.token })).body.items[0].status).toBe('pending');
    await queue.drainOnce();
    await queue.drainOnce();
    expect((await queue.drainOnce()).failed).toBe(0);
    expect((await app.get('/api/v1/me/messages', { token: r.token })).body.items[0].status).toBe('failed');
  });
});
