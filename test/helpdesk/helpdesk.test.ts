import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { contact, said } from '../bot/helpers';
import { createEngine } from '../../bots/engine';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { OutboxMessage } from '../../src/modules/outbox/outbox.model';
import { StaffNotice } from '../../src/modules/notices/notices.model';

let app: TestApp;
let office: string;
beforeAll(async () => {
  app = await startTestApp();
  office = (await staffSession(app, 'office')).token;
});
afterAll(() => app.close());

const engine = createEngine();
const requestNumber = (reply: string) => reply.match(/编号 (R\d{6}[A-Z0-9]{6})/)![1]!;

describe('人工服务 in chat', () => {
  it('asks for one sentence after "人工", then opens a request with the conversation so far and promises an answer', async () => {
    const c = contact(engine, 'help-bare');
    await c.say('你好');
    await c.say('随手拍');
    expect(said(await c.say('人工'))).toMatch(/请用一两句话说明您遇到的问题/);
    const opened = said(await c.say('我家楼下烧烤店油烟很大，反映过没人管'));
    expect(opened).toMatch(/已为您转接人工服务（编号 R\d{6}[A-Z0-9]{6}）/);
    expect(opened).toMatch(/1 个工作日内[\s\S]*12345 政务服务便民热线/);
    const r = (await app.get(`/api/v1/help-requests/${requestNumber(opened)}`, { token: office })).body;
    expect(r).toMatchObject({ channel: 'chat', status: 'open', said: '我家楼下烧烤店油烟很大，反映过没人管' });
    expect(r.transcript.map((m: { text: string }) => m.text).join('\n')).toMatch(/随手拍[\s\S]*人工/);
    expect(await StaffNotice.countDocuments({ kind: 'help-request', title: `居民请求人工服务 ${r.id}` })).toBe(1);
  });

  it('takes "我要投诉物业" as the request itself, not as a message it did not understand', async () => {
    const c = contact(engine, 'help-direct');
    await c.say('你好');
    const opened = said(await c.say('我要投诉物业，电梯坏了一个月'));
    expect(opened).not.toMatch(/没听懂/);
    const r = (await app.get(`/api/v1/help-requests/${requestNumber(opened)}`, { token: office })).body;
    expect(r.said).toBe('我要投诉物业，电梯坏了一个月');
  });

  it('sends the office reply back to the resident, and closes the request when asked', async () => {
    const c = contact(engine, 'help-reply');
    await c.say('你好');
    const id = requestNumber(said(await c.say('客服在吗，垃圾分类的积分怎么没到账')));
    const list = (await app.get('/api/v1/help-requests', { token: office })).body;
    expect(list.items.map((i: { id: string }) => i.id)).toContain(id);
    const bad = await app.post(`/api/v1/help-requests/${id}/replies`, { text: '' }, { token: office });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/请填写回复内容/);
    const replied = await app.post(
      `/api/v1/help-requests/${id}/replies`,
      { text: '您好，积分已补发，请在“我的”中查看。', close: true },
      { token: office },
    );
    expect(replied.status).toBe(200);
    expect(replied.body).toMatchObject({ status: 'closed', replies: [{ text: '您好，积分已补发，请在“我的”中查看。' }] });
    const resident = (await findResidentByIdentity('chat', 'help-reply'))!;
    const sent = await OutboxMessage.findOne({ residentId: resident._id, _id: `${resident._id}:help:${id}:1` }).lean();
    expect(sent!.text).toMatch(/^【人工回复】您好，积分已补发/);
    expect((await app.get('/api/v1/help-requests', { token: office })).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await app.post(`/api/v1/help-requests/${id}/replies`, { text: '再补充一句' }, { token: office })).status).toBe(409);
  });
});

describe('人工服务 from H5, and who may read it', () => {
  it('opens a request from a resident page and keeps it from residents and units', async () => {
    const r = await residentSession(app);
    const opened = await app.post('/api/v1/me/help-requests', { said: '志愿服务时长统计不对' }, { token: r.token });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ channel: 'h5', status: 'open' });
    expect((await app.post('/api/v1/me/help-requests', { said: '' }, { token: r.token })).status).toBe(400);
    expect((await app.get('/api/v1/help-requests', { token: r.token })).status).toBe(403);
    const unit = await staffSession(app, 'unit', 'hwc');
    expect((await app.get(`/api/v1/help-requests/${opened.body.id}`, { token: unit.token })).status).toBe(403);
    expect((await app.get('/api/v1/help-requests/R000000AAAAAA', { token: office })).status).toBe(404);
  });
});
