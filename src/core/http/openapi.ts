import { z } from 'zod';
import { registry, type RouteSpec } from './route';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  try {
    return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
  } catch {
    return {};
  }
}

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** The refusals of the body itself, the same for every route that reads one (core/http/body.ts, multipart.ts). */
function bodyErrors(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): Record<string, unknown> {
  if (!spec.body && !spec.consumes) return {};
  const multipart = spec.consumes === 'multipart/form-data';
  return {
    '400': error(multipart ? 'VALIDATION_FAILED 字段无效；INVALID_MULTIPART 表单格式有误' : 'VALIDATION_FAILED 字段无效；INVALID_JSON 不是有效的 JSON；INVALID_ENCODING 压缩的请求体无法解压'),
    '413': error('PAYLOAD_TOO_LARGE 请求内容过大'),
    '415': error(`UNSUPPORTED_MEDIA_TYPE 请求内容类型须为 ${spec.consumes ?? 'application/json'}；UNSUPPORTED_ENCODING 不支持的 Content-Encoding`),
  };
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

/** The OpenAPI 3 document, generated from the zod schemas that validate the requests. */
export function buildOpenApi(): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, spec } of registry) {
    // `\\:` is a literal colon in a route (e.g. `questions\\:import`), not a parameter.
    const p = path.replace(/(?<!\\):(\w+)/g, '{$1}').replace(/\\:/g, ':');
    const op: Record<string, unknown> = {
      summary: spec.summary,
      tags: spec.tags,
      parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
      responses: {
        [String(spec.status ?? 200)]: {
          description: 'OK',
          ...(spec.response ? { content: { [spec.produces ?? 'application/json']: { schema: jsonSchema(spec.response, 'output') } } } : {}),
        },
        ...bodyErrors(spec),
        default: error('错误（404 NOT_FOUND、405 METHOD_NOT_ALLOWED、414 URI_TOO_LONG、431 HEADERS_TOO_LARGE 等，均为 JSON）'),
      },
    };
    if (spec.access !== 'public') op.security = [{ bearer: [] }, { cookie: [] }];
    if (spec.body) op.requestBody = { required: true, content: { [spec.consumes ?? 'application/json']: { schema: jsonSchema(spec.body, 'input') } } };
    else if (spec.consumes) op.requestBody = { required: true, content: { [spec.consumes]: { schema: { type: 'object' } } } };
    (paths[p] ??= {})[method] = op;
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
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}
