import type { JobDefinition } from '../types';
import { pushDailyQuestion } from './dailyquiz.service';

export const dailyQuizJobs: JobDefinition[] = [
  {
    name: 'quiz.daily-push',
    title: '每日一题推送',
    schedule: '30 8 * * *',
    description: '每日一题：推送给订阅的居民和微信群（每个联系人每天一次）',
    run: pushDailyQuestion,
    summarize: (c) => {
      if (c.noQuestion) return '题库中没有可用的题目，今天没有推送。请在“题库管理”启用题库。';
      if (!c.subscribers) return '还没有人订阅每日一题。';
      const parts = [`推送给 ${c.residents ?? 0} 位居民、${c.rooms ?? 0} 个微信群`];
      if (c.alreadyPushed) parts.push(`${c.alreadyPushed} 个今天已推送过`);
      if (c.failed) parts.push(`${c.failed} 个推送失败，下次运行时重试`);
      return `共 ${c.subscribers} 个订阅：${parts.join('；')}。`;
    },
  },
];
