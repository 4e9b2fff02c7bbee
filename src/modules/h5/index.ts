import type { AppModule } from '../types';
import { h5Router } from './h5.routes';

/**
 * The H5 channel: WeChat OAuth, client config and logout routes (this module), and the built pages
 * (`serveH5`, mounted by main.ts after the API; `ensureH5Build` builds them when missing).
 */
export const h5Module: AppModule = { name: 'h5', routers: [h5Router] };
export { ensureH5Build } from './h5.build';
export { serveH5 } from './h5.static';
