import type { IndicatorStats, ScoredRate } from './indicator-rates';
import type { KnowledgeGaps } from './knowledge-gaps';
import type { ParticipationStats } from './participation';
import type { Rate } from './rates';
import type { SampleMonitor } from './sample-monitor';
import { kindName } from '../manifest';
import type { StatsTable } from './stats.schema';
import type { TipoffFigures, TipoffStats } from './tipoff-figures';
import type { VolunteerRow, VolunteerStats } from './volunteer-figures';

/**
 * The figures as tables with Chinese headers: one model for the Excel report (a sheet per topic)
 * and the CSV export (one table). Values stay exact numbers; the writers format them.
 */
/** `ratio`: a dimensionless figure such as a design effect (4 decimals, shown 0.00). */
export type ColumnKind = 'text' | 'int' | 'number' | 'ratio' | 'percent' | 'bool';
export interface Column {
  header: string;
  kind: ColumnKind;
}
export type Cell = string | number | boolean | null;
export interface Table {
  name: StatsTable;
  title: string;
  columns: Column[];
  rows: Cell[][];
}

const col = (header: string, kind: ColumnKind = 'text'): Column => ({ header, kind });
export const rateColumns = (label: string): Column[] => [
  col(label, 'percent'),
  col(`${label}95%区间下限`, 'percent'),
  col(`${label}95%区间上限`, 'percent'),
  col(`${label}样本量`, 'int'),
  col(`${label}样本不足(n<30)`, 'bool'),
];
export const rateCells = (r: Rate): Cell[] => [r.rate, r.ci?.[0] ?? null, r.ci?.[1] ?? null, r.n, r.lowSample];

const levelNames: Record<string, string> = { city: '市', district: '区', street: '街道', community: '社区' };

export type IndicatorTopic = 'awareness' | 'support' | 'satisfaction';
export const indicatorLabels: Record<IndicatorTopic, string> = { awareness: '知晓率', support: '支持率', satisfaction: '满意度' };
/** What each figure measures, in its heading: survey respondents, or quiz attempts (答题知晓). */
export const sourceLabels = { survey: '问卷，n = 受访人数', quiz: '答题，n = 答题人次' } as const;
/** Survey figures of another mode than the online one say so in their heading. */
export const modeLabels = { self: '在线自填', household: '入户抽样调查', all: '在线与入户合并' } as const;

/** A rate over people's responses: n is people, beside the answers behind them and the design effect. */
const responseRateColumns = (label: string): Column[] => [
  col(label, 'percent'),
  col(`${label}95%区间下限`, 'percent'),
  col(`${label}95%区间上限`, 'percent'),
  col(`${label}样本量(人)`, 'int'),
  col(`${label}回答数`, 'int'),
  col(`${label}设计效应`, 'ratio'),
  col(`${label}样本不足(n<30)`, 'bool'),
];
const responseRateCells = (r: Rate): Cell[] => [r.rate, r.ci?.[0] ?? null, r.ci?.[1] ?? null, r.n, r.answers, r.designEffect, r.lowSample];

export function indicatorTables(topic: IndicatorTopic, s: IndicatorStats): Table[] {
  const label = topic === 'awareness' && s.source === 'quiz' ? '答题知晓率' : indicatorLabels[topic];
  const measure = s.source === 'survey' && s.mode !== 'self' ? `${modeLabels[s.mode]}，n = 受访人数` : sourceLabels[s.source];
  const scored = topic === 'satisfaction';
  const score = (r: ScoredRate): Cell[] => (scored ? [r.meanScore ?? null] : []);
  const scoreCols = scored ? [col('平均得分(0–100)', 'number')] : [];
  const both = [...responseRateColumns(label), ...responseRateColumns(`加权${label}`)];
  const merged = s.overall.weighted.collapsed.map((c) => `${c.name}（${c.communities.length} 个社区）`).join('；');
  return [
    {
      name: `${topic}.overall`,
      title: `${label}（${measure}，总体）`,
      columns: [col('口径'), ...responseRateColumns(label), ...scoreCols, col('合并层')],
      rows: [
        ['未加权（比率估计，按人聚类）', ...responseRateCells(s.overall.unweighted), ...score(s.overall.unweighted), null],
        ['按社区人口加权（事后分层）', ...responseRateCells(s.overall.weighted), ...(scored ? [null] : []), merged || null],
      ],
    },
    {
      name: `${topic}.byRegion`,
      title: `${label}（${measure}，分区域）`,
      columns: [col('区域编码'), col('区域'), col('层级'), col('常住人口', 'int'), ...both, ...scoreCols],
      rows: s.byRegion.map((r) => [
        r.code,
        r.name,
        levelNames[r.level] ?? r.level,
        r.population,
        ...responseRateCells(r),
        ...responseRateCells(r.weighted),
        ...score(r),
      ]),
    },
    {
      name: `${topic}.byIndicator`,
      title: `${label}（${measure}，分指标）`,
      columns: [col('指标编码'), col('指标'), ...both, ...scoreCols],
      rows: s.byIndicator.map((r) => [r.code, r.title, ...responseRateCells(r), ...responseRateCells(r.weighted), ...score(r)]),
    },
    {
      name: `${topic}.byDay`,
      title: `${label}（${measure}，按提交日）`,
      columns: [col('日期'), ...responseRateColumns(label), ...scoreCols],
      rows: s.byDay.map((r) => [r.day, ...responseRateCells(r), ...score(r)]),
    },
  ] as Table[];
}

export function participationTables(s: ParticipationStats): Table[] {
  const kinds = Object.keys(s.byKind);
  return [
    {
      name: 'participation.overall',
      title: '参与率（总体）',
      columns: [
        col('参与人数', 'int'),
        col('常住人口', 'int'),
        ...rateColumns('参与率'),
        col('系统内居民数', 'int'),
        ...rateColumns('占系统内居民比例'),
        col('未选社区的参与人数', 'int'),
        col('计算方式'),
      ],
      rows: [
        [
          s.participants,
          s.population,
          ...rateCells(s.rate),
          s.knownResidents,
          ...rateCells(s.rateOfKnown),
          s.unassignedParticipants,
          s.method === 'bucket' ? '自然周期计数' : '逐日间隔计数',
        ],
      ],
    },
    {
      name: 'participation.byKind',
      title: '参与率（分参与方式）',
      columns: [col('参与方式'), col('参与人数', 'int'), col('参与次数', 'int'), ...rateColumns('参与率')],
      rows: kinds.map((k) => [
        kindName(k),
        s.byKind[k as keyof typeof s.byKind].participants,
        s.byKind[k as keyof typeof s.byKind].acts,
        ...rateCells(s.byKind[k as keyof typeof s.byKind].rate),
      ]),
    },
    {
      name: 'participation.byRegion',
      title: '参与率（分区域）',
      columns: [
        col('区域编码'),
        col('区域'),
        col('常住人口', 'int'),
        col('参与人数', 'int'),
        ...rateColumns('参与率'),
        col('系统内居民数', 'int'),
        ...rateColumns('占系统内居民比例'),
      ],
      rows: s.byRegion.map((r) => [
        r.code,
        r.name,
        r.population,
        r.participants,
        ...rateCells(r.rate),
        r.knownResidents,
        ...rateCells(r.rateOfKnown),
      ]),
    },
    {
      name: 'participation.byDay',
      title: '参与情况（按日）',
      columns: [col('日期'), col('参与人数', 'int'), col('参与次数', 'int'), ...kinds.map((k) => col(kindName(k), 'int'))],
      rows: s.byDay.map((d) => [d.day, d.participants, d.acts, ...kinds.map((k) => d[k as keyof typeof d] as number)]),
    },
  ];
}

export function volunteerTables(s: VolunteerStats): Table[] {
  const row = (code: string, name: string, r: VolunteerRow): Cell[] => [
    code,
    name,
    r.population,
    r.volunteers,
    ...rateCells(r.rate),
    r.meetsTarget,
    r.registrations,
    r.hours,
    r.services,
  ];
  return [
    {
      name: 'volunteers.byRegion',
      title: `志愿者注册率（目标 ≥ ${Math.round(s.target * 100)}%；注册人数与占比截至 ${s.asOf}，新注册、时长、人次为期内）`,
      columns: [
        col('区域编码'),
        col('区域'),
        col('常住人口', 'int'),
        col('期末注册志愿者', 'int'),
        ...rateColumns('志愿者占比'),
        col('达到目标', 'bool'),
        col('期内新注册', 'int'),
        col('期内服务时长(小时)', 'number'),
        col('期内服务人次', 'int'),
      ],
      rows: [row('', '合计', s), ...s.byRegion.map((r) => row(r.code, r.name, r))],
    },
  ];
}

const tipoffColumns = [
  col('总数', 'int'),
  col('已受理', 'int'),
  col('已整改', 'int'),
  col('逾期未整改', 'int'),
  ...rateColumns('整改率'),
  ...rateColumns('按时整改率'),
  col('整改用时中位数(小时)', 'number'),
];
const tipoffCells = (f: TipoffFigures): Cell[] => [
  f.total,
  f.accepted,
  f.rectified,
  f.overdue,
  ...rateCells(f.rectificationRate),
  ...rateCells(f.onTimeRate),
  f.medianHoursToRectify,
];

export function tipoffTables(s: TipoffStats): Table[] {
  return [
    {
      name: 'tipoffs.byStatus',
      title: '随手拍（分状态）',
      columns: [col('状态'), col('数量', 'int')],
      rows: [...s.byStatus.map((r) => [r.name, r.count]), ['合计', s.total]],
    },
    {
      name: 'tipoffs.byCategory',
      title: '随手拍（分类别）',
      columns: [col('类别编码'), col('类别'), col('整改时限(小时)', 'int'), ...tipoffColumns],
      rows: [...s.byCategory.map((r) => [r.code, r.name, r.deadlineHours, ...tipoffCells(r)]), ['', '合计', null, ...tipoffCells(s)]],
    },
    {
      name: 'tipoffs.byRegion',
      title: '随手拍（分区域）',
      columns: [col('区域编码'), col('区域'), ...tipoffColumns],
      rows: s.byRegion.map((r) => [r.code, r.name, ...tipoffCells(r)]),
    },
    {
      name: 'tipoffs.byUnit',
      title: '责任单位考核排名（按“按时整改数 ÷ 受理数”95%区间下限；受理不足 10 件为样本不足，不排名）',
      columns: [
        col('排名', 'int'),
        col('单位编码'),
        col('责任单位'),
        col('样本不足(受理<10)', 'bool'),
        col('按时整改率(占受理)', 'percent'),
        col('按时整改率(占受理)95%区间下限（排名依据）', 'percent'),
        col('按时整改率(占受理)95%区间上限', 'percent'),
        ...tipoffColumns,
      ],
      rows: s.byUnit.map((r) => [
        r.rank,
        r.code,
        r.name,
        r.lowSample,
        r.rankingRate.rate,
        r.rankingRate.ci?.[0] ?? null,
        r.rankingRate.ci?.[1] ?? null,
        ...tipoffCells(r),
      ]),
    },
  ];
}

export function gapTables(s: KnowledgeGaps): Table[] {
  return [
    {
      name: 'knowledgeGaps.questions',
      title: `知识薄弱点（逐题正确率，${s.days.from} 至 ${s.days.to}）`,
      columns: [col('答题'), col('题目编号'), col('题目'), col('知识点'), col('指标'), col('答对次数', 'int'), ...rateColumns('正确率')],
      rows: s.questions.map((q) => [q.quizTitle, q.id, q.text, q.topic, q.indicator, q.correct, ...rateCells(q)]),
    },
    {
      name: 'knowledgeGaps.byRegion',
      title: '知识薄弱点（分区域）',
      columns: [col('区域编码'), col('区域'), col('答对次数', 'int'), ...rateColumns('正确率'), col('最薄弱的题目')],
      rows: s.byRegion.map((r) => [r.code, r.name, r.correct, ...rateCells(r), r.weakest.map((q) => q.text).join('；')]),
    },
  ];
}

export function sampleTables(s: SampleMonitor): Table[] {
  return [
    {
      name: 'sampleMonitor.items',
      title: `样本监测${s.survey ? `（${s.survey.title}，按受访人数）` : ''}`,
      columns: [
        col('社区编码'),
        col('社区'),
        col('常住人口', 'int'),
        col('目标样本量(人)', 'int'),
        col('已完成(人)', 'int'),
        col('完成进度', 'percent'),
        col('达标', 'bool'),
        col('样本不足(n<30)', 'bool'),
        col('误差范围(±，p=0.5，含有限总体校正)', 'percent'),
        ...responseRateColumns('知晓率'),
      ],
      rows: s.items.map((i) => [
        i.code,
        i.name,
        i.population,
        i.target,
        i.achieved,
        i.progress,
        i.met,
        i.lowSample,
        i.marginOfError,
        ...responseRateCells(i.awareness),
      ]),
    },
  ];
}
