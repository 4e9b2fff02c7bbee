import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { JobActive, JobRun } from '../../src/modules/jobs/jobs.model';
import { createJobRunner, occurrenceKey } from '../../src/modules/jobs/jobs.runner';
import type { JobDefinition } from '../../src/modules/types';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** A job whose runs the test counts and can hold open until released. */
function countingJob(name: string, opts: { hold?: boolean; fail?: string } = {}) {
  const runs: Date[] = [];
  let release: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const started = new Promise<void>((r) => (entered = r));
  const gate = new Promise<void>((r) => (release = r));
  const def: JobDefinition = {
    name,
    title: '测试任务',
    schedule: '*/5 * * * *',
    description: '测试任务',
    summarize: (c) => `运行了 ${c.touched} 次。`,
    async run(at) {
      runs.push(at);
      entered();
      if (opts.hold) await gate;
      if (opts.fail) throw new Error(opts.fail);
      return { touched: runs.length };
    },
  };
  return { def, runs, release, started };
}

describe('job runner', () => {
  it('runs one occurrence once when two runners share the database', async () => {
    const job = countingJob('test.once');
    const a = createJobRunner({ jobs: [job.def], instanceId: 'instance-a' });
    const b = createJobRunner({ jobs: [job.def], instanceId: 'instance-b' });
    const at = new Date('2026-11-02T10:15:00+08:00');
    const results = await Promise.all([
      a.runOccurrence('test.once', at),
      b.runOccurrence('test.once', at),
      a.runOccurrence('test.once', at),
      b.runOccurrence('test.once', at),
    ]);
    expect(job.runs).toHaveLength(1);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const stored = await JobRun.find({ job: 'test.once' }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      _id: 'test.once:2026-11-02T10:15:00+08:00',
      status: 'ok',
      counts: { touched: 1 },
      trigger: 'schedule',
    });
    expect(['instance-a', 'instance-b']).toContain(stored[0]!.instance);
    // the next occurrence is a new lease
    await b.runOccurrence('test.once', new Date('2026-11-02T10:20:00+08:00'));
    expect(job.runs).toHaveLength(2);
  });

  it('skips and records an occurrence whose previous run is still going, on any instance', async () => {
    const job = countingJob('test.overlap', { hold: true });
    const a = createJobRunner({ jobs: [job.def], instanceId: 'instance-a' });
    const b = createJobRunner({ jobs: [job.def], instanceId: 'instance-b' });
    const first = a.runOccurrence('test.overlap', new Date('2026-11-02T10:00:00+08:00'));
    await job.started;
    const second = await b.runOccurrence('test.overlap', new Date('2026-11-02T10:05:00+08:00'));
    expect(second).toMatchObject({ status: 'skipped', instance: 'instance-b' });
    expect(second!.reason).toMatch(/尚未结束/);
    job.release();
    expect(await first).toMatchObject({ status: 'ok' });
    expect(job.runs).toHaveLength(1);
    expect(await JobActive.findById('test.overlap').lean()).toBeNull();
    // once the run ended, the next occurrence runs again
    expect(await b.runOccurrence('test.overlap', new Date('2026-11-02T10:10:00+08:00'))).toMatchObject({ status: 'ok' });
  });

  it('takes over the marker of a run whose instance died', async () => {
    const job = countingJob('test.stale');
    await JobActive.collection.insertOne({
      _id: 'test.stale',
      runId: 'dead',
      instance: 'gone',
      startedAt: new Date('2026-11-01T00:00:00Z'),
      expiresAt: new Date('2026-11-01T02:00:00Z'),
    } as never);
    const r = createJobRunner({ jobs: [job.def], instanceId: 'instance-a' });
    expect(await r.runOccurrence('test.stale', new Date())).toMatchObject({ status: 'ok' });
  });

  it('records a failed run with its error and frees the job', async () => {
    const job = countingJob('test.fail', { fail: '数据源不可用' });
    const r = createJobRunner({ jobs: [job.def], instanceId: 'instance-a' });
    const run = await r.runOccurrence('test.fail', new Date('2026-11-02T11:00:00+08:00'));
    expect(run).toMatchObject({ status: 'failed', error: '数据源不可用' });
    expect((await JobRun.findById(run!._id).lean())!.endedAt).toBeInstanceOf(Date);
    expect(await JobActive.findById('test.fail').lean()).toBeNull();
  });

  it('applies schedule overrides and switches jobs off from configuration', () => {
    const one = countingJob('test.one').def;
    const two = countingJob('test.two').def;
    const r = createJobRunner({ jobs: [one, two], schedules: { 'test.two': '0 9 * * 1' }, disabled: ['test.one'], enabled: true });
    const byName = Object.fromEntries(r.jobs().map((j) => [j.def.name, j]));
    expect(byName['test.one']).toMatchObject({ enabled: false, schedule: '*/5 * * * *' });
    expect(byName['test.two']).toMatchObject({ enabled: true, schedule: '0 9 * * 1' });
    const next = r.nextRun('test.two')!;
    // Mondays 09:00 in Asia/Shanghai
    expect(occurrenceKey(next)).toMatch(/T09:00:00\+08:00$/);
    expect(new Date(next.getTime() + 8 * 3600_000).getUTCDay()).toBe(1);
    expect(createJobRunner({ jobs: [one], enabled: false }).jobs()[0]!.enabled).toBe(false);
  });

  it('refuses a job declared twice', () => {
    const one = countingJob('test.dup').def;
    expect(() => createJobRunner({ jobs: [one, one] })).toThrow(/declared twice/);
  });
});

describe('admin job endpoints', () => {
  it("lists the modules' jobs with schedule, switch and last runs, for admins only", async () => {
    const admin = await staffSession(app, 'admin');
    const res = await app.get('/api/v1/admin/jobs', { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const j of res.body.items) {
      expect(j).toEqual(
        expect.objectContaining({
          name: expect.any(String),
          schedule: expect.any(String),
          enabled: expect.any(Boolean),
          timezone: 'Asia/Shanghai',
          lastRuns: expect.any(Array),
        }),
      );
    }
    // every module's jobs, the volunteers' reminders and the tip-offs' own jobs included
    expect(res.body.items.map((j: { name: string }) => j.name)).toEqual(
      expect.arrayContaining([
        'volunteers.reminders',
        'tipoffs.mark-overdue',
        'tipoffs.escalate',
        'quiz.daily-push',
        'briefs.weekly',
        'stats.reconcile',
        'privacy.retention',
      ]),
    );
    const office = await staffSession(app, 'office');
    expect((await app.get('/api/v1/admin/jobs', { token: office.token })).status).toBe(403);
    const resident = await residentSession(app);
    expect((await app.get('/api/v1/admin/jobs', { token: resident.token })).status).toBe(403);
    expect((await app.get('/api/v1/admin/jobs')).status).toBe(401);
  });

  it('runs a job now, records who asked, and shows it among the last runs', async () => {
    const admin = await staffSession(app, 'admin');
    const name = 'stats.reconcile';
    const res = await app.post(`/api/v1/admin/jobs/${name}/run`, {}, { token: admin.token });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ job: name, trigger: 'manual', by: 'root', status: 'ok' });
    expect(res.body.id).toMatch(/^stats\.reconcile:manual:/);
    const after = await app.get('/api/v1/admin/jobs', { token: admin.token });
    const job = after.body.items.find((j: { name: string }) => j.name === name);
    expect(job.lastRuns[0].id).toBe(res.body.id);
    const runs = await app.get(`/api/v1/admin/jobs/${name}/runs?limit=1`, { token: admin.token });
    expect(runs.body.items[0].id).toBe(res.body.id);
    expect((await app.post('/api/v1/admin/jobs/no.such.job/run', {}, { token: admin.token })).status).toBe(404);
  });
});
