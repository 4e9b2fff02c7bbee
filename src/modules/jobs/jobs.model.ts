import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const runStatuses = ['running', 'ok', 'failed', 'skipped'] as const;
export type RunStatus = (typeof runStatuses)[number];
export const runTriggers = ['schedule', 'manual'] as const;

/**
 * One occurrence of a job. Its _id is the lease: `<job>:<occurrence>` (the scheduled instant, e.g.
 * `tipoffs.escalate:2026-03-02T10:15:00+08:00`, or `manual:<time>:<nonce>` for a run-now). Inserting
 * it decides which instance runs the occurrence; a second instance gets a duplicate key and stands by.
 * Only the instance that inserted it updates it afterwards, so its updates never race.
 */
const runSchema = new Schema(
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
    counts: { type: Schema.Types.Mixed, default: {} },
    error: { type: String, default: null },
    reason: { type: String, default: null },
    /** the job's own sentence about what the run did (JobDefinition.summarize) */
    summary: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
);
runSchema.index({ job: 1, startedAt: -1 });
export type JobRunDoc = InferSchemaType<typeof runSchema> & { _id: string; counts: Record<string, number> };
export const JobRun = mongoose.model('JobRun', runSchema, 'job_runs');

/**
 * "This job is running now", _id = job name: inserted when a run starts, deleted when it ends. A
 * second run (of another occurrence, on any instance) finds the duplicate and is recorded as skipped.
 * expiresAt frees the job again if the instance died mid-run.
 */
const activeSchema = new Schema(
  {
    _id: String,
    runId: { type: String, required: true },
    instance: { type: String, required: true },
    startedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type JobActiveDoc = InferSchemaType<typeof activeSchema> & { _id: string };
export const JobActive = mongoose.model('JobActive', activeSchema, 'job_active');

/**
 * The console's on/off switch of a job, _id = job name; no document = on. Shared by every instance:
 * each runner reads it (a point read) before a scheduled occurrence, so switching a job off in the
 * console stops it everywhere from its next occurrence, and it stays off across restarts.
 */
const switchSchema = new Schema(
  {
    _id: String,
    enabled: { type: Boolean, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: null },
  },
  { versionKey: false },
);
export type JobSwitchDoc = InferSchemaType<typeof switchSchema> & { _id: string };
export const JobSwitch = mongoose.model('JobSwitch', switchSchema, 'job_switches');
