import type { AppModule } from '../types';
import { syncMapShapes } from './tipmap.geo';
import { tipmapRouter } from './tipmap.routes';

/** 随手拍地图: where tip-offs are, for the office; the region shapes from content/geo. */
export const tipmapModule: AppModule = { name: 'tipmap', routers: [tipmapRouter], syncContent: syncMapShapes };
