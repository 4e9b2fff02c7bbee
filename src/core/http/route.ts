import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { authorize, type Access, type Principal, type StaffPrincipal } from '../auth';
import { AppError } from '../errors';
import { idempotent } from '../idempotency';
import { toAppError } from './middleware';
import { parse } from '../validate';
import { requireContentType } from './body';
import { rateLimit, type RateLimitRule } from './rate-limit';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tags?: string[];
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  response?: z.ZodType;
  status?: number;
  /** Non-JSON request bodies (multipart, CSV) documented by content type; several when the route reads either. */
  consumes?: string | readonly string[];
  /** the fields of a body the handler reads itself (multipart, or JSON as well): documented, not parsed here */
  form?: z.ZodType;
  /** content types of the answer (default application/json); several when the path picks one (Open311 .json/.xml) */
  produces?: string | readonly string[];
  /** answers besides the main one and the errors (e.g. 202 while a job still runs) */
  responses?: Record<number, ResponseDoc>;
  /** the route's own error statuses (e.g. 409), besides those every route may answer (openapi.ts) */
  errors?: readonly number[];
  /** errors in a body of the route's own (Open311 error arrays) instead of the API's error body */
  errorSchema?: z.ZodType;
  rateLimit?: RateLimitRule;
  /** honour the Idempotency-Key header (POSTs that create participation) */
  idempotent?: boolean;
  /** open to a staff account that must still change its temporary password (me, own password) */
  beforePasswordChange?: boolean;
}

export interface ResponseDoc {
  description: string;
  /** the JSON body (XML and binary answers are documented as strings) */
  schema?: z.ZodType;
}

export interface RouteInput<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  body: z.infer<B>;
  query: z.infer<Q>;
  params: z.infer<P>;
  auth: Principal | undefined;
  ctx: Context;
}

export interface RegisteredRoute {
  method: Method;
  path: string;
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
}

/** A staff write (POST/PUT/PATCH/DELETE) as it ended; observers (the audit log) must not throw. */
export interface StaffWrite {
  auth: StaffPrincipal;
  method: Method;
  /** the route pattern with its prefix, e.g. /api/v1/staff/:id */
  path: string;
  summary: string;
  params: Record<string, string>;
  /** the request body as sent (observers mask what they keep) */
  body: unknown;
  /** the object's fields before the write, when the route put them in ctx.state.auditBefore */
  before?: Record<string, unknown>;
  status: number;
  requestId: string | undefined;
}
const writeObservers: ((w: StaffWrite) => void)[] = [];

/** Registers a function told of every staff write, after it ended (the audit module's hook). */
export function observeStaffWrites(fn: (w: StaffWrite) => void): void {
  writeObservers.push(fn);
}

/** Every route defined through `route()`, for the OpenAPI document. */
export const registry: RegisteredRoute[] = [];

const empty = z.object({});

/**
 * Defines a route once: Koa handler plus OpenAPI entry from the same zod schemas. The handler
 * returns the JSON body (status from the spec) or sets ctx.body itself and returns undefined.
 */
export function route<B extends z.ZodType = typeof empty, Q extends z.ZodType = typeof empty, P extends z.ZodType = typeof empty>(
  router: Router,
  spec: RouteSpec<B, Q, P>,
  handler: (input: RouteInput<B, Q, P>) => Promise<unknown> | unknown,
): void {
  const prefix = (router as unknown as { opts: { prefix?: string } }).opts.prefix ?? '';
  registry.push({ method: spec.method, path: prefix + spec.path, spec: spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType> });
  const limiter = spec.rateLimit ? rateLimit(spec.rateLimit) : undefined;
  const fullPath = prefix + spec.path;
  const serve = async (ctx: Context): Promise<void> => {
    const auth = ctx.state.auth as Principal | undefined;
    if (limiter) await limiter(ctx, auth);
    authorize(auth, spec.access);
    if (auth?.kind === 'staff' && ctx.state.passwordChangeRequired && spec.access !== 'public' && !spec.beforePasswordChange) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', '请先修改临时密码，再进行其他操作');
    }
    const params = parse(spec.params ?? empty, ctx.params, '路径参数');
    const query = parse(spec.query ?? empty, ctx.query, '查询参数');
    if (spec.body && ctx.method !== 'GET' && ctx.method !== 'DELETE')
      requireContentType(ctx, typeof spec.consumes === 'string' ? [spec.consumes] : (spec.consumes ?? ['application/json']));
    const body = spec.body ? parse(spec.body, (ctx.request as { body?: unknown }).body ?? {}, '请求') : {};
    const input = { body, query, params, auth, ctx } as RouteInput<B, Q, P>;
    const status = spec.status ?? 200;
    const { status: sent, body: result } = spec.idempotent
      ? await idempotent(ctx, auth, status, async () => handler(input))
      : { status, body: await handler(input) };
    if (result !== undefined) {
      ctx.status = sent;
      ctx.body = result;
    } else if (ctx.body === undefined && ctx.status === 404) {
      ctx.status = spec.status ?? 204;
    }
  };
  router[spec.method](spec.path, async (ctx: Context) => {
    if (spec.method === 'get' || !writeObservers.length) return serve(ctx);
    let status = 500;
    try {
      await serve(ctx);
      status = ctx.status;
    } catch (err) {
      status = toAppError(err).status;
      throw err;
    } finally {
      // Read after the handler: a login or password change may have set the principal just now.
      const auth = ctx.state.auth as Principal | undefined;
      if (auth?.kind === 'staff') {
        const write: StaffWrite = {
          auth,
          method: spec.method,
          path: fullPath,
          summary: spec.summary,
          params: { ...ctx.params },
          body: (ctx.request as { body?: unknown }).body,
          before: ctx.state.auditBefore,
          status,
          requestId: ctx.state.requestId,
        };
        for (const fn of writeObservers) fn(write);
      }
    }
  });
}
