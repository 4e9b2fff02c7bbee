import type { JobDefinition } from '../types';
import { escalateOverdueTipoffs } from './notices.escalation';

export const noticeJobs: JobDefinition[] = [
  {
    name: 'tipoffs.escalate',
    title: '随手拍逾期督办',
    schedule: '*/15 * * * *',
    description: '随手拍逾期督办：逾期通知责任单位，逾期超过阈值报送创建办',
    run: escalateOverdueTipoffs,
    summarize: (c) =>
      c.overdue
        ? `${c.overdue} 件随手拍已逾期：新通知责任单位 ${c.unitNotified ?? 0} 次，新报送创建办 ${c.officeNotified ?? 0} 次。`
        : '没有逾期的随手拍。',
  },
];
