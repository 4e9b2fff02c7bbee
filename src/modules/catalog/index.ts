import { useIndicatorKinds } from '../counters';
import type { AppModule } from '../types';
import { catalogRouter } from './catalog.routes';
import { listIndicators, loadCatalog, syncCatalog } from './catalog.service';

// What other modules read: indicators, tip-off categories and responsible units.
export type { Indicator } from './catalog.schema';
export { listCategories, listIndicators, listUnits } from './catalog.service';

// The counters kernel files each indicator answer under its indicator's kind (知晓, 支持, 满意…).
useIndicatorKinds(() => new Map(listIndicators().map((i) => [i.code, i.kind])));

export const catalogModule: AppModule = { name: 'catalog', routers: [catalogRouter], init: loadCatalog, syncContent: syncCatalog };
