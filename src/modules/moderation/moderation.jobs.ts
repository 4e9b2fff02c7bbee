import type { JobDefinition } from '../types';
import { holdOverdueChecks } from './moderation.service';

export const moderationJobs: JobDefinition[] = [
  {
    name: 'moderation.overdue-checks',
    title: '图片审核超时转人工',
    schedule: '*/10 * * * *',
    description: '微信 30 分钟内未返回图片审核结果的内容转人工审核（内容继续隐藏）',
    run: (at) => holdOverdueChecks(at),
    summarize: (c) =>
      c.held ? `${c.held} 项图片审核超过 30 分钟未返回结果，已转入“内容审核”由工作人员处理。` : '没有超时未返回的图片审核。',
  },
];
