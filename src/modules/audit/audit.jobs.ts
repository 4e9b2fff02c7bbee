import type { JobDefinition } from '../types';
import { applyAuditRetention } from './audit.service';

export const auditJobs: JobDefinition[] = [
  {
    name: 'audit.retention',
    schedule: '20 4 * * *',
    description: '操作日志保存期限：删除超过 AUDIT_RETENTION_DAYS 天的操作记录',
    run: applyAuditRetention,
  },
];
