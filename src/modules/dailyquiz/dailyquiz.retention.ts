import { trusted } from 'mongoose';
import { daysBefore } from '../../core/time';
import type { RetentionRule } from '../types';
import { DailyQuizPush } from './dailyquiz.model';

/** Push records are operational (one push a day per subscriber), not personal data: 30 days. */
export const dailyQuizRetention: RetentionRule[] = [
  {
    name: 'dailyquiz.pushes',
    apply: async (at) => ({
      dailyPushesDeleted: (await DailyQuizPush.deleteMany({ at: trusted({ $lt: daysBefore(at, 30) }) })).deletedCount,
    }),
    labels: { dailyPushesDeleted: '条每日一题推送记录' },
  },
];
