import { api } from '../../../api';
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
  /** the same three rates from the door-to-door sample (入户调查), shown as the headline when it has respondents */
  household: { awareness: IndicatorStatsView; support: IndicatorStatsView; satisfaction: IndicatorStatsView };
}

export function queryOf(f: Filters): string {
  const q = new URLSearchParams({ period: f.period });
  if (f.region) q.set('region', f.region);
  return q.toString();
}

export async function loadDashboard(f: Filters): Promise<Dashboard> {
  const q = queryOf(f);
  const get = <T>(topic: string) => api.get<T>(`/api/v1/stats/${topic}?${q}`);
  const household = <T>(topic: string) => api.get<T>(`/api/v1/stats/${topic}?${q}&mode=household`);
  const [awareness, quizAwareness, support, satisfaction, participation, volunteers, tipoffs, sample, hAwareness, hSupport, hSatisfaction] =
    await Promise.all([
      get<IndicatorStatsView>('awareness'),
      api.get<IndicatorStatsView>(`/api/v1/stats/awareness?${q}&source=quiz`),
      get<IndicatorStatsView>('support'),
      get<IndicatorStatsView>('satisfaction'),
      get<ParticipationStatsView>('participation'),
      get<VolunteerStatsView>('volunteers'),
      get<TipoffStatsView>('tipoffs'),
      get<SampleMonitorView>('sample-monitor'),
      household<IndicatorStatsView>('awareness'),
      household<IndicatorStatsView>('support'),
      household<IndicatorStatsView>('satisfaction'),
    ]);
  return {
    awareness,
    quizAwareness,
    support,
    satisfaction,
    participation,
    volunteers,
    tipoffs,
    sample,
    household: { awareness: hAwareness, support: hSupport, satisfaction: hSatisfaction },
  };
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

/**
 * A survey rate's card. With household interviews in the period, the household figure (a probability
 * sample) is the headline, labelled 入户调查, and the self-selected online figure stands beside it,
 * labelled 线上自填; never pooled.
 */
function surveyKpi(key: string, name: string, self: IndicatorStatsView, household: IndicatorStatsView, extra?: string): Kpi {
  const o = self.overall.unweighted;
  const h = household.overall.unweighted;
  if (!h.n)
    return {
      key,
      title: `${name}（问卷，n = 受访人数）`,
      value: pct(o.rate),
      sub: ciText(o, '人'),
      extra: extra ?? `人口加权 ${pct(self.overall.weighted.rate)}`,
      low: o.lowSample,
    };
  return {
    key,
    title: `${name}（入户调查，n = 受访户数）`,
    value: pct(h.rate),
    sub: ciText(h, '户'),
    extra: `线上自填 ${pct(o.rate)}（n=${o.n} 人，自愿参与，非抽样）`,
    low: h.lowSample,
  };
}

export function kpis(d: Dashboard): Kpi[] {
  const qa = d.quizAwareness.overall;
  const p = d.participation;
  const t = d.tipoffs;
  const sat = d.satisfaction.overall;
  return [
    surveyKpi('awareness', '知晓率', d.awareness, d.household.awareness),
    {
      key: 'quizAwareness',
      title: '答题知晓（答题人次）',
      value: pct(qa.unweighted.rate),
      sub: ciText(qa.unweighted, '人次'),
      extra: '答题者的知识掌握，不计入知晓率',
      low: qa.unweighted.lowSample,
    },
    {
      key: 'participation',
      title: '参与率',
      value: pct(p.rate.rate),
      sub: `${p.participants} 人 / 常住人口 ${p.population}`,
      extra: `占系统内居民 ${pct(p.rateOfKnown.rate)}`,
      low: false,
    },
    surveyKpi('support', '支持率', d.support, d.household.support),
    surveyKpi(
      'satisfaction',
      '满意度',
      d.satisfaction,
      d.household.satisfaction,
      sat.meanScore != null ? `平均 ${sat.meanScore.toFixed(1)} 分 · 人口加权 ${pct(sat.weighted.rate)}` : undefined,
    ),
    {
      key: 'volunteers',
      title: '志愿者占比',
      value: pct(d.volunteers.rate.rate),
      sub: `截至期末 ${d.volunteers.volunteers} 人 · 目标 ${pct(d.volunteers.target)}`,
      extra: `期内新注册 ${d.volunteers.registrations} 人 · 服务 ${d.volunteers.hours.toFixed(1)} 小时 · ${d.volunteers.services} 人次`,
      low: false,
    },
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
