import { api } from '../../../api';
import type { MapCommunity, MapPoint, MapShapesView, TipoffMapView } from '../../../../../modules/tipmap/tipmap.schema';
// The one run-time import of a server file: a constants-only file made to be bundled (see its header).
import { statusNames, type TipoffStatus } from '../../../../../modules/tipoffs/tipoffs.names';
import type { RegionNode } from '../../../types';

/** 随手拍地图 (office): points, community totals and the city's shapes. */
export type { MapCommunity, MapPoint, TipoffMapView, TipoffStatus };
export { statusNames };

export interface MapFilters {
  /** a calendar period, or 'range' for from/to */
  period: 'week' | 'month' | 'quarter' | 'year' | 'campaign' | 'range';
  range: [string, string] | null;
  status: TipoffStatus | '';
  category: string;
}

export function mapQuery(f: MapFilters): string {
  const q = new URLSearchParams();
  if (f.period === 'range' && f.range) {
    q.set('from', f.range[0]);
    q.set('to', f.range[1]);
  } else if (f.period !== 'range') q.set('period', f.period);
  if (f.status) q.set('status', f.status);
  if (f.category) q.set('category', f.category);
  return q.toString();
}

export const loadMap = (f: MapFilters) => api.get<TipoffMapView>(`/api/v1/tipoff-map?${mapQuery(f)}`);
export const loadShapes = async () => (await api.get<MapShapesView>('/api/v1/tipoff-map/shapes')).shapes;
export const loadCategories = () => api.get<{ code: string; name: string }[]>('/api/v1/tipoff-categories');
export const loadRegions = () => api.get<RegionNode[]>('/api/v1/regions');

export const periodOptions: [MapFilters['period'], string][] = [
  ['week', '本周'],
  ['month', '本月'],
  ['quarter', '本季度'],
  ['year', '本年'],
  ['campaign', '创建以来'],
  ['range', '自选日期'],
];

/** One colour per status, told apart on the light map (the unfinished ones the strongest). */
export const statusColors: Record<TipoffStatus, string> = {
  submitted: '#e6a23c',
  accepted: '#2f7de1',
  assigned: '#c8161d',
  rectified: '#8e44ad',
  closed: '#2e9d4f',
  rejected: '#6b6f76',
  merged: '#a8abb2',
};

export const OPEN_STATUSES: TipoffStatus[] = ['submitted', 'accepted', 'assigned', 'rectified'];
export const FINISHED_STATUSES: TipoffStatus[] = ['closed', 'rejected', 'merged'];

/** Every community with a centre, for the map without shapes. */
export function communityCentres(tree: RegionNode[]): { name: string; lat: number; lng: number }[] {
  const out: { name: string; lat: number; lng: number }[] = [];
  const walk = (n: RegionNode) => {
    if (n.level === 'community' && n.center) out.push({ name: n.name, lat: n.center.lat, lng: n.center.lng });
    n.children.forEach(walk);
  };
  tree.forEach(walk);
  return out;
}
