import mongoose from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { bootstrap } from '../../src/bootstrap';
import { flushAudit } from '../../src/modules/audit/audit.service';
import { modules } from '../../src/modules';
import { JobRun } from '../../src/modules/jobs/jobs.model';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { counterWriter } from '../../src/modules/counters/counter-writer';

let app: TestApp;
let dbName: string;
beforeAll(async () => {
  app = await startTestApp();
  dbName = mongoose.connection.name;
});
afterAll(() => app.close());

const JOB = 'media.drafts-cleanup';
const allJobs = () => modules.flatMap((m) => m.jobs ?? []);
const jobView = async (token: string, name = JOB) =>
  (await app.get('/api/v1/admin/jobs', { token })).body.items.find((j: { name: string }) => j.name === name);

/** What a restart does to the database side: disconnect, connect again, content sync, modules' init. */
async function restartDatabaseSide(): Promise<void> {
  await counterWriter.stop();
  await mongoose.disconnect();
  await bootstrap({ uri: process.env.WM_TEST_MONGO_URI!, dbName });
}

describe('the on/off switch of a job', () => {
  it("is on by default, with the job's Chinese title and schedule in words", async () => {
    const admin = await staffSession(app, 'admin');
    expect(await jobView(admin.token, 'briefs.weekly')).toMatchObject({
      title: '工作周报',
      schedule: '0 9 * * 1',
      scheduleText: '每周一 09:00',
      enabled: true,
      switchedBy: null,
    });
    expect(await jobView(admin.token, 'volunteers.reminders')).toMatchObject({ scheduleText: '每 5 分钟' });
  });

  it("switched off, no instance runs the job's occurrences, and it stays off after a restart; switched on, it runs again", async () => {
    const admin = await staffSession(app, 'admin');
    const off = await app.request('PUT', `/api/v1/admin/jobs/${JOB}/enabled`, { enabled: false }, { token: admin.token });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ name: JOB, enabled: false, switchedBy: 'root', nextRunAt: null });

    const at = new Date('2026-11-03T04:10:00+08:00');
    const a = createJobRunner({ jobs: allJobs(), instanceId: 'instance-a' });
    const b = createJobRunner({ jobs: allJobs(), instanceId: 'instance-b' });
    expect(await a.runOccurrence(JOB, at)).toBeNull();
    expect(await b.runOccurrence(JOB, at)).toBeNull();
    expect(await JobRun.find({ job: JOB }).lean()).toHaveLength(0);

    await restartDatabaseSide();
    const afterRestart = createJobRunner({ jobs: allJobs(), instanceId: 'after-restart' });
    expect(await afterRestart.runOccurrence(JOB, new Date('2026-11-04T04:10:00+08:00'))).toBeNull();
    expect(await jobView(admin.token)).toMatchObject({ enabled: false, switchedBy: 'root' });

    // run-now still works for a switched-off job: an admin asked for it
    const manual = await app.post(`/api/v1/admin/jobs/${JOB}/run`, {}, { token: admin.token });
    expect(manual.body).toMatchObject({ status: 'ok', summary: '没有需要删除的草稿照片。' });

    const on = await app.request('PUT', `/api/v1/admin/jobs/${JOB}/enabled`, { enabled: true }, { token: admin.token });
    expect(on.body).toMatchObject({ enabled: true, nextRunAt: expect.stringMatching(/T04:10:00\.000\+08:00$/) });
    const run = await afterRestart.runOccurrence(JOB, new Date('2026-11-05T04:10:00+08:00'));
    expect(run).toMatchObject({ status: 'ok', summary: '没有需要删除的草稿照片。' });
  });

  it('is recorded in the 操作日志 with the value before and after', async () => {
    const admin = await staffSession(app, 'admin');
    await app.request('PUT', '/api/v1/admin/jobs/quiz.daily-push/enabled', { enabled: false }, { token: admin.token });
    await flushAudit();
    const log = await app.get(`/api/v1/audit?q=${encodeURIComponent('启用或停用定时任务')}`, { token: admin.token });
    const entry = log.body.items.find((e: { action: string }) => e.action === '启用或停用定时任务');
    expect(entry).toMatchObject({
      username: 'root',
      target: { name: 'quiz.daily-push' },
      changes: { enabled: false },
      before: { enabled: true },
      status: 200,
    });
    await app.request('PUT', '/api/v1/admin/jobs/quiz.daily-push/enabled', { enabled: true }, { token: admin.token });
  });

  it('answers an unknown job with 404, a bad body with 400, and anyone but an admin with 403', async () => {
    const admin = await staffSession(app, 'admin');
    const unknown = await app.request('PUT', '/api/v1/admin/jobs/no.such.job/enabled', { enabled: false }, { token: admin.token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    const bad = await app.request('PUT', `/api/v1/admin/jobs/${JOB}/enabled`, { enabled: 'off' }, { token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const office = await staffSession(app, 'office');
    expect((await app.request('PUT', `/api/v1/admin/jobs/${JOB}/enabled`, { enabled: false }, { token: office.token })).status).toBe(403);
    const resident = await residentSession(app);
    expect((await app.request('PUT', `/api/v1/admin/jobs/${JOB}/enabled`, { enabled: false }, { token: resident.token })).status).toBe(403);
  });
});
