import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { z } from 'zod';
import { config } from '../../config';
import { notFound } from '../../core/errors';
import { route, type RouteSpec } from '../../core/http/route';
import type { ErrorFormat } from '../../core/http/middleware';
import { open311Errors, sendOpen311 } from './open311.format';
import {
  formatParams,
  open311CreatedSchema,
  open311DiscoverySchema,
  open311ErrorsSchema,
  open311KeyQuerySchema,
  open311PostSchema,
  open311QuerySchema,
  open311RequestSchema,
  open311ServiceDefinitionSchema,
  open311ServiceSchema,
  open311TokenSchema,
  requestParams,
  serviceParams,
  tokenParams,
} from './open311.schema';
import {
  getOpen311Request,
  getOpen311Token,
  listOpen311Requests,
  open311Discovery,
  open311ServiceDefinition,
  open311Services,
  submitOpen311,
} from './open311.service';

/** Open311 GeoReport v2 for city systems: `.json` or `.xml` by extension, errors as Open311 error arrays. */
export const open311Router = new Router({ prefix: '/open311/v2' });

/** What every Open311 route shares in the OpenAPI document: JSON or XML by the path's extension, Open311 errors. */
const open311 = {
  tags: ['open311'],
  access: 'public',
  produces: ['application/json', 'text/xml'],
  errorSchema: open311ErrorsSchema,
} as const satisfies Partial<RouteSpec<z.ZodType, z.ZodType, z.ZodType>>;

route(
  open311Router,
  {
    ...open311,
    method: 'get',
    path: '/discovery.:format',
    summary: 'Open311：发现文档（端点、格式、获取 api_key 的方式）',
    params: formatParams,
    response: open311DiscoverySchema,
  },
  ({ ctx }) => {
    // Koa 3's ctx.origin is the request's Origin header, not this server's origin.
    sendOpen311(ctx, 'discovery', open311Discovery(config().PUBLIC_URL?.replace(/\/+$/, '') ?? `${ctx.protocol}://${ctx.host}`));
  },
);

route(
  open311Router,
  {
    ...open311,
    method: 'get',
    path: '/services.:format',
    summary: 'Open311：服务（随手拍类别）列表',
    params: formatParams,
    response: open311ServiceSchema.array(),
  },
  ({ ctx }) => {
    sendOpen311(ctx, 'services', open311Services());
  },
);

route(
  open311Router,
  {
    ...open311,
    method: 'get',
    path: '/services/:code.:format',
    summary: 'Open311：服务定义',
    params: serviceParams,
    response: open311ServiceDefinitionSchema,
  },
  ({ ctx, params }) => {
    sendOpen311(ctx, 'service_definition', open311ServiceDefinition(params.code));
  },
);

route(
  open311Router,
  {
    ...open311,
    method: 'post',
    path: '/requests.:format',
    summary: 'Open311：提交服务请求（表单编码；api_key 在表单或查询串中；lat/long 或 address_string/address_id；描述最多 4000 字符）',
    params: formatParams,
    query: open311KeyQuerySchema,
    body: open311PostSchema,
    consumes: 'application/x-www-form-urlencoded',
    response: open311CreatedSchema,
    status: 201,
    errors: [403],
    rateLimit: { name: 'open311-post', max: 120, windowMs: 60_000, by: 'ip' },
  },
  async ({ ctx, body, query }) => {
    sendOpen311(ctx, 'service_requests', await submitOpen311(body, body.api_key ?? query.api_key), 201);
  },
);

route(
  open311Router,
  {
    ...open311,
    method: 'get',
    path: '/requests.:format',
    summary: 'Open311：服务请求列表（status、service_code 可逗号分隔多个）',
    params: formatParams,
    query: open311QuerySchema,
    response: open311RequestSchema.array(),
  },
  async ({ ctx, query }) => {
    sendOpen311(ctx, 'service_requests', await listOpen311Requests(query));
  },
);

route(
  open311Router,
  {
    ...open311,
    method: 'get',
    path: '/requests/:id.:format',
    summary: 'Open311：单个服务请求',
    params: requestParams,
    response: open311RequestSchema.array(),
  },
  async ({ ctx, params }) => {
    sendOpen311(ctx, 'service_requests', await getOpen311Request(params.id));
  },
);

route(
  open311Router,
  {
    ...open311,
    method: 'get',
    path: '/tokens/:token.:format',
    summary: 'Open311：令牌对应的服务请求编号',
    params: tokenParams,
    response: open311TokenSchema,
  },
  async ({ ctx, params }) => {
    sendOpen311(ctx, 'service_requests', await getOpen311Token(params.token));
  },
);

/**
 * Every error under /open311/ as an Open311 error array, in the path's format: the app's one error
 * handler uses it for the routes' own errors and for those met before them (the request deadline,
 * start-up, a corrupt or oversized body), so a city system never meets our JSON error shape.
 */
export const open311ErrorFormat: ErrorFormat = {
  prefix: '/open311/',
  render: (ctx, e) => sendOpen311(ctx, 'errors', open311Errors(e), e.status),
};

/**
 * An Open311 path no route has: 404 as an Open311 error array. A plain middleware after the routers,
 * not a catch-all route, so OPTIONS and 405 on real paths still list only their own methods.
 */
export async function open311NotFound(ctx: Context, next: Next): Promise<void> {
  const routeMatched = (ctx.matched as Array<{ methods: string[] }> | undefined)?.some((l) => l.methods.length > 0);
  if (!ctx.path.startsWith('/open311/') || routeMatched) return next();
  const e = notFound('Open311 接口');
  sendOpen311(ctx, 'errors', open311Errors(e), e.status);
}
