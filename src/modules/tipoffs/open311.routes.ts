import Router from '@koa/router';
import { z } from 'zod';
import { notFound } from '../../core/errors';
import { route } from '../../core/http/route';
import { toAppError } from '../../core/http/middleware';
import { logger } from '../../core/logger';
import { open311Errors, sendOpen311 } from './open311.format';
import { formatParams, open311PostSchema, open311QuerySchema, requestParams, serviceParams } from './open311.schema';
import { getOpen311Request, listOpen311Requests, open311ServiceDefinition, open311Services, submitOpen311 } from './open311.service';

/** Open311 GeoReport v2 for city systems: `.json` or `.xml` by extension, errors as Open311 error arrays. */
export const open311Router = new Router({ prefix: '/open311/v2' });

open311Router.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const e = toAppError(err);
    if (e.status >= 500) logger.error({ reqId: ctx.state.requestId, err }, 'open311 request failed');
    sendOpen311(ctx, 'errors', open311Errors(e), e.status);
  }
});

const tags = ['open311'];
const any = z.any();

route(open311Router, { method: 'get', path: '/services.:format', summary: 'Open311：服务（随手拍类别）列表', tags, access: 'public', params: formatParams, response: any }, ({ ctx }) => {
  sendOpen311(ctx, 'services', open311Services());
});

route(open311Router, { method: 'get', path: '/services/:code.:format', summary: 'Open311：服务定义', tags, access: 'public', params: serviceParams, response: any }, ({ ctx, params }) => {
  sendOpen311(ctx, 'service_definition', open311ServiceDefinition(params.code));
});

route(
  open311Router,
  {
    method: 'post',
    path: '/requests.:format',
    summary: 'Open311：提交服务请求（表单编码，需 api_key）',
    tags,
    access: 'public',
    params: formatParams,
    body: open311PostSchema,
    consumes: 'application/x-www-form-urlencoded',
    response: any,
    status: 201,
    rateLimit: { name: 'open311-post', max: 120, windowMs: 60_000, by: 'ip' },
  },
  async ({ ctx, body }) => {
    sendOpen311(ctx, 'service_requests', await submitOpen311(body), 201);
  },
);

route(open311Router, { method: 'get', path: '/requests.:format', summary: 'Open311：服务请求列表', tags, access: 'public', params: formatParams, query: open311QuerySchema, response: any }, async ({ ctx, query }) => {
  sendOpen311(ctx, 'service_requests', await listOpen311Requests(query));
});

route(open311Router, { method: 'get', path: '/requests/:id.:format', summary: 'Open311：单个服务请求', tags, access: 'public', params: requestParams, response: any }, async ({ ctx, params }) => {
  sendOpen311(ctx, 'service_requests', await getOpen311Request(params.id));
});

open311Router.all('/{*rest}', () => {
  throw notFound('Open311 接口');
});
