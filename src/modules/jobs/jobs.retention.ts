import { trusted } from 'mongoose';
import { daysBefore } from '../../core/time';
import type { RetentionRule } from '../types';
import { JobRun } from './jobs.model';

/** Run records help operate the service (the 定时任务 page): 90 days. */
export const jobsRetention: RetentionRule[] = [
  {
    name: 'jobs.runs',
    apply: async (at) => ({ jobRunsDeleted: (await JobRun.deleteMany({ startedAt: trusted({ $lt: daysBefore(at, 90) }) })).deletedCount }),
    labels: { jobRunsDeleted: '条定时任务运行记录' },
  },
];
