import { regionOption, trendOption } from '../../src/h5/src/pages/console/dashboard/dashboard-charts';
import type { IndicatorStatsView, ParticipationStatsView, RateView } from '../../src/modules/stats/stats.schema';

/**
 * The dashboard's charts drawn from statistics responses (the same pure functions the page calls):
 * the trend leaves a gap on days without survey responses and never plots a rate above 100 %; the
 * bars by region mark 样本不足 and show n as people.
 */
const rate = (r: number | null, n: number): RateView => ({
  rate: r,
  ci: r === null ? null : [Math.max(0, r - 0.1), Math.min(1, r + 0.1)],
  n,
  answers: n * 3,
  designEffect: r === null ? null : 1.2,
  lowSample: n < 30,
});

function views(awareDays: Array<[string, number | null, number]>, days: string[], regions: Array<[string, number | null, number]> = []) {
  const awareness = {
    byDay: awareDays.map(([day, r, n]) => ({ day, ...rate(r, n) })),
    byRegion: regions.map(([name, r, n]) => ({ code: name, name, level: 'district', population: 1000, ...rate(r, n) })),
  } as unknown as IndicatorStatsView;
  const participation = { byDay: days.map((day, i) => ({ day, participants: i + 1, acts: i + 2 })) } as unknown as ParticipationStatsView;
  return { awareness, participation };
}

interface Series {
  name: string;
  type: string;
  data: Array<number | null | { value: number | null; itemStyle: { color: string } }>;
  connectNulls?: boolean;
  label?: { formatter: (p: { dataIndex: number }) => string };
}
const seriesOf = (option: unknown) => (option as { series: Series[] }).series;

describe('the trend chart', () => {
  const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];

  it('leaves a gap on the days without survey responses instead of drawing through them', () => {
    const { awareness, participation } = views(
      [
        ['2026-11-01', 0.5, 3],
        ['2026-11-04', 0.75, 4],
      ],
      days,
    );
    const option = trendOption(awareness, participation) as { xAxis: { data: string[] } };
    const [line, bars] = seriesOf(option);
    expect(option.xAxis.data).toEqual(['11-01', '11-02', '11-03', '11-04']);
    expect(line!.data).toEqual([0.5, null, null, 0.75]);
    expect(line!.connectNulls).toBe(false);
    expect(bars!.data).toEqual([1, 2, 3, 4]);
  });

  it('never plots the rate above 100 % nor below 0, on an axis that stops at 100 %', () => {
    const { awareness, participation } = views(
      [
        ['2026-11-01', 1.0000000000000002, 5],
        ['2026-11-02', -1e-12, 5],
        ['2026-11-03', null, 0],
      ],
      days,
    );
    const option = trendOption(awareness, participation) as { yAxis: Array<{ min?: number; max?: number }> };
    const [line] = seriesOf(option);
    expect(line!.data).toEqual([1, 0, null, null]);
    expect(option.yAxis[0]).toMatchObject({ min: 0, max: 1 });
  });
});

describe('the bars by region', () => {
  it('labels each bar with the rate and n in people, greys and marks 样本不足 under 30, and says 无受访 with none', () => {
    const { awareness } = views(
      [],
      [],
      [
        ['东湖区', 0.0004, 45],
        ['南港区', 0.6, 12],
        ['西岭区', null, 0],
      ],
    );
    const [bars] = seriesOf(regionOption(awareness));
    const labels = [0, 1, 2].map((dataIndex) => bars!.label!.formatter({ dataIndex }));
    expect(labels).toEqual(['0.04% · n=45', '60.0% · n=12 样本不足', '无受访']);
    const colors = bars!.data.map((d) => (d as { itemStyle: { color: string } }).itemStyle.color);
    expect(colors[0]).not.toBe(colors[1]);
    expect(colors[1]).toBe(colors[2]);
  });
});
