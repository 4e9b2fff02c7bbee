import type { JobDefinition } from '../types';
import { reconcileCounters } from './maintenance.reconcile';
import { applyRetention, retentionSummary } from './maintenance.retention';

export const maintenanceJobs: JobDefinition[] = [
  {
    name: 'stats.reconcile',
    title: '统计夜间对账',
    schedule: '30 2 * * *',
    description: '夜间对账：由原始记录重算统计计数，记录并修正偏差',
    run: reconcileCounters,
    summarize: (c) =>
      `由 ${c.participations ?? 0} 条参与记录和 ${c.responses ?? 0} 份答卷重算了 ${c.counters ?? 0} 个统计计数，` +
      (c.drifted ? `修正了 ${c.drifted} 处偏差（其中昨天的 ${c.driftedYesterday ?? 0} 处）。` : '没有发现偏差。'),
  },
  {
    name: 'privacy.retention',
    title: '数据到期清理',
    schedule: '50 3 * * *',
    description: '数据保存期限：删除到期的随手拍照片，匿名化到期的个人信息，清理过期记录',
    run: applyRetention,
    summarize: retentionSummary,
  },
];
