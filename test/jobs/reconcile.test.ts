import { useTestApp } from '../harness/app';
import { adminToken, COMMUNITIES } from '../factories';
import { setClock } from '../../src/core/time';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { maintenanceJobs } from '../../src/modules/maintenance/maintenance.jobs';
import { createResident } from '../../src/modules/residents/residents.service';
import { counterWriter } from '../../src/modules/counters/counter-writer';
import { Counter } from '../../src/modules/counters/stats.model';
import { recordParticipation } from '../../src/modules/counters/counters.recorder';

const app = useTestApp();

const runner = () => createJobRunner({ jobs: maintenanceJobs, instanceId: 'test' });
const counterValue = async (id: string, day: string) =>
  ((await Counter.findById(id).lean<{ c: Record<string, number> }>())?.c ?? {})[day] ?? 0;

describe('nightly reconciliation (stats.reconcile)', () => {
  it('repairs a deliberately corrupted counter and records the drift by counter family', async () => {
    const community = COMMUNITIES[0];
    const yesterday = new Date('2026-11-09T15:00:00+08:00');
    for (let i = 0; i < 3; i++) {
      const r = await createResident({ regionCode: community });
      await recordParticipation({ id: r._id, regionCode: community }, 'quiz', yesterday, `rec-${i}`);
    }
    await counterWriter.flush();
    const actId = `act:quiz:${community}:2026`;
    expect(await counterValue(actId, '2026-11-09')).toBe(3);

    // corrupt: a lost increment plus a phantom day
    await Counter.updateOne({ _id: actId }, { $set: { 'c.2026-11-09': 1, 'c.2026-11-08': 7 } });

    const at = new Date('2026-11-10T02:30:00+08:00');
    const run = await runner().runOccurrence('stats.reconcile', at);
    expect(run).toMatchObject({ status: 'ok', error: null });
    expect(run!.counts).toMatchObject({ drifted: 2, driftedYesterday: 1, drift_act: 2, participations: 3 });
    expect(await counterValue(actId, '2026-11-09')).toBe(3);
    expect(await counterValue(actId, '2026-11-08')).toBe(0);

    // a second night finds nothing left to correct
    const again = await runner().runOccurrence('stats.reconcile', new Date('2026-11-11T02:30:00+08:00'));
    expect(again!.counts.drifted).toBe(0);
  });

  it('runs from the admin endpoint at the injected time', async () => {
    setClock(() => new Date('2026-11-12T09:00:00+08:00'));
    const token = await adminToken(app);
    const res = await app.post('/api/v1/admin/jobs/stats.reconcile/run', {}, { token });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      job: 'stats.reconcile',
      status: 'ok',
      scheduledAt: '2026-11-12T09:00:00.000+08:00',
      counts: { drifted: 0 },
    });
  });
});
