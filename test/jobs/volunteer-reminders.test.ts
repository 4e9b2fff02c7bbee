import { useTestApp } from '../harness/app';
import { createActivity, volunteerSession } from '../volunteers/factories';
import { setClock } from '../../src/core/time';
import { modules } from '../../src/modules';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';

const app = useTestApp();

describe("volunteer reminders through the runner (the volunteers module's own job)", () => {
  it('reminds the confirmed volunteer, not the waitlisted one, once per occurrence across instances', async () => {
    const T = Date.parse('2026-12-20T08:00:00+08:00');
    setClock(() => new Date(T));
    const title = `垃圾分类宣传 ${Date.now()}`;
    const a = await createActivity(app, {
      capacity: 1,
      title,
      startAt: new Date(T + 20 * 3600_000).toISOString(),
      endAt: new Date(T + 23 * 3600_000).toISOString(),
    });
    const [seated, waiting] = await Promise.all([volunteerSession(app), volunteerSession(app)]);
    expect((await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: seated.token })).body.status).toBe('confirmed');
    expect((await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: waiting.token })).body.status).toBe('waitlisted');

    // the module list as main.ts runs it, on two instances
    const jobs = modules.flatMap((m) => m.jobs ?? []);
    const [one, two] = [createJobRunner({ jobs, instanceId: 'a' }), createJobRunner({ jobs, instanceId: 'b' })];
    const at = new Date(T + 3600_000);
    const runs = await Promise.all([one.runOccurrence('volunteers.reminders', at), two.runOccurrence('volunteers.reminders', at)]);
    expect(runs.filter(Boolean)).toEqual([expect.objectContaining({ status: 'ok', counts: expect.objectContaining({ day: 1 }) })]);

    const texts = async (token: string) =>
      ((await app.get('/api/v1/me/messages', { token })).body.items as Array<{ text: string }>)
        .map((m) => m.text)
        .filter((t) => t.includes(title));
    expect(await texts(seated.token)).toEqual([expect.stringMatching(/明天有您报名的志愿活动/)]);
    expect(await texts(waiting.token)).toEqual([]);
  });
});
