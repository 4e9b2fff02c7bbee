import type { AppModule } from '../types';
import { catalogRouter } from './catalog.routes';
import { loadCatalog, syncCatalog } from './catalog.service';

export const catalogModule: AppModule = { name: 'catalog', routers: [catalogRouter], init: loadCatalog, syncContent: syncCatalog };

// What the bot (bots/) uses of this module.
export { listCategories } from './catalog.service';
