import type { JobDefinition } from '../types';
import { runErasures } from './privacy.sweep';

export const privacyJobs: JobDefinition[] = [
  {
    name: 'privacy.erasure',
    title: '注销账号数据清除',
    schedule: '*/15 * * * *',
    description: '完成居民注销：删除或匿名化其全部个人信息（承诺 24 小时内完成）',
    run: () => runErasures(),
    summarize: (c) =>
      c.erasures
        ? `完成了 ${c.erasures} 个账号的注销：删除 ${c.deleted ?? 0} 条记录，匿名化 ${c.anonymized ?? 0} 条记录，删除照片 ${c.photosDeleted ?? 0} 张。`
        : '没有待完成的注销。',
  },
];
