import type { ChartOption } from '../../../charts';
import { formatPercent as pct } from '../../../format';
import type { IndicatorStatsView, ParticipationStatsView } from '../../../../../modules/stats/stats.schema';

/**
 * The dashboard's two charts as ECharts options: pure functions of the statistics responses (no
 * page, no network), so the rules they draw by are tested without a browser.
 */

const RED = '#c8161d';
const BLUE = '#1989fa';

/**
 * Trend by day: the 知晓率 of the survey responses given that day, and the residents who took part.
 * A day without responses is a gap in the line, never drawn through; a rate is never above 100 %.
 */
export function trendOption(awareness: IndicatorStatsView, participation: ParticipationStatsView): ChartOption {
  const days = participation.byDay.map((x) => x.day.slice(5));
  const awareByDay = new Map(awareness.byDay.map((x) => [x.day, x.rate === null ? null : Math.min(1, Math.max(0, x.rate))]));
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
        data: participation.byDay.map((x) => awareByDay.get(x.day) ?? null),
      },
      { name: '参与人数', type: 'bar', yAxisIndex: 1, color: BLUE, barMaxWidth: 8, data: participation.byDay.map((x) => x.participants) },
    ],
  } as ChartOption;
}

const GREY = '#c8c9cc';

/** Bars by region: 知晓率 (survey respondents, with n) below the filter; a grey bar marks 样本不足. */
export function regionOption(awareness: IndicatorStatsView): ChartOption {
  const rows = awareness.byRegion;
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
