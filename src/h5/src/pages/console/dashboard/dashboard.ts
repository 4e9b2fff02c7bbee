import { api } from '../../../api';
import type { ChartOption } from '../../../charts';
import { formatPercent as pct } from '../../../format';
import type {
  IndicatorStatsView,
  ParticipationStatsView,
  RateView,
  SampleMonitorView,
  TipoffStatsView,
  VolunteerStatsView,
} from '../../../../../modules/stats/stats.schema';

/** 数据看板: the office's figures for a region and period, fetched in parallel. */
export type PeriodKind = 'campaign' | 'day' | 'week' | 'month' | 'quarter' | 'year';
export const periodOptions: Array<{ text: string; value: PeriodKind }> = [
  { text: '创建以来', value: 'campaign' },
  { text: '今日', value: 'day' },
  { text: '本周', value: 'week' },
  { text: '本月', value: 'month' },
  { text: '本季度', value: 'quarter' },
  { text: '本年', value: 'year' },
];

export interface Filters {
  /** '' = the whole city */
  region: string;
  period: PeriodKind;
}

export interface Dashboard {
  /** 知晓率 from survey responses (n = respondents) */
  awareness: IndicatorStatsView;
  /** 答题知晓 from quiz attempts (n = attempts), shown beside it, never pooled */
  quizAwareness: IndicatorStatsView;
  support: IndicatorStatsView;
  satisfaction: IndicatorStatsView;
  participation: ParticipationStatsView;
  volunteers: VolunteerStatsView;
  tipoffs: TipoffStatsView;
  sample: SampleMonitorView;
}

export function queryOf(f: Filters): string {
  const q = new URLSearchParams({ period: f.period });
  if (f.region) q.set('region', f.region);
  return q.toString();
}

export async function loadDashboard(f: Filters): Promise<Dashboard> {
  const q = queryOf(f);
  const get = <T>(topic: string) => api.get<T>(`/api/v1/stats/${topic}?${q}`);
  const [awareness, quizAwareness, support, satisfaction, participation, volunteers, tipoffs, sample] = await Promise.all([
    get<IndicatorStatsView>('awareness'),
    api.get<IndicatorStatsView>(`/api/v1/stats/awareness?${q}&source=quiz`),
    get<IndicatorStatsView>('support'),
    get<IndicatorStatsView>('satisfaction'),
    get<ParticipationStatsView>('participation'),
    get<VolunteerStatsView>('volunteers'),
    get<TipoffStatsView>('tipoffs'),
    get<SampleMonitorView>('sample-monitor'),
  ]);
  return { awareness, quizAwareness, support, satisfaction, participation, volunteers, tipoffs, sample };
}

/** The workbook downloads with the session cookie: a plain link is enough. */
export const reportUrl = (f: Filters) => `/api/v1/stats/report.xlsx?${queryOf(f)}`;

/** 65.2%, 0.04% (participation of a city is often below 1 %), 0% for none: the shared formatter. */
export { pct };

/** The interval and the people behind a rate: `unit` says who n counts (受访 / 答题人次 / 件). */
export function ciText(r: RateView, unit = '人'): string {
  if (!r.ci) return '暂无数据';
  return `95%区间 ${pct(r.ci[0])}–${pct(r.ci[1])} · n=${r.n} ${unit}`;
}

/** A headline card: the rate, its interval, and whether the sample is too small to trust. */
export interface Kpi {
  key: string;
  title: string;
  value: string;
  sub: string;
  extra?: string;
  low: boolean;
}

export function kpis(d: Dashboard): Kpi[] {
  const a = d.awareness.overall;
  const qa = d.quizAwareness.overall;
  const p = d.participation;
  const t = d.tipoffs;
  const sup = d.support.overall;
  const sat = d.satisfaction.overall;
  return [
    { key: 'awareness', title: '知晓率（问卷，n = 受访人数）', value: pct(a.unweighted.rate), sub: ciText(a.unweighted, '人'), extra: `人口加权 ${pct(a.weighted.rate)}`, low: a.unweighted.lowSample },
    { key: 'quizAwareness', title: '答题知晓（答题人次）', value: pct(qa.unweighted.rate), sub: ciText(qa.unweighted, '人次'), extra: '答题者的知识掌握，不计入知晓率', low: qa.unweighted.lowSample },
    { key: 'participation', title: '参与率', value: pct(p.rate.rate), sub: `${p.participants} 人 / 常住人口 ${p.population}`, extra: `占系统内居民 ${pct(p.rateOfKnown.rate)}`, low: false },
    { key: 'support', title: '支持率（问卷，n = 受访人数）', value: pct(sup.unweighted.rate), sub: ciText(sup.unweighted, '人'), extra: `人口加权 ${pct(sup.weighted.rate)}`, low: sup.unweighted.lowSample },
    {
      key: 'satisfaction',
      title: '满意度（问卷，n = 受访人数）',
      value: pct(sat.unweighted.rate),
      sub: ciText(sat.unweighted, '人'),
      extra: sat.meanScore != null ? `平均 ${sat.meanScore.toFixed(1)} 分 · 人口加权 ${pct(sat.weighted.rate)}` : undefined,
      low: sat.unweighted.lowSample,
    },
    { key: 'volunteers', title: '志愿者占比', value: pct(d.volunteers.rate.rate), sub: `截至期末 ${d.volunteers.volunteers} 人 · 目标 ${pct(d.volunteers.target)}`, extra: `期内新注册 ${d.volunteers.registrations} 人 · 服务 ${d.volunteers.hours.toFixed(1)} 小时 · ${d.volunteers.services} 人次`, low: false },
    {
      key: 'rectification',
      title: '整改率',
      value: pct(t.rectificationRate.rate),
      sub: `${t.rectified} / ${t.accepted} 件 · 按时 ${pct(t.onTimeRate.rate)}`,
      extra: t.medianHoursToRectify != null ? `用时中位数 ${t.medianHoursToRectify.toFixed(1)} 小时` : undefined,
      low: t.rectificationRate.lowSample,
    },
  ];
}

const RED = '#c8161d';
const BLUE = '#1989fa';

/**
 * Trend by day: the 知晓率 of the survey responses given that day, and the residents who took part.
 * A day without responses is a gap in the line, never drawn through; a rate is never above 100 %.
 */
export function trendOption(d: Dashboard): ChartOption {
  const days = d.participation.byDay.map((x) => x.day.slice(5));
  const awareByDay = new Map(d.awareness.byDay.map((x) => [x.day, x.rate === null ? null : Math.min(1, Math.max(0, x.rate))]));
  return {
    grid: { left: 40, right: 40, top: 30, bottom: 24 },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: days, axisLabel: { fontSize: 10 } },
    yAxis: [
      { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%`, fontSize: 10 } },
      { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } },
    ],
    series: [
      {
        name: '知晓率（问卷）',
        type: 'line',
        showSymbol: true,
        symbolSize: 4,
        connectNulls: false,
        color: RED,
        data: d.participation.byDay.map((x) => awareByDay.get(x.day) ?? null),
      },
      { name: '参与人数', type: 'bar', yAxisIndex: 1, color: BLUE, barMaxWidth: 8, data: d.participation.byDay.map((x) => x.participants) },
    ],
  } as ChartOption;
}

const GREY = '#c8c9cc';

/** Bars by region: 知晓率 (survey respondents, with n) below the filter; a grey bar marks 样本不足. */
export function regionOption(d: Dashboard): ChartOption {
  const rows = d.awareness.byRegion;
  const label = (i: number) => {
    const r = rows[i]!;
    return r.rate === null ? '无受访' : `${pct(r.rate)} · n=${r.n}${r.lowSample ? ' 样本不足' : ''}`;
  };
  return {
    grid: { left: 72, right: 110, top: 8, bottom: 8 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => pct(v as number) },
    xAxis: { type: 'value', min: 0, max: 1, show: false },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisLabel: { fontSize: 11 } },
    series: [
      {
        name: '知晓率',
        type: 'bar',
        color: RED,
        barMaxWidth: 14,
        data: rows.map((r) => ({ value: r.rate, itemStyle: { color: r.lowSample ? GREY : RED } })),
        label: { show: true, position: 'right', fontSize: 10, formatter: (p: { dataIndex: number }) => label(p.dataIndex) },
      },
    ],
  } as ChartOption;
}

/**
 * What the trend chart shows, in words: its aria-label, since a screen reader sees only a canvas.
 * The period, the days, the residents who took part in all, and the busiest day.
 */
export function trendSummary(d: Dashboard): string {
  const days = d.participation.byDay;
  if (!days.length) return '趋势图：该时段没有数据';
  const total = days.reduce((s, x) => s + x.participants, 0);
  const top = days.reduce((a, b) => (b.participants > a.participants ? b : a));
  return `趋势图（按日）：${days[0]!.day} 至 ${days.at(-1)!.day} 共 ${days.length} 天，参与共 ${total} 人次，最多的一天 ${top.day} 为 ${top.participants} 人；折线为当日问卷知晓率`;
}

/** What the region chart shows, in words: each region's 知晓率 with n, as its bars' labels say. */
export function regionSummary(d: Dashboard): string {
  const rows = d.awareness.byRegion;
  if (!rows.length) return '分区域知晓率：没有区域数据';
  const parts = rows.map((r) => `${r.name} ${r.rate === null ? '无受访' : `${pct(r.rate)}（n=${r.n}${r.lowSample ? '，样本不足' : ''}）`}`);
  return `分区域知晓率（问卷）：${parts.join('；')}`;
}
