import type { JobDefinition } from '../types';
import { holdOverdueChecks } from './moderation.service';

export const moderationJobs: JobDefinition[] = [
  {
    name: 'moderation.overdue-checks',
    schedule: '*/10 * * * *',
    description: '微信 30 分钟内未返回图片审核结果的内容转人工审核（内容继续隐藏）',
    run: (at) => holdOverdueChecks(at),
  },
];
