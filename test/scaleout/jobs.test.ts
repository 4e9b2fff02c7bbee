import mongoose from 'mongoose';
import { useCluster } from '../harness/cluster';

/**
 * Three instances schedule the same job every second (JOB_SCHEDULES): every instance's scheduler
 * fires every occurrence, and the run record inserted by _id `<job>:<occurrence>` lets exactly one
 * of them run it. The instances log at debug level, so their logs show both the run they started
 * and the occurrences they left to another instance.
 */
const JOB = 'tipoffs.prune-cells';
const cluster = useCluster({ instances: 3, env: { JOBS_ENABLED: 'true', JOB_SCHEDULES: `${JOB}=* * * * * *`, LOG_LEVEL: 'debug' } });

interface LogLine {
  msg?: string;
  job?: string;
  runId?: string;
}

function logLines(i: number): LogLine[] {
  return cluster.current
    .log(i)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine)
    .filter((l) => l.job === JOB);
}

interface RunRecord {
  _id: string;
  scheduledAt: Date;
  status: string;
  instance: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('one run per job occurrence across instances', () => {
  it('runs each occurrence on exactly one instance while every instance’s scheduler fires it', async () => {
    // A window that starts once all three are up, and ends with time for its last runs to finish.
    const from = Date.now() + 1_000;
    await sleep(10_000);
    const to = Date.now() - 1_000;
    await sleep(4_000);

    const runs = (await mongoose.connection
      .db!.collection<RunRecord>('job_runs')
      .find({ job: JOB, trigger: 'schedule' })
      .toArray()) as RunRecord[];
    const inWindow = runs.filter((r) => r.scheduledAt.getTime() >= from && r.scheduledAt.getTime() <= to);
    const seconds = Math.floor((to - from) / 1000);
    // The cluster ran (nearly) every second of the window; a slot all three missed on a loaded machine may be absent.
    expect(inWindow.length).toBeGreaterThanOrEqual(Math.floor(seconds / 2));
    // One record per occurrence, none left running.
    expect(new Set(inWindow.map((r) => r.scheduledAt.getTime())).size).toBe(inWindow.length);
    expect(inWindow.filter((r) => r.status === 'running')).toEqual([]);

    // Every run was started by exactly one instance, once: the runs started across the three logs are the records that ran.
    const started = [0, 1, 2].flatMap((i) =>
      logLines(i)
        .filter((l) => l.msg === 'job started')
        .map((l) => l.runId!),
    );
    expect(new Set(started).size).toBe(started.length);
    const ran = runs.filter((r) => r.status === 'ok' || r.status === 'failed').map((r) => r._id);
    expect(started.sort()).toEqual(ran.sort());

    // Every instance's scheduler fired the window's occurrences: it ran them or found them leased.
    for (const i of [0, 1, 2]) {
      const fired = new Set(
        logLines(i)
          .filter((l) => l.msg === 'job started' || l.msg === 'occurrence leased by another instance')
          .map((l) => l.runId),
      );
      const firedHere = inWindow.filter((r) => fired.has(r._id)).length;
      expect({ instance: i, firedMostOccurrences: firedHere >= inWindow.length / 2 }).toEqual({ instance: i, firedMostOccurrences: true });
    }
  }, 120_000);
});
