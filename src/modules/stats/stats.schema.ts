import { z } from 'zod';
import { regionQuery } from '../../core/validate';
import { instruments, periodKinds, responseModes } from '../counters';

export const statsModes = [...responseModes, 'all'] as const;

const code = z
  .string()
  .max(120)
  .regex(/^[\w.-]+$/, '不是有效的编号');

/** Every statistics request: region (any level), and either a calendar period or a from/to range. */
export const statsQuery = regionQuery.extend({
  period: z.enum(periodKinds).optional().describe('day | week (ISO) | month | quarter | year | campaign（创建以来）；与 from/to 二选一'),
  date: z.iso.date().optional().describe('period 所在的日期，默认今天'),
});
export type StatsQuery = z.infer<typeof statsQuery>;

const source = z.enum(instruments).optional().describe('survey（问卷，默认）| quiz（答题知晓）：两者不混合');
const mode = z
  .enum(statsModes)
  .optional()
  .describe(
    '问卷答卷的收集方式：self（居民在线自填，默认）| household（入户抽样调查）| all（两者合并为一个样本，仅供参考）；source=quiz 时不适用',
  );
export const indicatorQuery = statsQuery.extend({ indicator: code.optional().describe('只看一个指标'), source, mode });
export const gapsQuery = statsQuery.extend({ quiz: code.optional().describe('只看一套题') });
export const sampleQuery = statsQuery.extend({ survey: code.optional().describe('问卷编号；默认第一份设有样本目标的问卷') });

export const statsTables = [
  'awareness.overall',
  'awareness.byRegion',
  'awareness.byIndicator',
  'awareness.byDay',
  'support.overall',
  'support.byRegion',
  'support.byIndicator',
  'support.byDay',
  'satisfaction.overall',
  'satisfaction.byRegion',
  'satisfaction.byIndicator',
  'satisfaction.byDay',
  'participation.overall',
  'participation.byKind',
  'participation.byRegion',
  'participation.byDay',
  'volunteers.byRegion',
  'tipoffs.byStatus',
  'tipoffs.byCategory',
  'tipoffs.byRegion',
  'tipoffs.byUnit',
  'knowledgeGaps.questions',
  'knowledgeGaps.byRegion',
  'sampleMonitor.items',
] as const;
export type StatsTable = (typeof statsTables)[number];
export const csvQuery = statsQuery.extend({
  table: z.enum(statsTables).describe('表名'),
  indicator: code.optional(),
  quiz: code.optional(),
  survey: code.optional(),
  source,
  mode,
});
export const reportQuery = statsQuery.extend({ survey: code.optional(), quiz: code.optional() });

// —— responses (documented in OpenAPI; the services build them) ——

export const rateSchema = z.object({
  rate: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  n: z.number().describe('人数（受访人数 / 答题人次）；率的单位是人，不是单题回答'),
  answers: z.number().describe('这些人给出的指标题回答数'),
  designEffect: z.number().nullable().describe('设计效应 = n / 有效样本量'),
  lowSample: z.boolean().describe('n < 30：样本不足'),
});
const scored = { meanScore: z.number().nullable().optional() };
const rateRow = rateSchema.extend(scored);
const weightedSchema = rateSchema.extend({
  collapsed: z
    .array(z.object({ code: z.string(), name: z.string(), level: z.string(), communities: z.array(z.string()), n: z.number() }))
    .describe('受访不足 2 人的社区并入的街道 / 区 / 本区域（加权时作为一层）'),
});
export const filtersSchema = z.object({
  region: z.object({ code: z.string().nullable(), name: z.string(), level: z.string().nullable() }),
  period: z.object({ kind: z.string(), from: z.string(), to: z.string(), label: z.string(), bucket: z.string().nullable() }),
});

export const indicatorStatsSchema = z.object({
  filters: filtersSchema,
  source: z.enum(instruments),
  mode: z.enum(statsModes).describe('答卷的收集方式（self 在线自填 / household 入户 / all 合并）'),
  overall: z.object({ unweighted: rateRow, weighted: weightedSchema, meanScore: z.number().nullable().optional() }),
  byRegion: z.array(
    rateRow.extend({ code: z.string(), name: z.string(), level: z.string(), population: z.number(), weighted: weightedSchema }),
  ),
  byIndicator: z.array(rateRow.extend({ code: z.string(), title: z.string(), weighted: weightedSchema })),
  byDay: z.array(rateRow.extend({ day: z.string() })).describe('有回答的日期'),
});

const kindFigures = z.object({ participants: z.number(), acts: z.number(), rate: rateSchema });
export const participationStatsSchema = z.object({
  filters: filtersSchema,
  participants: z.number(),
  population: z.number(),
  rate: rateSchema,
  knownResidents: z.number(),
  rateOfKnown: rateSchema,
  unassignedParticipants: z.number(),
  method: z.enum(['bucket', 'gaps']),
  byKind: z.record(z.string(), kindFigures),
  byRegion: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      level: z.string(),
      population: z.number(),
      participants: z.number(),
      rate: rateSchema,
      knownResidents: z.number(),
      rateOfKnown: rateSchema,
    }),
  ),
  byDay: z.array(z.looseObject({ day: z.string(), participants: z.number(), acts: z.number() })),
});

const volunteerRow = z.object({
  volunteers: z.number().describe('截至期末的注册志愿者（期末存量）'),
  population: z.number(),
  rate: rateSchema.describe('期末注册志愿者 ÷ 常住人口'),
  meetsTarget: z.boolean(),
  registrations: z.number().describe('期内新注册的志愿者'),
  hours: z.number().describe('期内服务时长（小时，按签退日期）'),
  services: z.number().describe('期内服务人次'),
});
const basis = z.enum(['endOfPeriod', 'period']);
export const volunteerStatsSchema = volunteerRow.extend({
  filters: filtersSchema,
  target: z.number(),
  asOf: z.string().describe('期末存量统计到的日期'),
  basis: z
    .object({ volunteers: basis, rate: basis, registrations: basis, hours: basis, services: basis })
    .describe('endOfPeriod：期末存量；period：期内发生'),
  byRegion: z.array(volunteerRow.extend({ code: z.string(), name: z.string(), level: z.string() })),
});

const tipoffFigures = z.object({
  total: z.number(),
  accepted: z.number(),
  rectified: z.number(),
  overdue: z.number(),
  rectificationRate: rateSchema,
  onTimeRate: rateSchema,
  medianHoursToRectify: z.number().nullable(),
});
export const tipoffStatsSchema = tipoffFigures.extend({
  filters: filtersSchema,
  byStatus: z.array(z.object({ status: z.string(), name: z.string(), count: z.number() })),
  byCategory: z.array(tipoffFigures.extend({ code: z.string(), name: z.string(), deadlineHours: z.number().nullable() })),
  byRegion: z.array(tipoffFigures.extend({ code: z.string(), name: z.string(), level: z.string() })),
  /** ranked units first (by rankingRate.ci[0]), then the 样本不足 ones (fewer than 10 accepted), rank null */
  byUnit: z.array(
    tipoffFigures.extend({
      code: z.string(),
      name: z.string(),
      rankingRate: rateSchema.describe('按时整改数 ÷ 受理数（Wilson 95% 区间），排名按其区间下限'),
      lowSample: z.boolean().describe('期内受理不足 10 件：样本不足，不参与排名'),
      rank: z.number().nullable(),
    }),
  ),
});

const gapQuestion = rateSchema.extend({
  quizId: z.string(),
  quizTitle: z.string(),
  id: z.string(),
  text: z.string(),
  topic: z.string().nullable(),
  indicator: z.string().nullable(),
  correct: z.number(),
});
export const knowledgeGapsSchema = z.object({
  filters: filtersSchema,
  days: z.object({ from: z.string(), to: z.string() }).describe('统计的日期范围（与 filters.period 相同）'),
  overall: rateSchema.extend({ correct: z.number() }),
  questions: z.array(gapQuestion),
  byRegion: z.array(
    rateSchema.extend({ code: z.string(), name: z.string(), level: z.string(), correct: z.number(), weakest: z.array(gapQuestion) }),
  ),
});

export const sampleMonitorSchema = z.object({
  filters: filtersSchema,
  survey: z.object({ id: z.string(), title: z.string() }).nullable(),
  target: z.number(),
  achieved: z.number(),
  achievedOfTarget: z.number(),
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      population: z.number(),
      target: z.number(),
      achieved: z.number(),
      progress: z.number().nullable(),
      met: z.boolean(),
      lowSample: z.boolean(),
      marginOfError: z.number().nullable().describe('p = 0.5 时的 95% 误差范围（含有限总体校正）'),
      awareness: rateSchema,
    }),
  ),
});

export type RateView = z.infer<typeof rateSchema>;
export type IndicatorStatsView = z.infer<typeof indicatorStatsSchema>;
export type ParticipationStatsView = z.infer<typeof participationStatsSchema>;
export type VolunteerStatsView = z.infer<typeof volunteerStatsSchema>;
export type TipoffStatsView = z.infer<typeof tipoffStatsSchema>;
export type KnowledgeGapsView = z.infer<typeof knowledgeGapsSchema>;
export type SampleMonitorView = z.infer<typeof sampleMonitorSchema>;
