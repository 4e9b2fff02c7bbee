import { startTestApp, type TestApp } from '../harness/app';
import { staffSession } from '../factories';
import { setClock } from '../../src/core/time';
import { flushAudit } from '../../src/modules/audit';
import { createActivity, officeToken, volunteerSession, type VolunteerSession } from './factories';

let app: TestApp;
let office: string;
const HOUR = 3_600_000;
const T = Date.parse('2026-12-05T07:00:00+08:00');
const at = (hours: number) => setClock(() => new Date(T + hours * HOUR));
const iso = (hours: number) => new Date(T + hours * HOUR).toISOString();

beforeAll(async () => {
  app = await startTestApp();
  office = await officeToken(app);
});
afterEach(() => setClock(undefined));
afterAll(() => app.close());

const patch = (id: string, body: Record<string, unknown>) => app.patch(`/api/v1/activities/${id}`, body, { token: office });
const signUp = (id: string, v: VolunteerSession) => app.post(`/api/v1/activities/${id}/signups`, {}, { token: v.token });

describe('editing an activity in the console', () => {
  it('changes time, capacity, place and description before it starts', async () => {
    at(0);
    const a = await createActivity(app, { startAt: iso(24), endAt: iso(27) });
    const res = await patch(a.id, {
      startAt: iso(30),
      endAt: iso(33),
      capacity: 5,
      address: '湖滨公园东门',
      description: '改到公园东门集合。',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ capacity: 5, address: '湖滨公园东门', description: '改到公园东门集合。', seatsLeft: 5 });
    expect(Date.parse(res.body.startAt)).toBe(T + 30 * HOUR);
  });

  it('refuses a capacity below the volunteers already confirmed, and says why', async () => {
    at(0);
    const a = await createActivity(app, { startAt: iso(24), endAt: iso(27), capacity: 3 });
    const [v1, v2] = await Promise.all([volunteerSession(app), volunteerSession(app)]);
    await signUp(a.id, v1!);
    await signUp(a.id, v2!);
    const res = await patch(a.id, { capacity: 1, address: '别处' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CAPACITY_BELOW_SIGNUPS');
    expect(res.body.error.message).toContain('已有 2 人正式报名，名额不能少于 2');
    const after = await app.get(`/api/v1/activities/${a.id}`, { token: office });
    expect(after.body).toMatchObject({ capacity: 3, address: '柳岸路与湖滨路交叉口' });
    expect((await patch(a.id, { capacity: 2 })).status).toBe(200);
  });

  it('locks the start once it has started, and everything but the texts once it has ended', async () => {
    at(0);
    const a = await createActivity(app, { startAt: iso(1), endAt: iso(4) });
    at(2);
    const started = await patch(a.id, { startAt: iso(3) });
    expect(started.status).toBe(409);
    expect(started.body.error).toMatchObject({ code: 'ACTIVITY_LOCKED', message: '活动已开始，不能修改开始时间' });
    expect((await patch(a.id, { endAt: iso(5) })).status).toBe(200);
    at(6);
    const ended = await patch(a.id, { capacity: 50 });
    expect(ended.status).toBe(409);
    expect(ended.body.error.message).toMatch(/活动已结束.*只能修改服务内容、组织单位和联系方式/);
    // the form sends every field: unchanged ones do not count as edits
    const texts = await patch(a.id, { title: a.title, capacity: 20, description: '活动圆满结束，感谢参与。' });
    expect(texts.status).toBe(200);
    expect(texts.body.description).toBe('活动圆满结束，感谢参与。');
  });

  it('refuses a start in the past for an activity not yet started', async () => {
    at(0);
    const a = await createActivity(app, { startAt: iso(24), endAt: iso(27) });
    const res = await patch(a.id, { startAt: iso(-1) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('开始时间不能早于现在');
  });
});

describe('the console activity table', () => {
  it('lists running, upcoming and past activities with counts, search and pages', async () => {
    at(0);
    const title = `表格测试${Date.now().toString(36)}`;
    await createActivity(app, { title: `${title}甲`, startAt: iso(1), endAt: iso(3) });
    await createActivity(app, { title: `${title}乙`, startAt: iso(10), endAt: iso(12) });
    await createActivity(app, { title: `${title}丙`, startAt: iso(20), endAt: iso(22) });
    at(2);
    const q = `q=${encodeURIComponent(title)}`;
    const all = await app.get(`/api/v1/staff/activities?${q}`, { token: office });
    expect(all.status).toBe(200);
    expect(all.body.phases).toEqual({ running: 1, upcoming: 2, past: 0 });
    const upcoming = await app.get(`/api/v1/staff/activities?${q}&phase=upcoming&sort=startAt&order=desc&pageSize=1`, { token: office });
    expect(upcoming.body.total).toBe(2);
    expect(upcoming.body.items.map((a: { title: string; phase: string }) => [a.title, a.phase])).toEqual([[`${title}丙`, 'upcoming']]);
    const resident = await volunteerSession(app);
    expect((await app.get('/api/v1/staff/activities', { token: resident.token })).status).toBe(403);
  });
});

describe('管理员代签: the organiser checks a volunteer in and out', () => {
  it('records who did it, credits the hours the same way, and audits it', async () => {
    at(0);
    const a = await createActivity(app, { title: '敬老院陪伴', startAt: iso(1), endAt: iso(4), capacity: 2 });
    const [elder, other] = await Promise.all([volunteerSession(app, { realName: '李阿婆' }), volunteerSession(app)]);
    await signUp(a.id, elder!);
    const organiser = await staffSession(app, 'office');
    const roster = await app.get(`/api/v1/activities/${a.id}/signups`, { token: organiser.token });
    const row = roster.body.confirmed.find((e: { name: string }) => e.name === '李阿婆');
    expect(row.volunteerNo).toMatch(/^ZY\d{8}[0-9A-F]{6}$/);

    at(1);
    const cin = await app.post(
      `/api/v1/activities/${a.id}/attendance`,
      { residentId: row.residentId, kind: 'in' },
      { token: organiser.token },
    );
    expect(cin.status).toBe(201);
    expect(cin.body).toMatchObject({ name: '李阿婆', kind: 'in', recordedBy: `管理员代签（${organiser.username}）` });
    const again = await app.post(
      `/api/v1/activities/${a.id}/attendance`,
      { residentId: row.residentId, kind: 'in' },
      { token: organiser.token },
    );
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('管理员代签');
    const notSigned = await app.post(
      `/api/v1/activities/${a.id}/attendance`,
      { residentId: other!.id, kind: 'in' },
      { token: organiser.token },
    );
    expect(notSigned.status).toBe(409);
    expect(notSigned.body.error.message).toContain('没有报名此活动');

    // recorded afterwards with the actual time (补录): hours are the window served
    at(7);
    const cout = await app.post(
      `/api/v1/activities/${a.id}/attendance`,
      { residentId: row.residentId, kind: 'out', at: iso(4) },
      { token: organiser.token },
    );
    expect(cout.status).toBe(201);
    expect(cout.body).toMatchObject({ kind: 'out', hours: 3 });
    const me = await app.get('/api/v1/volunteers/me', { token: elder!.token });
    expect(me.body.hours).toBe(3);
    const after = await app.get(`/api/v1/activities/${a.id}/signups`, { token: organiser.token });
    expect(after.body.confirmed[0]).toMatchObject({
      checkedInBy: `管理员代签（${organiser.username}）`,
      checkedOutBy: `管理员代签（${organiser.username}）`,
      hours: 3,
    });

    await flushAudit();
    const admin = await staffSession(app, 'admin');
    const audit = await app.get(`/api/v1/audit?username=${organiser.username}`, { token: admin.token });
    const actions = audit.body.items.map((e: { action: string; changes: Record<string, unknown> }) => [e.action, e.changes.kind]);
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.arrayContaining([expect.stringContaining('管理员代签'), 'in']),
        expect.arrayContaining([expect.stringContaining('管理员代签'), 'out']),
      ]),
    );
  });
});
