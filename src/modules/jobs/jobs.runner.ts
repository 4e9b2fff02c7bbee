import crypto from 'node:crypto';
import os from 'node:os';
import { createTask, type ScheduledTask } from 'node-cron';
import { config } from '../../config';
import { logger } from '../../core/logger';
import { claimOnce } from '../../core/store';
import { isoLocal, now } from '../../core/time';
import type { JobDefinition } from '../types';
import { JobActive, JobRun, JobSwitch, type JobActiveDoc, type JobRunDoc, type JobSwitchDoc, type RunStatus } from './jobs.model';

/** A declared job as this deployment runs it: schedule after JOB_SCHEDULES, switched on or off. */
export interface ResolvedJob {
  def: JobDefinition;
  schedule: string;
  enabled: boolean;
}

export interface RunnerOptions {
  jobs: readonly JobDefinition[];
  /** names this runner; the default is host:pid:nonce, unique per process */
  instanceId?: string;
  enabled?: boolean;
  disabled?: readonly string[];
  schedules?: Readonly<Record<string, string>>;
  timezone?: string;
  /** a run that has not ended after this long no longer blocks the next occurrence (the instance died) */
  staleAfterMs?: number;
}

const MAX_ERROR_CHARS = 500;

/** `2026-03-02T10:15:00+08:00`: the occurrence key of an instant, to the second. */
export function occurrenceKey(at: Date): string {
  return isoLocal(new Date(Math.floor(at.getTime() / 1000) * 1000)).replace('.000', '');
}

/**
 * Runs the modules' jobs on their node-cron schedules, once per cluster: every occurrence is leased
 * by inserting its run record (unique _id), a job still running elsewhere makes the next occurrence
 * "skipped", and every run is recorded with its outcome and counts. The clock (core/time) is the
 * injected one, so tests call runOccurrence() with any instant instead of waiting.
 */
export function createJobRunner(opts: RunnerOptions) {
  const cfg = config();
  const instanceId = opts.instanceId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const enabledHere = opts.enabled ?? cfg.JOBS_ENABLED;
  const disabled = new Set(opts.disabled ?? cfg.JOBS_DISABLED);
  const overrides = opts.schedules ?? cfg.JOB_SCHEDULES;
  const timezone = opts.timezone ?? cfg.TZ_NAME;
  const staleAfterMs = opts.staleAfterMs ?? 2 * 3600_000;

  const jobs = new Map<string, ResolvedJob>();
  for (const def of opts.jobs) {
    if (jobs.has(def.name)) throw new Error(`job ${def.name} is declared twice`);
    jobs.set(def.name, { def, schedule: overrides[def.name] ?? def.schedule, enabled: enabledHere && !disabled.has(def.name) });
  }
  for (const name of [...disabled, ...Object.keys(overrides)])
    if (!jobs.has(name)) logger.warn({ job: name }, 'configured job does not exist');

  // Tasks are created stopped so nextRun can be shown; start() starts the enabled ones.
  const tasks = new Map<string, ScheduledTask>();
  const inflight = new Set<Promise<unknown>>();
  let started = false;

  function task(job: ResolvedJob): ScheduledTask {
    let t = tasks.get(job.def.name);
    if (!t) {
      t = createTask(job.schedule, (ctx) => track(runOccurrence(job.def.name, ctx.date)), {
        timezone,
        name: job.def.name,
        unref: true,
        logger: cronLogger,
      });
      tasks.set(job.def.name, t);
    }
    return t;
  }

  function track<T>(p: Promise<T>): Promise<T | undefined> {
    const guarded = p.catch((err) => {
      logger.error({ err }, 'job runner failed');
      return undefined;
    });
    inflight.add(guarded);
    void guarded.finally(() => inflight.delete(guarded));
    return guarded;
  }

  function get(name: string): ResolvedJob | undefined {
    return jobs.get(name);
  }

  /**
   * The scheduled occurrence `at` of a job: runs it here unless it is switched off in the console or
   * another instance leased it (→ null). A switched-off occurrence leaves no record: every five
   * minutes of "not run" would bury the runs that matter.
   */
  async function runOccurrence(name: string, at: Date): Promise<JobRunDoc | null> {
    const job = jobs.get(name);
    if (!job) throw new Error(`unknown job ${name}`);
    if (!(await switchedOn(name))) {
      logger.debug({ job: name }, 'job switched off in the console; occurrence not run');
      return null;
    }
    return lease(job, `${name}:${occurrenceKey(at)}`, at, 'schedule', null);
  }

  /** Run-now: its own lease key, the current (injected) time as its instant. */
  async function runNow(name: string, by: string | null): Promise<{ run: JobRunDoc; done: Promise<JobRunDoc> }> {
    const job = jobs.get(name);
    if (!job) throw new Error(`unknown job ${name}`);
    const at = now();
    const id = `${name}:manual:${occurrenceKey(at)}:${crypto.randomBytes(4).toString('hex')}`;
    let recorded!: (r: JobRunDoc) => void;
    const first = new Promise<JobRunDoc>((resolve) => (recorded = resolve));
    const done = lease(job, id, at, 'manual', by, recorded).then((r) => r!);
    void track(done);
    // The record exists (running, or skipped) once `first` resolves; a failure before that rejects `done`.
    return { run: await Promise.race([first, done]), done };
  }

  async function lease(
    job: ResolvedJob,
    id: string,
    at: Date,
    trigger: 'schedule' | 'manual',
    by: string | null,
    onRecord?: (r: JobRunDoc) => void,
  ): Promise<JobRunDoc | null> {
    const record: JobRunDoc = {
      _id: id,
      job: job.def.name,
      trigger,
      scheduledAt: at,
      instance: instanceId,
      by,
      status: 'running',
      startedAt: now(),
      endedAt: null,
      counts: {},
      error: null,
      reason: null,
      summary: null,
    };
    if (!(await claimOnce({ collection: JobRun.collection }, record))) {
      // Another instance runs this occurrence. Logged (debug) so a cluster's logs show every scheduler fired.
      logger.debug({ job: job.def.name, runId: id, instance: instanceId }, 'occurrence leased by another instance');
      return null;
    }
    if (!(await takeActive(job, id))) {
      const skipped = await finish(record, 'skipped', { reason: '上一次运行尚未结束，本次跳过' });
      onRecord?.(skipped);
      return skipped;
    }
    onRecord?.(record);
    logger.info({ job: job.def.name, runId: id, trigger }, 'job started');
    try {
      const counts = cleanCounts((await job.def.run(at)) ?? {});
      return await finish(record, 'ok', { counts, summary: summarize(job, counts) });
    } catch (err) {
      logger.error({ err, job: job.def.name, runId: id }, 'job failed');
      return await finish(record, 'failed', { error: String((err as Error)?.message ?? err).slice(0, MAX_ERROR_CHARS) });
    } finally {
      // Only this run's own marker: a stale one may have been taken over meanwhile.
      await JobActive.deleteOne({ _id: job.def.name, runId: id }).catch((err) =>
        logger.warn({ err, job: job.def.name }, 'job marker not released'),
      );
    }
  }

  /** Inserts the job's "running" marker; a duplicate means a run is still going (unless it is stale). */
  async function takeActive(job: ResolvedJob, runId: string): Promise<boolean> {
    const start = now();
    const doc = { _id: job.def.name, runId, instance: instanceId, startedAt: start, expiresAt: new Date(start.getTime() + staleAfterMs) };
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await claimOnce({ collection: JobActive.collection }, doc)) return true;
      const holder = await JobActive.findById(job.def.name).lean<JobActiveDoc>();
      if (holder && holder.expiresAt.getTime() > now().getTime()) return false;
      // Stale (its instance died): remove exactly that marker; the retried insert still decides the winner.
      if (holder) {
        logger.warn({ job: job.def.name, staleRun: holder.runId }, 'stale job marker released');
        await JobActive.deleteOne({ _id: job.def.name, runId: holder.runId });
      }
    }
    return false;
  }

  async function finish(record: JobRunDoc, status: RunStatus, patch: Partial<JobRunDoc>): Promise<JobRunDoc> {
    const done: JobRunDoc = { ...record, ...patch, status, endedAt: now() };
    await JobRun.updateOne(
      { _id: record._id },
      {
        $set: { status, endedAt: done.endedAt, counts: done.counts, error: done.error, reason: done.reason, summary: done.summary ?? null },
      },
    );
    logger.info(
      { job: record.job, runId: record._id, status, counts: done.counts, ms: done.endedAt!.getTime() - record.startedAt.getTime() },
      'job ended',
    );
    return done;
  }

  return {
    instanceId,
    timezone,
    jobs: (): ResolvedJob[] => [...jobs.values()],
    get,
    runOccurrence,
    runNow,
    /** The next scheduled instant of a job (wall clock), whether or not this instance schedules it. */
    nextRun(name: string): Date | null {
      const job = jobs.get(name);
      return job ? (task(job).getNextRuns(1)[0] ?? null) : null;
    },
    /** Schedules every enabled job with node-cron (in TZ_NAME). */
    start(): void {
      if (started) return;
      started = true;
      for (const job of jobs.values()) if (job.enabled) void task(job).start();
      logger.info(
        { instance: instanceId, jobs: [...jobs.values()].filter((j) => j.enabled).map((j) => `${j.def.name} ${j.schedule}`) },
        'job runner started',
      );
    },
    /** Stops scheduling and waits for runs in progress (their markers are released when they end). */
    async stop(): Promise<void> {
      started = false;
      for (const t of tasks.values()) await t.destroy();
      tasks.clear();
      await Promise.allSettled([...inflight]);
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

/** The console's switch (job_switches); a job nobody switched is on. */
export async function switchedOn(name: string): Promise<boolean> {
  const doc = await JobSwitch.findById(name).lean<JobSwitchDoc>();
  return doc?.enabled !== false;
}

/** The job's sentence for its counts; a summarize that throws costs the sentence, not the run. */
function summarize(job: ResolvedJob, counts: Record<string, number>): string | null {
  try {
    return job.def.summarize(counts);
  } catch (err) {
    logger.warn({ err, job: job.def.name }, 'job summary failed');
    return null;
  }
}

/** Finite numbers only, under keys a document may hold (FerretDB refuses '.' and a leading '$'). */
function cleanCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts)
      .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
      .map(([k, v]) => [k.replace(/\./g, '_').replace(/^\$/, '_'), v]),
  );
}

const cronLogger = {
  info: (m: string) => logger.debug({ cron: true }, m),
  warn: (m: string) => logger.warn({ cron: true }, m),
  error: (m: string | Error, err?: Error) => logger.error({ cron: true, err: err ?? m }, String(m)),
  debug: (m: string | Error) => logger.debug({ cron: true }, String(m)),
};
