/**
 * The tip-off map's chart: ECharts scatter over the city's shapes (a GeoJSON registered once, drawn
 * by ECharts itself: no tile server, nothing fetched from outside the service), or over a plain
 * longitude/latitude plane with the community centres when content has no shapes. Unfinished
 * tip-offs are one point each; finished ones one point per community and status, sized by count.
 */
import { ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import {
  GeoComponent,
  type GeoComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { echarts } from '../../../charts';
import {
  FINISHED_STATUSES,
  OPEN_STATUSES,
  statusColors,
  statusNames,
  type MapCommunity,
  type MapPoint,
  type TipoffMapView,
  type TipoffStatus,
} from './tipmap-api';

echarts.use([ScatterChart, GeoComponent]);

export type MapOption = echarts.ComposeOption<
  ScatterSeriesOption | GeoComponentOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;
export const CITY_MAP = 'wm-city';

let registered: string | undefined;
/** Registers the city's shapes under CITY_MAP (again only when they changed). */
export function registerCity(geojson: Record<string, unknown>): void {
  const key = JSON.stringify(geojson);
  if (registered === key) return;
  echarts.registerMap(CITY_MAP, geojson as never);
  registered = key;
}

const esc = (s: string) => echarts.format.encodeHTML(s);
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

/** What a clicked or hovered item is: one tip-off, or a community's finished tip-offs of one status. */
export type MapItem =
  { kind: 'tipoff'; point: MapPoint } | { kind: 'community'; community: MapCommunity; status: TipoffStatus; count: number };

/** Finished points of one community sit side by side, not on top of each other (≈ 150 m apart). */
const OFFSET: Record<string, number> = { closed: 0, rejected: 0.0016, merged: -0.0016 };

export function mapOption(
  data: TipoffMapView,
  opts: { shapes: boolean; centres: { name: string; lat: number; lng: number }[]; narrow: boolean },
): MapOption {
  const coordinateSystem = opts.shapes ? 'geo' : 'cartesian2d';
  const series: ScatterSeriesOption[] = [];
  for (const status of OPEN_STATUSES) {
    const points = data.points.filter((p) => p.status === status);
    if (!points.length) continue;
    series.push({
      type: 'scatter',
      name: statusNames[status],
      coordinateSystem,
      symbolSize: opts.narrow ? 10 : 12,
      itemStyle: { color: statusColors[status], opacity: 1, borderColor: '#fff', borderWidth: 1 },
      emphasis: { scale: 1.6 },
      z: 4,
      data: points.map((p) => ({ value: [p.lng, p.lat], item: { kind: 'tipoff', point: p } satisfies MapItem })),
    });
  }
  for (const status of FINISHED_STATUSES) {
    const rows = data.communities.flatMap((c) => c.byStatus.filter((b) => b.status === status).map((b) => ({ c, count: b.count })));
    if (!rows.length) continue;
    series.push({
      type: 'scatter',
      name: `${statusNames[status]}（按社区）`,
      coordinateSystem,
      itemStyle: { color: statusColors[status], opacity: 0.55, borderColor: statusColors[status], borderWidth: 1 },
      z: 3,
      data: rows.map(({ c, count }) => ({
        value: [c.lng + (OFFSET[status] ?? 0), c.lat],
        symbolSize: Math.min(40, 8 + Math.sqrt(count) * 4),
        item: { kind: 'community', community: c, status, count } satisfies MapItem,
      })),
    });
  }
  if (!opts.shapes) {
    // Without shapes the community centres, named, show where things are.
    series.unshift({
      type: 'scatter',
      name: '社区',
      coordinateSystem,
      symbolSize: 5,
      silent: true,
      itemStyle: { color: '#c0c4cc' },
      label: { show: !opts.narrow, formatter: '{b}', position: 'right', color: '#646a73', fontSize: 11 },
      data: opts.centres.map((c) => ({ name: c.name, value: [c.lng, c.lat] })),
      z: 1,
    });
  }
  const legend = series.filter((s) => s.name !== '社区').map((s) => String(s.name));
  const base: MapOption = {
    animation: false,
    legend: { data: legend, top: 0, type: 'scroll' },
    tooltip: { trigger: 'item', confine: true, formatter: tooltip as never },
    series,
  };
  if (opts.shapes) {
    return {
      ...base,
      geo: {
        map: CITY_MAP,
        roam: true,
        top: opts.narrow ? 36 : 40,
        bottom: 8,
        label: { show: true, color: '#606266', fontSize: opts.narrow ? 11 : 13 },
        itemStyle: { areaColor: '#f5f7fa', borderColor: '#c0c4cc' },
        emphasis: { label: { color: '#303133' }, itemStyle: { areaColor: '#ecf5ff' } },
        select: { disabled: true },
      },
    };
  }
  // A plain plane: longitude and latitude on hidden axes, scaled to the points.
  return {
    ...base,
    grid: { top: 40, bottom: 16, left: 16, right: opts.narrow ? 16 : 80 },
    xAxis: { type: 'value', scale: true, show: false },
    yAxis: { type: 'value', scale: true, show: false },
  } as MapOption;
}

function tooltip(p: { data?: { item?: MapItem }; seriesName?: string }): string {
  const item = p.data?.item;
  if (!item) return '';
  if (item.kind === 'tipoff') {
    const t = item.point;
    return `<b>${esc(t.categoryName)}</b> · ${statusNames[t.status]}<br/>${esc(t.place)}<br/>${when(t.reportedAt)} 上报 · ${esc(t.id)}<br/><span style="color:#646a73">点击查看详情</span>`;
  }
  const c = item.community;
  return `<b>${esc(c.label)}</b><br/>${statusNames[item.status]} ${item.count} 件（本社区已结束的共 ${c.total} 件）`;
}
