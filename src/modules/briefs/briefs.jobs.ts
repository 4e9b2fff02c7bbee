import type { JobDefinition } from '../types';
import { generateWeeklyBrief } from './briefs.service';

export const briefJobs: JobDefinition[] = [
  {
    name: 'briefs.weekly',
    title: '工作周报',
    schedule: '0 9 * * 1',
    description: '工作周报：上周关键指标（含置信区间和环比）、单位排名、图表和 Excel，发送到创建办工作群',
    run: generateWeeklyBrief,
    summarize: (c) =>
      `已生成上周工作周报（${c.districts ?? 0} 个区、${c.units ?? 0} 个责任单位），${c.queuedToRoom ? '已排队发送到创建办工作群' : '未配置工作群，可在工作台“工作简报”查看'}。`,
  },
];
