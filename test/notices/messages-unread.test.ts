import { useTestApp } from '../harness/app';
import { residentSession } from '../factories';
import { notifyResident } from '../../src/modules/outbox/outbox.service';

const app = useTestApp();

const unread = async (token: string) => (await app.get<{ unread: number }>('/api/v1/me/messages/unread', { token })).body.unread;

describe('the 消息 unread count', () => {
  it('is 0 for a resident who has never had a message', async () => {
    const r = await residentSession(app);
    expect(await unread(r.token)).toBe(0);
  });

  it('counts messages created since the resident last opened 消息, once per cause', async () => {
    const r = await residentSession(app);
    await notifyResident(r.id, '您的随手拍已受理', 'unread-test:1');
    await notifyResident(r.id, '您的随手拍已办结', 'unread-test:2');
    await notifyResident(r.id, '您的随手拍已办结', 'unread-test:2');
    expect(await unread(r.token)).toBe(2);
  });

  it('clears when 消息 is opened and counts only what comes after', async () => {
    const r = await residentSession(app);
    await notifyResident(r.id, '活动明天开始', 'unread-test:a');
    const read = await app.post<{ unread: number }>('/api/v1/me/messages/read', undefined, { token: r.token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ unread: 0 });
    expect(await unread(r.token)).toBe(0);
    await notifyResident(r.id, '活动今天开始', 'unread-test:b');
    expect(await unread(r.token)).toBe(1);
  });

  it("is one resident's own: another resident's messages do not count", async () => {
    const a = await residentSession(app);
    const b = await residentSession(app);
    await notifyResident(a.id, '一条给 A 的消息', 'unread-test:own');
    expect(await unread(b.token)).toBe(0);
  });

  it('needs a resident session', async () => {
    expect((await app.get('/api/v1/me/messages/unread')).status).toBe(401);
    expect((await app.post('/api/v1/me/messages/read')).status).toBe(401);
  });
});
