import type { JobDefinition } from '../types';
import { generateWeeklyBrief } from './briefs.service';

export const briefJobs: JobDefinition[] = [
  {
    name: 'briefs.weekly',
    schedule: '0 9 * * 1',
    description: '工作周报：上周关键指标（含置信区间和环比）、单位排名、图表和 Excel，发送到创建办工作群',
    run: generateWeeklyBrief,
  },
];
