import { startTestApp, type TestApp } from '../harness/app';
import { createActivity, volunteerSession, type VolunteerSession } from './factories';
import { setClock } from '../../src/core/time';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';
import { Counter } from '../../src/modules/counters/stats.model';

let app: TestApp;
const HOUR = 3_600_000;
const T = Date.parse('2026-12-05T07:00:00+08:00');
const at = (hours: number) => setClock(() => new Date(T + hours * HOUR));
const iso = (hours: number) => new Date(T + hours * HOUR).toISOString();
const SITE = { lat: 29.8731, lng: 121.5602 };

let a: { id: string; checkinCode: string };
let [x, y, w]: VolunteerSession[] = [];

beforeAll(async () => {
  app = await startTestApp();
  at(0);
  a = await createActivity(app, {
    capacity: 2,
    startAt: iso(2),
    endAt: iso(5),
    location: SITE,
    title: '湖滨公园垃圾分类宣传',
    organizer: '湖滨街道志愿服务队',
  });
  [x, y, w] = await Promise.all([volunteerSession(app, { realName: '王小明' }), volunteerSession(app), volunteerSession(app)]);
  for (const v of [x, y, w]) await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: v!.token });
});
afterAll(async () => {
  setClock(undefined);
  await app.close();
});

const checkin = (v: VolunteerSession, body: Record<string, unknown>) =>
  app.post(`/api/v1/activities/${a.id}/checkins`, body, { token: v.token });
const checkout = (v: VolunteerSession, body: Record<string, unknown>) =>
  app.post(`/api/v1/activities/${a.id}/checkouts`, body, { token: v.token });

describe('checking in with the code', () => {
  it('opens check-in one hour before the start', async () => {
    at(0.5);
    const res = await checkin(x!, { code: a.checkinCode });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CHECKIN_CLOSED');
    expect(res.body.error.message).toMatch(/开始前 1 小时/);
  });

  it('refuses a wrong code and a waitlisted volunteer', async () => {
    at(1.5);
    const wrong = await checkin(x!, { code: a.checkinCode === '123456' ? '654321' : '123456' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('INVALID_CHECKIN_CODE');
    const waiting = await checkin(w!, { code: a.checkinCode });
    expect(waiting.status).toBe(409);
    expect(waiting.body.error.message).toMatch(/候补第 1 位/);
  });

  it('refuses a location too far from the activity', async () => {
    const far = await checkin(x!, { code: a.checkinCode, lat: 29.95, lng: 121.56 });
    expect(far.status).toBe(400);
    expect(far.body.error.code).toBe('TOO_FAR_FROM_ACTIVITY');
    expect(far.body.error.details.radiusMeters).toBe(1000);
  });

  it('checks in once, near the activity', async () => {
    const res = await checkin(x!, { code: a.checkinCode, lat: 29.874, lng: 121.561 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ checkedInAt: '2026-12-05T08:30:00.000+08:00', activityId: a.id, title: '湖滨公园垃圾分类宣传' });
    const again = await checkin(x!, { code: a.checkinCode });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_CHECKED_IN');
  });

  it('refuses a check-out before a check-in', async () => {
    const res = await checkout(y!, { code: a.checkinCode });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOT_CHECKED_IN');
  });
});

describe('checking out and the hours', () => {
  it('counts the checked-in time clipped to the activity window and awards points', async () => {
    at(4);
    const res = await checkout(x!, { code: a.checkinCode });
    expect(res.status).toBe(201);
    // checked in 08:30, activity 09:00-12:00, out 11:00 → 2 hours
    expect(res.body).toMatchObject({ checkedOutAt: '2026-12-05T11:00:00.000+08:00', hours: 2, pointsAwarded: 20 });
    const again = await checkout(x!, { code: a.checkinCode });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_CHECKED_OUT');
  });

  it('clips a late check-out at the end of the activity', async () => {
    at(3);
    expect((await checkin(y!, { code: a.checkinCode })).status).toBe(201);
    at(6);
    expect((await checkout(y!, { code: a.checkinCode })).body.hours).toBe(2);
  });

  it('shows the hours, points and participation to the volunteer', async () => {
    await app.flush();
    const me = await app.get('/api/v1/volunteers/me', { token: x!.token });
    expect(me.body).toMatchObject({ hours: 2, activities: 1 });
    const resident = await app.get('/api/v1/me', { token: x!.token });
    expect(resident.body.points).toBe(20);
    expect(resident.body.participation.activities).toBe(1);
    const detail = await app.get(`/api/v1/activities/${a.id}`, { token: x!.token });
    expect(detail.body.my).toMatchObject({
      status: 'confirmed',
      checkedInAt: '2026-12-05T08:30:00.000+08:00',
      checkedOutAt: '2026-12-05T11:00:00.000+08:00',
      hours: 2,
    });
  });

  it('writes the service record with the fields of 民政部令第67号', async () => {
    const res = await app.get('/api/v1/volunteers/me/record', { token: x!.token });
    expect(res.status).toBe(200);
    expect(res.body.volunteer).toMatchObject({ realName: '王小明', idType: '居民身份证', regionName: '东湖区 湖滨街道 柳岸社区' });
    expect(res.body.volunteer.idNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(res.body.entries).toEqual([
      expect.objectContaining({
        activityId: a.id,
        title: '湖滨公园垃圾分类宣传',
        content: expect.stringContaining('劝导'),
        place: '东湖区 湖滨街道 柳岸社区 柳岸路与湖滨路交叉口',
        startAt: '2026-12-05T09:00:00.000+08:00',
        endAt: '2026-12-05T12:00:00.000+08:00',
        hours: 2,
        organizer: '湖滨街道志愿服务队',
        recordedAt: '2026-12-05T11:00:00.000+08:00',
      }),
    ]);
    expect(res.body).toMatchObject({ totalHours: 2, activities: 1 });
    expect(JSON.stringify(res.body)).not.toContain(x!.idNumber);
  });

  it('closes check-out two hours after the end', async () => {
    at(4.5);
    const late = await createActivity(app, { capacity: 5, startAt: iso(4.6), endAt: iso(5) });
    const v = await volunteerSession(app);
    await app.post(`/api/v1/activities/${late.id}/signups`, {}, { token: v.token });
    at(4.7);
    expect((await app.post(`/api/v1/activities/${late.id}/checkins`, { code: late.checkinCode }, { token: v.token })).status).toBe(201);
    at(7.5);
    const res = await app.post(`/api/v1/activities/${late.id}/checkouts`, { code: late.checkinCode }, { token: v.token });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/超过 2 小时/);
  });

  it('requires a location for an activity that asks for one', async () => {
    at(0);
    const strict = await createActivity(app, { capacity: 5, startAt: iso(0.5), endAt: iso(2), location: SITE, requireLocation: true });
    const v = await volunteerSession(app);
    await app.post(`/api/v1/activities/${strict.id}/signups`, {}, { token: v.token });
    const res = await app.post(`/api/v1/activities/${strict.id}/checkins`, { code: strict.checkinCode }, { token: v.token });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/定位/);
    expect(
      (await app.post(`/api/v1/activities/${strict.id}/checkins`, { code: strict.checkinCode, ...SITE }, { token: v.token })).status,
    ).toBe(201);
  });
});

describe('volunteer counters', () => {
  it('rebuilds the volunteer counters exactly from the volunteers and the hours ledger', async () => {
    await app.flush();
    const read = async () =>
      (await Counter.find().lean())
        .filter((c) => /^vol(res)?:/.test(String(c._id)))
        .map((c) => [c._id, c.c])
        .sort();
    const incremental = await read();
    expect(incremental.length).toBeGreaterThan(0);
    await rebuildCounters();
    expect(await read()).toEqual(incremental);
  });
});
