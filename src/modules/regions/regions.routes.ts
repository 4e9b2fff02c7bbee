import Router from '@koa/router';
import { z } from 'zod';
import { route } from '../../core/http/route';
import { regionNodeSchema } from './regions.schema';
import { regionTree } from './regions.service';

export const regionsRouter = new Router({ prefix: '/api/v1' });

route(regionsRouter, { method: 'get', path: '/regions', summary: '区域树（市 › 区 › 街道 › 社区）', tags: ['regions'], access: 'public', response: z.array(regionNodeSchema) }, () =>
  regionTree(),
);
