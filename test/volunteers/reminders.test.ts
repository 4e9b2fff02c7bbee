import { startTestApp, type TestApp } from '../harness/app';
import { createActivity, volunteerSession, type VolunteerSession } from './factories';
import { setClock } from '../../src/core/time';
import { remindVolunteers, volunteerJobs } from '../../src/modules/volunteers/volunteers.jobs';
import { volunteersModule } from '../../src/modules/volunteers';

let app: TestApp;
const HOUR = 3_600_000;
const T = Date.parse('2026-12-10T08:00:00+08:00');
const iso = (h: number) => new Date(T + h * HOUR).toISOString();
const time = (h: number) => new Date(T + h * HOUR);
let confirmed: VolunteerSession, waiting: VolunteerSession;
let title: string;

beforeAll(async () => {
  app = await startTestApp();
  setClock(() => time(0));
  title = `社区助老服务 ${Date.now()}`;
  const a = await createActivity(app, { capacity: 1, startAt: iso(30), endAt: iso(33), title });
  [confirmed, waiting] = await Promise.all([volunteerSession(app), volunteerSession(app)]);
  await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: confirmed.token });
  await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: waiting.token });
});
afterAll(async () => {
  setClock(undefined);
  await app.close();
});

const messages = async (v: VolunteerSession) =>
  ((await app.get('/api/v1/me/messages', { token: v.token })).body.items as Array<{ text: string }>).map((m) => m.text);

describe('activity reminders', () => {
  it('is a job of the volunteers module', () => {
    expect(volunteersModule.jobs).toBe(volunteerJobs);
    expect(volunteerJobs[0]).toMatchObject({ name: 'volunteers.reminders', schedule: '*/5 * * * *' });
  });

  it('sends nothing more than a day ahead', async () => {
    expect(await remindVolunteers(time(1))).toEqual({ day: 0, hour: 0 });
  });

  it('reminds the confirmed volunteers the day before, once however often it runs', async () => {
    const first = await remindVolunteers(time(10));
    expect(first.day).toBeGreaterThanOrEqual(1);
    expect((await remindVolunteers(time(11))).day).toBe(0);
    const texts = (await messages(confirmed)).filter((t) => t.includes(title));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/明天有您报名的志愿活动/);
    expect((await messages(waiting)).filter((t) => t.includes(title))).toEqual([]);
  });

  it('reminds them again one hour before the start', async () => {
    await remindVolunteers(time(29.5));
    await remindVolunteers(time(29.6));
    const texts = (await messages(confirmed)).filter((t) => t.includes(title));
    expect(texts).toHaveLength(2);
    expect(texts.some((t) => /1 小时后开始/.test(t))).toBe(true);
  });

  it('sends nothing after the start', async () => {
    expect(await remindVolunteers(time(30.5))).toEqual({ day: 0, hour: 0 });
  });
});
