import Router from '@koa/router';
import { z } from 'zod';
import { route } from '../../core/http/route';
import { categorySchema, indicatorSchema, unitSchema } from './catalog.schema';
import { listCategories, listIndicators, listUnits } from './catalog.service';

export const catalogRouter = new Router({ prefix: '/api/v1' });

route(catalogRouter, { method: 'get', path: '/units', summary: '责任单位', tags: ['content'], access: 'public', response: z.array(unitSchema) }, () => listUnits());
route(catalogRouter, { method: 'get', path: '/tipoff-categories', summary: '随手拍问题类别', tags: ['content'], access: 'public', response: z.array(categorySchema) }, () =>
  listCategories(),
);
route(catalogRouter, { method: 'get', path: '/indicators', summary: '测评指标', tags: ['content'], access: 'public', response: z.array(indicatorSchema) }, () =>
  listIndicators(),
);
