import { z } from 'zod';
import { runStatuses, runTriggers } from './jobs.model';

export const jobRunSchema = z.object({
  id: z.string(),
  job: z.string(),
  trigger: z.enum(runTriggers),
  /** the instant the run stands for: the scheduled time, or when a run-now was asked */
  scheduledAt: z.string(),
  instance: z.string(),
  by: z.string().nullable(),
  status: z.enum(runStatuses),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  counts: z.record(z.string(), z.number()),
  error: z.string().nullable(),
  /** why a run was skipped */
  reason: z.string().nullable(),
  /** what the run did, in a sentence (runs recorded before summaries existed have none) */
  summary: z.string().nullable(),
});
export type JobRunView = z.infer<typeof jobRunSchema>;

export const jobViewSchema = z.object({
  name: z.string(),
  /** the job's Chinese name */
  title: z.string(),
  description: z.string(),
  schedule: z.string(),
  /** the schedule in words: 每周一 09:00, 每天 02:30, 每 5 分钟 */
  scheduleText: z.string(),
  /** the module's default, shown when JOB_SCHEDULES overrides it */
  defaultSchedule: z.string(),
  timezone: z.string(),
  /** the console's switch, for every instance (stored in the database; on unless switched off) */
  enabled: z.boolean(),
  /** who switched it last and when (null: never switched) */
  switchedBy: z.string().nullable(),
  switchedAt: z.string().nullable(),
  /** this instance schedules it (JOBS_ENABLED and not in JOBS_DISABLED); run-now works either way */
  scheduledHere: z.boolean(),
  /** the next occurrence that will run: null while switched off or not scheduled here */
  nextRunAt: z.string().nullable(),
  lastRuns: z.array(jobRunSchema),
});
export type JobView = z.infer<typeof jobViewSchema>;

export const jobListSchema = z.object({ items: z.array(jobViewSchema) });
export const jobSwitchBody = z.object({ enabled: z.boolean({ error: 'enabled 须为 true（启用）或 false（停用）' }) });
export type JobSwitchInput = z.infer<typeof jobSwitchBody>;
export const jobNameParams = z.object({
  name: z
    .string()
    .min(1)
    .max(80)
    .regex(/^[\w.-]+$/, '不是有效的任务名'),
});
export const runNowQuery = z.object({
  /** false: answer 202 at once with the running record instead of waiting for the end */
  wait: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});
export const runListSchema = z.object({ items: z.array(jobRunSchema), nextCursor: z.string().nullable() });
