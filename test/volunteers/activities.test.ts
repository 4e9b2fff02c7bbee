import { useTestApp } from '../harness/app';
import { COMMUNITIES, residentSession, staffSession } from '../factories';
import { activityInput, createActivity, hoursFromNow, officeToken, volunteerSession } from './factories';

const app = useTestApp();

const list = async (query = '') =>
  (await app.get(`/api/v1/activities${query}`)).body.items as Array<{ id: string } & Record<string, unknown>>;
const ids = async (query = '') => (await list(query)).map((a) => a.id);

describe('publishing activities (office)', () => {
  it('creates an activity with a check-in code only the organisers see', async () => {
    const res = await app.post('/api/v1/activities', activityInput({ skills: ['交通引导'], location: { lat: 29.8731, lng: 121.5602 } }), {
      token: await officeToken(app),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: '文明交通劝导',
      regionCode: COMMUNITIES[0],
      regionName: '东湖区 湖滨街道 柳岸社区',
      capacity: 20,
      confirmedCount: 0,
      waitlistCount: 0,
      seatsLeft: 20,
      skills: ['交通引导'],
      organizer: '柳岸社区居民委员会',
      status: 'open',
      signupOpen: true,
    });
    expect(res.body.startAt).toMatch(/\+08:00$/);
    expect(res.body.checkinCode).toMatch(/^\d{6}$/);
    expect(res.body.checkinUrl).toContain(`#/volunteer/checkin?activity=${res.body.id}&code=${res.body.checkinCode}`);
    const publicView = await app.get(`/api/v1/activities/${res.body.id}`);
    expect(publicView.body.checkinCode).toBeUndefined();
    const resident = await residentSession(app);
    expect((await app.get(`/api/v1/activities/${res.body.id}`, { token: resident.token })).body.checkinCode).toBeUndefined();
    expect((await list()).find((a) => a.id === res.body.id)?.checkinCode).toBeUndefined();
  });

  it('refuses residents and unit staff', async () => {
    const resident = await residentSession(app);
    expect((await app.post('/api/v1/activities', activityInput(), { token: resident.token })).status).toBe(403);
    const unit = await staffSession(app, 'unit', 'cgj');
    expect((await app.post('/api/v1/activities', activityInput(), { token: unit.token })).status).toBe(403);
  });

  it('validates the window, the region and the capacity in Chinese', async () => {
    const token = await officeToken(app);
    const backwards = await app.post('/api/v1/activities', activityInput({ startAt: hoursFromNow(5), endAt: hoursFromNow(4) }), { token });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/结束时间必须晚于开始时间/);
    expect((await app.post('/api/v1/activities', activityInput({ regionCode: 'nowhere' }), { token })).status).toBe(400);
    expect((await app.post('/api/v1/activities', activityInput({ capacity: 0 }), { token })).status).toBe(400);
    const noPlace = await app.post('/api/v1/activities', activityInput({ requireLocation: true }), { token });
    expect(noPlace.status).toBe(400);
    expect(noPlace.body.error.message).toMatch(/坐标/);
  });

  it('serves the organiser a QR code PNG of the check-in link', async () => {
    const a = await createActivity(app);
    const res = await fetch(`${app.baseUrl}/api/v1/activities/${a.id}/checkin-qr.png`, {
      headers: { authorization: `Bearer ${await officeToken(app)}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const resident = await residentSession(app);
    expect((await app.get(`/api/v1/activities/${a.id}/checkin-qr.png`, { token: resident.token })).status).toBe(403);
  });
});

describe('listing activities by region and time', () => {
  let inStreet: string, inOtherDistrict: string, past: string, street: string, later: string;

  beforeAll(async () => {
    inStreet = (await createActivity(app, { regionCode: '330201001002', startAt: hoursFromNow(24), endAt: hoursFromNow(26) })).id;
    street = (await createActivity(app, { regionCode: '330201001', startAt: hoursFromNow(30), endAt: hoursFromNow(32) })).id;
    inOtherDistrict = (await createActivity(app, { regionCode: '330203002001', startAt: hoursFromNow(24), endAt: hoursFromNow(26) })).id;
    past = (await createActivity(app, { regionCode: '330201001001', startAt: hoursFromNow(-50), endAt: hoursFromNow(-48) })).id;
    later = (await createActivity(app, { regionCode: '330201001001', startAt: hoursFromNow(24 * 40), endAt: hoursFromNow(24 * 40 + 2) }))
      .id;
  });

  it('includes the activities of every community below the region asked for', async () => {
    const district = await ids('?region=330201&limit=100');
    expect(district).toEqual(expect.arrayContaining([inStreet, street, later]));
    expect(district).not.toContain(inOtherDistrict);
    const community = await ids('?region=330201001002&limit=100');
    expect(community).toContain(inStreet);
    expect(community).not.toContain(street);
  });

  it('lists only activities not yet ended by default, sorted by start', async () => {
    const items = await list('?limit=100');
    expect(items.map((a) => a.id)).not.toContain(past);
    const starts = items.map((a) => String(a.startAt));
    expect([...starts].sort()).toEqual(starts);
  });

  it('filters by from and to dates (inclusive) and pages with a cursor', async () => {
    const day = (h: number) => new Date(Date.now() + h * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const pastDay = await ids(`?from=${day(-50)}&to=${day(-48)}&limit=100`);
    expect(pastDay).toContain(past);
    expect(pastDay).not.toContain(later);
    const page1 = await app.get('/api/v1/activities?limit=2');
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toBeTruthy();
    const page2 = await app.get(`/api/v1/activities?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
  });

  it('rejects an unknown region with 404', async () => {
    expect((await app.get('/api/v1/activities?region=999')).status).toBe(404);
  });
});

describe('signing up', () => {
  it('requires a registered volunteer', async () => {
    const a = await createActivity(app);
    const resident = await residentSession(app);
    const res = await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: resident.token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_A_VOLUNTEER');
  });

  it('closes sign-up when the activity has started, and for a cancelled activity', async () => {
    const v = await volunteerSession(app);
    const started = await createActivity(app, { startAt: hoursFromNow(-1), endAt: hoursFromNow(2) });
    const res = await app.post(`/api/v1/activities/${started.id}/signups`, {}, { token: v.token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SIGNUP_CLOSED');
    const cancelled = await createActivity(app);
    expect(
      (await app.patch(`/api/v1/activities/${cancelled.id}`, { status: 'cancelled' }, { token: await officeToken(app) })).body.status,
    ).toBe('cancelled');
    expect((await app.post(`/api/v1/activities/${cancelled.id}/signups`, {}, { token: v.token })).body.error.message).toMatch(/已取消/);
    expect(await ids('?limit=100')).not.toContain(cancelled.id);
  });

  it('answers 404 to cancelling a sign-up that does not exist, and to an unknown activity', async () => {
    const v = await volunteerSession(app);
    const a = await createActivity(app);
    expect((await app.del(`/api/v1/activities/${a.id}/signups/me`, { token: v.token })).status).toBe(404);
    expect((await app.post('/api/v1/activities/0123456789abcdef01234567/signups', {}, { token: v.token })).status).toBe(404);
  });

  it('shows my status on the detail, and lists my sign-ups', async () => {
    const v = await volunteerSession(app);
    const a = await createActivity(app, { capacity: 1 });
    const other = await volunteerSession(app);
    await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: other.token });
    expect((await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: v.token })).body).toEqual({
      status: 'waitlisted',
      position: 1,
    });
    const detail = await app.get(`/api/v1/activities/${a.id}`, { token: v.token });
    expect(detail.body.my).toEqual({ status: 'waitlisted', position: 1, checkedInAt: null, checkedOutAt: null, hours: null });
    const mine = await app.get('/api/v1/volunteers/me/signups', { token: v.token });
    expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([a.id]);
    await app.del(`/api/v1/activities/${a.id}/signups/me`, { token: v.token });
    expect((await app.get('/api/v1/volunteers/me/signups', { token: v.token })).body.items).toEqual([]);
    // signing up again after cancelling is allowed
    expect((await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: v.token })).status).toBe(201);
  });

  it('promotes the waitlist when the office raises the capacity', async () => {
    const a = await createActivity(app, { capacity: 1 });
    const [x, y, z] = await Promise.all([volunteerSession(app), volunteerSession(app), volunteerSession(app)]);
    for (const v of [x, y, z]) await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: v.token });
    const res = await app.patch(`/api/v1/activities/${a.id}`, { capacity: 2, title: '周末文明劝导' }, { token: await officeToken(app) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: '周末文明劝导', capacity: 2, confirmedCount: 2, waitlistCount: 1 });
    expect((await app.get(`/api/v1/activities/${a.id}`, { token: y.token })).body.my.status).toBe('confirmed');
  });
});
