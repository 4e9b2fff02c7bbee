import type { JobDefinition } from '../types';
import { pushDailyQuestion } from './dailyquiz.service';

export const dailyQuizJobs: JobDefinition[] = [
  {
    name: 'quiz.daily-push',
    schedule: '30 8 * * *',
    description: '每日一题：推送给订阅的居民和微信群（每个联系人每天一次）',
    run: pushDailyQuestion,
  },
];
