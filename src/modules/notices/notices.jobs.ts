import type { JobDefinition } from '../types';
import { escalateOverdueTipoffs } from './notices.escalation';

export const noticeJobs: JobDefinition[] = [
  {
    name: 'tipoffs.escalate',
    schedule: '*/15 * * * *',
    description: '随手拍逾期督办：逾期通知责任单位，逾期超过阈值报送创建办',
    run: escalateOverdueTipoffs,
  },
];
