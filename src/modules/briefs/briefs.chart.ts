import { loadEcharts, loadSharp } from '../../core/lazy';
import type { BriefFigures } from './briefs.schema';
import { formatPercent } from '../../core/format';

const FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif";
const RED = '#c8161d';
const GREY = '#b5b8bf';
/** Bars in percent, unrounded: the labels carry the shown digits (formatPercent). */
const toPct = (x: number | null) => (x === null ? null : x * 100);

/**
 * The brief's chart, rendered on the server: ECharts server-side rendering to an SVG string (no
 * browser, no canvas), then sharp turns it into a PNG for WeChat and Excel. Two panels: the key rates
 * this week against last week with this week's 95 % intervals, and participation by district.
 * CJK text needs a CJK font on the machine (Debian: fonts-noto-cjk).
 */
export async function renderBriefChart(f: BriefFigures, width = 900, height = 620): Promise<{ png: Buffer; svg: string }> {
  const rates = f.rates.filter((k) => k.key !== 'volunteers');
  const echarts = await loadEcharts();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT },
    title: [
      {
        text: `${f.week.slice(0, 4)}年第${Number(f.week.slice(6))}周 关键指标（%，竖线为本周 95% 置信区间）`,
        left: 24,
        top: 12,
        textStyle: { fontSize: 16, fontFamily: FONT },
      },
      { text: '各区参与率（%）', left: 24, top: 350, textStyle: { fontSize: 16, fontFamily: FONT } },
    ],
    legend: { top: 14, right: 24, data: ['上周', '本周'], textStyle: { fontFamily: FONT } },
    grid: [
      { left: 56, right: 24, top: 56, height: 236 },
      { left: 56, right: 24, top: 392, height: 190 },
    ],
    xAxis: [
      // This week's value under each name: bar labels would collide with the interval whiskers.
      {
        gridIndex: 0,
        type: 'category',
        data: rates.map((k) => `${k.title}\n${formatPercent(k.current.rate)}`),
        axisLabel: { fontFamily: FONT, lineHeight: 18 },
      },
      { gridIndex: 1, type: 'category', data: f.districts.map((d) => d.name), axisLabel: { fontFamily: FONT, interval: 0 } },
    ],
    yAxis: [
      { gridIndex: 0, type: 'value', min: 0, max: 100 },
      { gridIndex: 1, type: 'value', min: 0 },
    ],
    series: [
      {
        name: '上周',
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        itemStyle: { color: GREY },
        data: rates.map((k) => toPct(k.previous.rate)),
      },
      {
        name: '本周',
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        itemStyle: { color: RED },
        data: rates.map((k) => toPct(k.current.rate)),
      },
      {
        // 95 % intervals of this week: whiskers drawn as a custom series over the 本周 bars.
        name: '置信区间',
        type: 'custom',
        xAxisIndex: 0,
        yAxisIndex: 0,
        renderItem: (
          _params: unknown,
          api: {
            value: (i: number) => number;
            coord: (v: [number, number]) => [number, number];
            size: (v: [number, number]) => [number, number];
          },
        ) => {
          const x = api.value(0);
          const [lowX, low] = api.coord([x, api.value(1)]);
          const [, high] = api.coord([x, api.value(2)]);
          const bandWidth = api.size([1, 0])[0];
          const cx = lowX + bandWidth * 0.18;
          const half = 6;
          const style = { stroke: '#333', lineWidth: 1.2 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: cx, y1: low, x2: cx, y2: high }, style },
              { type: 'line', shape: { x1: cx - half, y1: low, x2: cx + half, y2: low }, style },
              { type: 'line', shape: { x1: cx - half, y1: high, x2: cx + half, y2: high }, style },
            ],
          };
        },
        data: rates.flatMap((k, i) => (k.current.ci ? [[i, toPct(k.current.ci[0]), toPct(k.current.ci[1])]] : [])),
        z: 10,
      },
      {
        name: '参与率',
        type: 'bar',
        xAxisIndex: 1,
        yAxisIndex: 1,
        itemStyle: { color: RED },
        barMaxWidth: 36,
        label: {
          show: true,
          position: 'top',
          fontFamily: FONT,
          formatter: ({ value }: { value: number | null }) => (value === null ? '' : formatPercent(value / 100)),
        },
        data: f.districts.map((d) => toPct(d.participation.rate)),
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  const png = await (await loadSharp())(Buffer.from(svg)).png().toBuffer();
  return { png, svg };
}
