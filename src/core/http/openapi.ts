import { z } from 'zod';
import { registry, type RegisteredRoute, type ResponseDoc } from './route';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  try {
    return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
  } catch {
    return {};
  }
}

function parametersOf(schema: z.ZodType | undefined, where: 'query' | 'path'): unknown[] {
  if (!schema || !(schema instanceof z.ZodObject)) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || !s.safeParse(undefined).success,
    schema: jsonSchema(s, 'input'),
  }));
}

const isJson = (type: string) => /[/+]json$/.test(type);

/** A body in each content type: JSON by its schema, XML and text as strings, the rest as binary. */
function content(types: readonly string[], schema: z.ZodType | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const type of types) {
    if (isJson(type)) out[type] = { schema: schema ? jsonSchema(schema, 'output') : {} };
    else if (type.startsWith('text/')) out[type] = { schema: { type: 'string' } };
    else out[type] = { schema: { type: 'string', format: 'binary' } };
  }
  return out;
}

const reasons: Record<number, string> = {
  400: '请求参数或内容无效',
  401: '未登录或登录凭证无效',
  403: '无权进行此操作',
  404: '资源不存在',
  409: '与当前状态冲突',
  413: '请求内容过大',
  414: '请求地址过长',
  415: '不支持的请求内容类型',
  429: '请求过于频繁',
  431: '请求头过大',
  500: '服务器内部错误',
  503: '数据库或所依赖的服务暂时不可用',
};

/**
 * The error statuses a route can answer: every route may meet an over-long address or header (414,
 * 431, answered before routing), a server fault or an unavailable database (500, 503); the rest follow
 * from what the route declares. A bad session token on a public route counts as none (no 401 there
 * unless the route declares it, e.g. photos, which need a session).
 */
function errorStatuses({ method, spec }: RegisteredRoute): number[] {
  const s = new Set<number>([414, 431, 500, 503, ...(spec.errors ?? [])]);
  if (spec.params || spec.query || spec.body || spec.consumes) s.add(400);
  if (spec.access !== 'public') [401, 403].forEach((x) => s.add(x));
  // What a path or a filter names (an id, a region, a unit) may not exist.
  if (spec.params || spec.query) s.add(404);
  // A write meets the state it changes: a duplicate, a closed survey, a status that forbids the action.
  if (method !== 'get') s.add(409);
  if (spec.body || spec.consumes) [413, 415].forEach((x) => s.add(x));
  if (spec.rateLimit) s.add(429);
  return [...s].sort((a, b) => a - b);
}

/** What the body's refusals say (core/http/body.ts, multipart.ts), by the content types the route takes. */
function bodyReasons(consumes: readonly string[]): Record<number, string> {
  const multipart = consumes.includes('multipart/form-data');
  return {
    400: `请求参数或内容无效：VALIDATION_FAILED 字段无效；INVALID_JSON 不是有效的 JSON；INVALID_ENCODING 压缩的请求体无法解压${multipart ? '；INVALID_MULTIPART 表单格式有误' : ''}`,
    413: 'PAYLOAD_TOO_LARGE 请求内容过大',
    415: `UNSUPPORTED_MEDIA_TYPE 请求内容类型须为 ${consumes.join(' 或 ')}；UNSUPPORTED_ENCODING 不支持的 Content-Encoding`,
  };
}

/** Statuses the HTTP server answers before any route's own error handling. */
const BEFORE_ROUTING = [414, 431];

function operation(r: RegisteredRoute): Record<string, unknown> {
  const { spec } = r;
  const produces = typeof spec.produces === 'string' ? [spec.produces] : (spec.produces ?? ['application/json']);
  const main: ResponseDoc = { description: 'OK', schema: spec.response };
  const responses: Record<string, unknown> = {};
  for (const [status, doc] of Object.entries({ [spec.status ?? 200]: main, ...(spec.responses ?? {}) })) {
    // A route without a response schema that answers JSON still has a body; 204 has none.
    const hasBody = status !== '204' && (doc.schema || spec.response || !isJson(produces[0]!));
    responses[status] = { description: doc.description, ...(hasBody ? { content: content(produces, doc.schema ?? spec.response) } : {}) };
  }
  // Errors use the API's error body, unless the route has its own (Open311), in its own formats;
  // those answered before any route runs (an over-long address or header) never do.
  const apiError = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  const routeError = spec.errorSchema ? content(produces, spec.errorSchema) : apiError;
  const consumes = typeof spec.consumes === 'string' ? [spec.consumes] : (spec.consumes ?? ['application/json']);
  const body = spec.body ?? spec.form;
  const said = body || spec.consumes ? { ...reasons, ...bodyReasons(consumes) } : reasons;
  for (const status of errorStatuses(r)) {
    responses[String(status)] ??= { description: said[status] ?? '错误', content: BEFORE_ROUTING.includes(status) ? apiError : routeError };
  }
  const op: Record<string, unknown> = {
    summary: spec.summary,
    tags: spec.tags,
    parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
    responses,
  };
  if (spec.access !== 'public') op.security = [{ bearer: [] }, { cookie: [] }];
  // Who may call it: public, resident, staff, or the staff roles listed (contract tests pick callers by it).
  op['x-access'] = spec.access;
  if (body || spec.consumes) {
    // A body whose every field is optional may be left out altogether (e.g. POST sessions/anonymous).
    const required = !body || !body.safeParse({}).success;
    op.requestBody = {
      required,
      content: Object.fromEntries(consumes.map((t) => [t, { schema: body ? jsonSchema(body, 'input') : { type: 'object' } }])),
    };
  }
  return op;
}

/** The OpenAPI 3 document, generated from the zod schemas that validate the requests. */
export function buildOpenApi(): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of registry) {
    // `\\:` is a literal colon in a route (e.g. `questions\\:import`), not a parameter.
    const p = r.path.replace(/(?<!\\):(\w+)/g, '{$1}').replace(/\\:/g, ':');
    (paths[p] ??= {})[r.method] = operation(r);
  }
  return {
    openapi: '3.0.3',
    info: { title: 'wenming 文明城市创建服务 API', version: '1' },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'wm_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
      },
    },
  };
}
