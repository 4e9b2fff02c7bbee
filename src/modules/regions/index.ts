import type { AppModule } from '../types';
import { regionsRouter } from './regions.routes';
import { loadRegionTree, syncRegions } from './regions.service';

export const regionsModule: AppModule = {
  name: 'regions',
  routers: [regionsRouter],
  init: async () => void (await loadRegionTree()),
  syncContent: async () => `regions: ${await syncRegions()}`,
};
