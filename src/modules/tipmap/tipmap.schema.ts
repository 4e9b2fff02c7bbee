import { z } from 'zod';
import { tipoffStatuses } from '../tipoffs/tipoffs.schema';
import { periodKinds } from '../counters';

/** The map's filters: the statistics' period (calendar period or from/to), a status, a category. */
export const mapQuery = z.object({
  period: z.enum(periodKinds).optional().describe('day | week | month | quarter | year | campaign；与 from/to 二选一；默认创建以来'),
  date: z.iso.date().optional().describe('period 所在的日期，默认今天'),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  status: z.enum(tipoffStatuses).optional(),
  category: z
    .string()
    .max(40)
    .regex(/^[\w.-]+$/, '不是有效的类别编码')
    .optional(),
});
export type MapQuery = z.infer<typeof mapQuery>;

const point = z.object({ lat: z.number(), lng: z.number() });

/** One unfinished tip-off where it was reported. */
export const mapPointSchema = point.extend({
  id: z.string(),
  status: z.enum(tipoffStatuses),
  categoryCode: z.string(),
  categoryName: z.string(),
  /** the address the reporter gave, else the community's name */
  place: z.string(),
  reportedAt: z.string(),
});

/** The finished tip-offs of one community, drawn at its centre. */
export const mapCommunitySchema = point.extend({
  code: z.string(),
  name: z.string(),
  /** 区 · 街道 · 社区 */
  label: z.string(),
  total: z.number(),
  byStatus: z.array(z.object({ status: z.enum(tipoffStatuses), count: z.number() })),
});

export const tipoffMapSchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), label: z.string() }),
  /** unfinished tip-offs (待受理, 已受理, 处置中, 已整改), one point each, newest first, at most maxPoints */
  points: z.array(mapPointSchema),
  /** unfinished tip-offs matching the filters, also those beyond maxPoints */
  openTotal: z.number(),
  maxPoints: z.number(),
  /** finished tip-offs (已办结, 不予受理, 已合并) by community */
  communities: z.array(mapCommunitySchema),
  /** matching tip-offs the map cannot place: no coordinates (a city system gave only an address) or no community */
  unplaced: z.number(),
});
export type TipoffMapView = z.infer<typeof tipoffMapSchema>;
export type MapPoint = z.infer<typeof mapPointSchema>;
export type MapCommunity = z.infer<typeof mapCommunitySchema>;

export const mapShapesSchema = z.object({
  /** null: no content/geo file for the city; the map draws the community centres alone */
  shapes: z
    .object({
      regionCode: z.string(),
      name: z.string(),
      /** a GeoJSON FeatureCollection; each feature's properties.name is a region's name */
      geojson: z.record(z.string(), z.unknown()),
    })
    .nullable(),
});
export type MapShapesView = z.infer<typeof mapShapesSchema>;

// --- content/geo/<region-code>.geojson ---

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
const ring = z.array(position).min(4, '多边形的每个环至少要有 4 个点（首尾相同）');
const geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);

/** A region's shapes: a FeatureCollection of (Multi)Polygons, each naming the region it draws. */
export const geoFileSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        properties: z.looseObject({ code: z.string().min(1), name: z.string().min(1) }),
        geometry,
      }),
    )
    .min(1, '至少要有一个区域'),
});
export type GeoFile = z.infer<typeof geoFileSchema>;
