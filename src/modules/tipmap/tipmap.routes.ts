import Router from '@koa/router';
import { route } from '../../core/http/route';
import { cityShapes } from './tipmap.geo';
import { mapQuery, mapShapesSchema, tipoffMapSchema } from './tipmap.schema';
import { tipoffMap } from './tipmap.service';

export const tipmapRouter = new Router({ prefix: '/api/v1' });

const tags = ['tipoffs'];
const access = ['office', 'admin'] as const;

/**
 * The tip-off map's points: unfinished tip-offs one by one (at most 500, newest first), finished ones
 * per community from the daily counters. Bounded by the open queue and the number of communities.
 */
route(
  tipmapRouter,
  {
    method: 'get',
    path: '/tipoff-map',
    summary: '随手拍地图：未办结的逐件显示（最多 500 件），已办结的按社区汇总',
    tags,
    access: [...access],
    query: mapQuery,
    response: tipoffMapSchema,
  },
  ({ query }) => tipoffMap(query),
);

/** The city's shapes from content/geo, drawn under the points; null when content has none. */
route(
  tipmapRouter,
  {
    method: 'get',
    path: '/tipoff-map/shapes',
    summary: '随手拍地图的区域边界（GeoJSON，示意）',
    tags,
    access: [...access],
    response: mapShapesSchema,
  },
  () => cityShapes(),
);
