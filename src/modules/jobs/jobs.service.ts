import { keysetPage } from '../../core/store';
import { notFound } from '../../core/errors';
import { isoLocal } from '../../core/time';
import { declaredJobs } from '../manifest';
import { now } from '../../core/time';
import { JobRun, JobSwitch, type JobRunDoc, type JobSwitchDoc } from './jobs.model';
import { createJobRunner, type JobRunner } from './jobs.runner';
import type { JobRunView, JobView } from './jobs.schema';
import { scheduleInWords } from './schedule-words';

let runner: JobRunner | undefined;

/**
 * The process's runner over the jobs the installed modules declare (modules/manifest.ts). Created on
 * first use, after the start-up installed the module list; bootstrap starts its schedules, the admin
 * routes use it for listing and run-now in every process.
 */
export function jobRunner(): JobRunner {
  return (runner ??= createJobRunner({ jobs: declaredJobs() }));
}

export function presentRun(r: JobRunDoc): JobRunView {
  return {
    id: r._id,
    job: r.job,
    trigger: r.trigger,
    scheduledAt: isoLocal(r.scheduledAt),
    instance: r.instance,
    by: r.by ?? null,
    status: r.status,
    startedAt: isoLocal(r.startedAt),
    endedAt: r.endedAt ? isoLocal(r.endedAt) : null,
    durationMs: r.endedAt ? r.endedAt.getTime() - r.startedAt.getTime() : null,
    counts: (r.counts ?? {}) as Record<string, number>,
    error: r.error ?? null,
    reason: r.reason ?? null,
    summary: r.summary ?? null,
  };
}

/**
 * A job's runs, newest first. The (job, startedAt) index serves MongoDB; on FerretDB it scans
 * job_runs, which the retention job keeps to 90 days — an admin page, not a hot path.
 */
export async function listRuns(
  job: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: JobRunView[]; nextCursor: string | null }> {
  const { items, nextCursor } = await keysetPage<JobRunDoc>(JobRun, {
    filter: { job },
    by: 'startedAt',
    limit: page.limit,
    cursor: page.cursor,
  });
  return { items: items.map(presentRun), nextCursor };
}

/** Every switch set in the console (one small document per switched job). */
async function switches(): Promise<Map<string, JobSwitchDoc>> {
  const docs = await JobSwitch.find().lean<JobSwitchDoc[]>();
  return new Map(docs.map((d) => [d._id, d]));
}

export async function listJobs(r: JobRunner = jobRunner(), lastRuns = 5): Promise<JobView[]> {
  const switched = await switches();
  return Promise.all(r.jobs().map(async (j) => viewOf(r, j.def.name, switched.get(j.def.name), lastRuns)));
}

async function viewOf(r: JobRunner, name: string, sw: JobSwitchDoc | undefined, lastRuns = 5): Promise<JobView> {
  const j = r.get(name)!;
  const enabled = sw?.enabled !== false;
  const next = enabled && j.enabled ? r.nextRun(name) : null;
  return {
    name,
    title: j.def.title,
    description: j.def.description,
    schedule: j.schedule,
    scheduleText: scheduleInWords(j.schedule),
    defaultSchedule: j.def.schedule,
    timezone: r.timezone,
    enabled,
    switchedBy: sw?.updatedBy ?? null,
    switchedAt: sw ? isoLocal(sw.updatedAt) : null,
    scheduledHere: j.enabled,
    nextRunAt: next ? isoLocal(next) : null,
    lastRuns: (await listRuns(name, { limit: lastRuns })).items,
  };
}

/**
 * Switches a job on or off for every instance: one upsert by _id (the last switch wins, which is
 * what two admins clicking expect). Returns the switch as it was, for the audit log, and the job.
 */
export async function setJobSwitch(
  name: string,
  enabled: boolean,
  by: string,
  r: JobRunner = jobRunner(),
): Promise<{ before: { enabled: boolean }; job: JobView }> {
  requireJob(name, r);
  const before = await JobSwitch.findById(name).lean<JobSwitchDoc>();
  const doc = { enabled, updatedAt: now(), updatedBy: by };
  await JobSwitch.updateOne({ _id: name }, { $set: doc }, { upsert: true });
  return { before: { enabled: before?.enabled !== false }, job: await viewOf(r, name, { _id: name, ...doc }) };
}

export function requireJob(name: string, r: JobRunner = jobRunner()): void {
  if (!r.get(name)) throw notFound(`任务 ${name} `);
}

export async function getRun(id: string): Promise<JobRunView> {
  const doc = await JobRun.findById(id).lean<JobRunDoc>();
  if (!doc) throw notFound('运行记录');
  return presentRun(doc);
}
