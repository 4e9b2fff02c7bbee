import type { AppModule } from '../types';
import { regionsRouter } from './regions.routes';
import { loadRegionTree, syncRegions } from './regions.service';

export const regionsModule: AppModule = {
  name: 'regions',
  routers: [regionsRouter],
  init: async () => void (await loadRegionTree()),
  syncContent: async () => `regions: ${await syncRegions()}`,
};

// What the bot (bots/) uses of this module.
export { type RegionNode } from './regions.schema';
export { communitiesUnder, distanceMeters, findRegion, nearestCommunity, regionLabel, regionTree } from './regions.service';
