import { createEngine } from '../../bots/engine';
import { signToken } from '../../src/core/auth';
import { setConfig } from '../../src/config';
import { OutboxMessage, OutboxPending } from '../../src/modules/outbox/outbox.model';
import { notifyResident } from '../../src/modules/outbox/outbox.service';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { contact } from '../bot/helpers';
import { residentSession } from '../factories';
import { startTestApp, type TestApp } from '../harness/app';
import { submitOk } from '../tipoffs/factories';
import { registration, validIdNumber, validPhone } from '../volunteers/factories';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
}, 120_000);
afterAll(() => app.close());

type Group = { kind: string; label: string; items: Array<{ title: string; fields: Array<{ label: string; value: string }> }> };
const values = (g: Group | undefined) => (g?.items ?? []).flatMap((i) => i.fields.map((f) => f.value));

describe('GET /me/data and its export', () => {
  it('shows the owner everything by group, phone and ID number in full', async () => {
    const r = await residentSession(app, { nickname: '看数据的人' });
    const phone = validPhone();
    const idNumber = validIdNumber('19790101');
    await app.post('/api/v1/volunteers', registration({ realName: '李看看', phone, idNumber }), { token: r.token });
    await submitOk(app, r.token, { description: '人行道上停满了电动车' });
    const res = await app.get('/api/v1/me/data', { token: r.token });
    expect(res.status).toBe(200);
    const groups = res.body.groups as Group[];
    const byKind = new Map(groups.map((g) => [g.kind, g]));
    expect([...byKind.keys()]).toEqual(
      expect.arrayContaining(['account', 'volunteer', 'tipoffs', 'surveys', 'quiz', 'helpdesk', 'chat', 'messages', 'consents']),
    );
    for (const g of groups) expect(g.label).toMatch(/[\u4e00-\u9fa5]/);
    expect(values(byKind.get('account'))).toContain('看数据的人');
    expect(values(byKind.get('volunteer'))).toEqual(expect.arrayContaining(['李看看', phone, idNumber]));
    expect(values(byKind.get('tipoffs'))).toContain('人行道上停满了电动车');
  });

  it('downloads the same as a JSON file', async () => {
    const r = await residentSession(app, { nickname: '导出的人' });
    const res = await app.get('/api/v1/me/data/export', { token: r.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''.+\.json$/);
    expect(res.body.residentId).toBe(r.id);
    expect(values((res.body.groups as Group[]).find((g) => g.kind === 'account'))).toContain('导出的人');
  });

  it('is rate-limited per resident, with a Chinese message', async () => {
    const r = await residentSession(app);
    setConfig({ RATE_LIMIT_SCALE: 1 }); // the tests run with budgets scaled up; this one at production scale
    let limited;
    try {
      for (let i = 0; i < 10; i++) expect((await app.get('/api/v1/me/data', { token: r.token })).status).toBe(200);
      limited = await app.get('/api/v1/me/data/export', { token: r.token });
    } finally {
      setConfig({ RATE_LIMIT_SCALE: 1000 });
    }
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/个人信息过于频繁/) });
  }, 60_000);

  it('is for residents only', async () => {
    expect((await app.get('/api/v1/me/data')).status).toBe(401);
  });
});

describe('consents', () => {
  const kinds = async (token: string) =>
    Object.fromEntries(
      ((await app.get('/api/v1/me/consents', { token })).body.items as Array<{ kind: string; granted: boolean; at: string | null }>).map(
        (c) => [c.kind, c],
      ),
    );

  it('withdrawing the daily question stops the subscription, with the time recorded', async () => {
    const r = await residentSession(app);
    await app.request('PUT', '/api/v1/me/daily-quiz', { subscribed: true }, { token: r.token });
    expect((await kinds(r.token))['daily-question']).toMatchObject({ granted: true });
    const res = await app.request('DELETE', '/api/v1/me/consents/daily-question', undefined, { token: r.token });
    expect(res.status).toBe(200);
    expect((await app.get('/api/v1/me/daily-quiz', { token: r.token })).body).toEqual({ subscribed: false });
    expect((await kinds(r.token))['daily-question']).toMatchObject({ granted: false, at: expect.stringMatching(/\+08:00$/) });
  });

  it('withdrawing pushes keeps notices in 消息 only, never pushed to the chat', async () => {
    const contactId = `wxid_consent_${Date.now().toString(36)}`;
    await contact(createEngine(), contactId, 'wechaty').say('你好');
    const id = (await findResidentByIdentity('wechaty', contactId))!._id;
    const token = signToken({ kind: 'resident', residentId: id });
    await notifyResident(id, '推送前', 'consent:before');
    expect((await OutboxMessage.findById(`${id}:consent:before`).lean())?.status).toBe('pending');
    expect((await app.request('DELETE', '/api/v1/me/consents/push-notices', undefined, { token })).status).toBe(200);
    await notifyResident(id, '撤回后', 'consent:after');
    expect(await OutboxMessage.findById(`${id}:consent:after`).lean()).toMatchObject({ status: 'unsent', channel: 'h5' });
    expect(await OutboxPending.findById(`${id}:consent:after`).lean()).toBeNull();
    expect((await app.request('PUT', '/api/v1/me/consents/push-notices', undefined, { token })).status).toBe(200);
    expect((await kinds(token))['push-notices']).toMatchObject({ granted: true });
  });

  it('withdrawing the volunteer consent deregisters the volunteer; it is given again only by registering', async () => {
    const r = await residentSession(app);
    await app.post('/api/v1/volunteers', registration(), { token: r.token });
    expect((await kinds(r.token))['volunteer-data']).toMatchObject({ granted: true });
    expect((await app.request('DELETE', '/api/v1/me/consents/volunteer-data', undefined, { token: r.token })).status).toBe(200);
    expect((await app.get('/api/v1/volunteers/me', { token: r.token })).status).toBe(404);
    const again = await app.request('PUT', '/api/v1/me/consents/volunteer-data', undefined, { token: r.token });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/注册志愿者/);
  });

  it('refuses an unknown kind', async () => {
    const r = await residentSession(app);
    expect((await app.request('DELETE', '/api/v1/me/consents/marketing', undefined, { token: r.token })).status).toBe(400);
  });
});
