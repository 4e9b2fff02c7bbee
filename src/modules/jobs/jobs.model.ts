import { defineModel, mixed, type DocOf } from '../../core/db/model';

export const runStatuses = ['running', 'ok', 'failed', 'skipped'] as const;
export type RunStatus = (typeof runStatuses)[number];
export const runTriggers = ['schedule', 'manual'] as const;

/**
 * One occurrence of a job. Its _id is the lease: `<job>:<occurrence>` (the scheduled instant, e.g.
 * `tipoffs.escalate:2026-03-02T10:15:00+08:00`, or `manual:<time>:<nonce>` for a run-now). Inserting
 * it decides which instance runs the occurrence; a second instance gets a duplicate key and stands by.
 * Only the instance that inserted it updates it afterwards, so its updates never race.
 */
export const JobRun = defineModel(
  'JobRun',
  'job_runs',
  {
    _id: String,
    job: { type: String, required: true },
    trigger: { type: String, enum: runTriggers, required: true },
    scheduledAt: { type: Date, required: true },
    instance: { type: String, required: true },
    by: { type: String, default: null },
    status: { type: String, enum: runStatuses, required: true },
    startedAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    counts: mixed<Record<string, number>>({ default: {} }),
    error: { type: String, default: null },
    reason: { type: String, default: null },
    /** the job's own sentence about what the run did (JobDefinition.summarize) */
    summary: { type: String, default: null },
  },
  { minimize: false, indexes: [[{ job: 1, startedAt: -1 }]] },
);
export type JobRunDoc = DocOf<typeof JobRun>;

/**
 * "This job is running now", _id = job name: inserted when a run starts, deleted when it ends. A
 * second run (of another occurrence, on any instance) finds the duplicate and is recorded as skipped.
 * expiresAt frees the job again if the instance died mid-run.
 */
export const JobActive = defineModel('JobActive', 'job_active', {
  _id: String,
  runId: { type: String, required: true },
  instance: { type: String, required: true },
  startedAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});
export type JobActiveDoc = DocOf<typeof JobActive>;

/**
 * The console's on/off switch of a job, _id = job name; no document = on. Shared by every instance:
 * each runner reads it (a point read) before a scheduled occurrence, so switching a job off in the
 * console stops it everywhere from its next occurrence, and it stays off across restarts.
 */
export const JobSwitch = defineModel('JobSwitch', 'job_switches', {
  _id: String,
  enabled: { type: Boolean, required: true },
  updatedAt: { type: Date, required: true },
  updatedBy: { type: String, default: null },
});
export type JobSwitchDoc = DocOf<typeof JobSwitch>;
