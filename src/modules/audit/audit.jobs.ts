import type { JobDefinition } from '../types';
import { applyAuditRetention } from './audit.service';

export const auditJobs: JobDefinition[] = [
  {
    name: 'audit.retention',
    title: '操作日志清理',
    schedule: '20 4 * * *',
    description: '操作日志保存期限：删除超过 AUDIT_RETENTION_DAYS 天的操作记录',
    run: applyAuditRetention,
    summarize: (c) =>
      c.auditEntriesDeleted ? `删除了 ${c.auditEntriesDeleted} 条超过保存期限的操作日志。` : '没有超过保存期限的操作日志。',
  },
];
