import type { AppModule } from '../types';
import { regionsRouter } from './regions.routes';
import { loadRegionTree, syncRegions } from './regions.service';

// What other modules read: the region tree and its lookups.
export type { RegionNode } from './regions.schema';
export { communitiesUnder, distanceMeters, findRegion, nearestCommunity, regionLabel, regionPath, regionTree } from './regions.service';

export const regionsModule: AppModule = {
  name: 'regions',
  routers: [regionsRouter],
  init: async () => void (await loadRegionTree()),
  syncContent: async () => `regions: ${await syncRegions()}`,
};
