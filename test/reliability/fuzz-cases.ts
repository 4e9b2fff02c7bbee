/**
 * Generates hostile requests for an OpenAPI operation: bad path and query values, bodies of the
 * wrong types, query-operator objects ({"$gt": ""}, $where, $ne), prototype-pollution keys
 * (__proto__, constructor.prototype), oversized and deeply nested bodies, broken JSON and wrong
 * content types. Deterministic for a given seed.
 */
export interface Operation {
  method: string;
  /** OpenAPI path, `/api/v1/x/{id}` */
  path: string;
  pathParams: string[];
  queryParams: Array<{ name: string; type?: string }>;
  bodyType?: string;
  bodyProps: Array<{ name: string; type?: string }>;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** what the request is, for failure messages */
  label: string;
}

type Schema = { type?: string; properties?: Record<string, Schema>; anyOf?: Schema[]; oneOf?: Schema[] };
type Spec = {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Array<{ name: string; in: string; schema?: Schema }>; requestBody?: { content: Record<string, { schema?: Schema }> } }
    >
  >;
};

const typeOf = (s: Schema | undefined): string | undefined => s?.type ?? s?.anyOf?.[0]?.type ?? s?.oneOf?.[0]?.type;

export function operationsOf(spec: Spec): Operation[] {
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const params = op.parameters ?? [];
      const [bodyType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      return {
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, type: typeOf(p.schema) })),
        bodyType,
        bodyProps: Object.entries(media?.schema?.properties ?? {}).map(([name, s]) => ({ name, type: typeOf(s) })),
      };
    }),
  );
}

/** mulberry32 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const deep = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

/** Values that must never be taken as query operators or change an object's prototype. */
export const INJECTIONS: unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000) || true' },
  { $regex: '.*' },
  { $in: ['a', 'b'] },
  { $expr: { $gt: ['$a', 0] } },
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  { constructor: { prototype: { polluted: 'yes' } } },
];

/** Values of the wrong type for a declared type. */
function wrongValues(type: string | undefined): unknown[] {
  const all: unknown[] = [null, true, 0, -1, 1e308, 'x', '', [], {}, ['a'], { a: 1 }, 'x'.repeat(20_000), deep(50)];
  switch (type) {
    case 'string':
      return all.filter((v) => typeof v !== 'string');
    case 'number':
    case 'integer':
      return [...all.filter((v) => typeof v !== 'number'), 'NaN', '1e999', 1.5, -0, Number.MAX_SAFE_INTEGER * 4];
    case 'boolean':
      return [...all.filter((v) => typeof v !== 'boolean'), 'true', 1];
    case 'array':
      return [...all.filter((v) => !Array.isArray(v)), Array.from({ length: 5000 }, () => 'a'), [null, {}, []]];
    default:
      return all;
  }
}

const PATH_VALUES = [
  '{"$gt":""}',
  '$where',
  '__proto__',
  'constructor',
  'prototype',
  '../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  'a'.repeat(5000),
  '%00',
  '测试',
  '-1',
  '0',
  'null',
  'undefined',
  "' OR '1'='1",
  '000000000000000000000000',
  '😀',
  '%E0%A4%A',
  '[object Object]',
];

const QUERY_VALUES = ['{"$gt":""}', '-1', '1e999', 'NaN', 'a'.repeat(5000), '__proto__', '', '2026-13-45', '%00', '测试'];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function fillPath(op: Operation, rand: () => number, hostile: boolean): string {
  let p = op.path;
  for (const name of op.pathParams) {
    const v = hostile ? pick(rand, PATH_VALUES) : 'x0000000000000000000000x';
    // values with % are sent already encoded (malformed escapes on purpose)
    p = p.replace(`{${name}}`, v.includes('%') ? v : encodeURIComponent(v));
  }
  return p;
}

function query(op: Operation, rand: () => number): string {
  const parts: string[] = [];
  for (const q of op.queryParams) {
    const v = pick(rand, QUERY_VALUES);
    parts.push(`${encodeURIComponent(q.name)}=${v.includes('%') ? v : encodeURIComponent(v)}`);
    if (rand() < 0.3) parts.push(`${encodeURIComponent(q.name)}=${encodeURIComponent(v)}`); // repeated: becomes an array
    if (rand() < 0.3) parts.push(`${encodeURIComponent(q.name)}[$gt]=`);
  }
  parts.push(pick(rand, ['__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'limit=-5', 'cursor={"$gt":""}', 'limit=100000']));
  return parts.join('&');
}

/** A JSON body with one property made hostile, or a hostile whole body. */
function jsonBody(op: Operation, rand: () => number): { body: string; label: string } {
  const roll = rand();
  if (op.bodyProps.length && roll < 0.6) {
    const base: Record<string, unknown> = {};
    for (const p of op.bodyProps)
      base[p.name] =
        p.type === 'number' || p.type === 'integer'
          ? 1
          : p.type === 'boolean'
            ? true
            : p.type === 'array'
              ? []
              : p.type === 'object'
                ? {}
                : 'x';
    const prop = pick(rand, op.bodyProps);
    const value = rand() < 0.5 ? pick(rand, INJECTIONS) : pick(rand, wrongValues(prop.type));
    base[prop.name] = value;
    // JSON.stringify drops a literal __proto__ key set via assignment; build it as text instead.
    const text = JSON.stringify(base).replace(
      /^\{/,
      rand() < 0.3 ? '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' : '{',
    );
    return { body: text.replace(/,}$/, '}'), label: `body.${prop.name} = ${JSON.stringify(value)?.slice(0, 60)}` };
  }
  const whole = pick(rand, WHOLE_BODIES);
  return { body: whole, label: `body ${whole.slice(0, 60)}` };
}

/** Whole bodies that are not the expected object: other JSON values, broken JSON, 300 KB, 5000 levels deep. */
const WHOLE_BODIES = [
  '[]',
  '"string"',
  '42',
  'null',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"$where":"sleep(1000)"}',
  '{"$gt":""}',
  '['.repeat(5000) + '"x"' + ']'.repeat(5000),
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '\u0000',
  JSON.stringify({ big: 'x'.repeat(300_000) }),
];

function multipartGarbage(rand: () => number): { body: Buffer; contentType: string; label: string } {
  const boundary = 'fuzzBoundary' + Math.floor(rand() * 1e9);
  const variants = [
    `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nnot a jpeg\r\n--${boundary}--\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="categoryCode"\r\n\r\n{"$gt":""}\r\n--${boundary}\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\npolluted\r\n--${boundary}--\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="lat"\r\n\r\nNaN\r\n--${boundary}\r\nContent-Disposition: form-data; name="lng"\r\n\r\n1e999\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="../../x.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n${'A'.repeat(2000)}\r\n--${boundary}--\r\n`,
    `--wrong\r\n\r\n`,
  ];
  const i = Math.floor(rand() * variants.length);
  return {
    body: Buffer.from(variants[i]!, 'binary'),
    contentType: `multipart/form-data; boundary=${boundary}`,
    label: `multipart variant ${i}`,
  };
}

/** One hostile request for an operation. */
export function hostileRequest(op: Operation, rand: () => number): FuzzRequest {
  const hostilePath = op.pathParams.length > 0 && rand() < 0.5;
  const path = fillPath(op, rand, hostilePath) + (op.queryParams.length || rand() < 0.2 ? `?${query(op, rand)}` : '');
  const headers: Record<string, string> = {};
  const label = `${op.method} ${op.path}${hostilePath ? ' (hostile path)' : ''}`;
  if (op.method === 'GET' || op.method === 'DELETE') return { method: op.method, path, headers, label: `${label} ?query` };
  if (op.bodyType?.startsWith('multipart/') && rand() < 0.7) {
    const m = multipartGarbage(rand);
    return { method: op.method, path, headers: { 'content-type': m.contentType }, body: m.body, label: `${label} ${m.label}` };
  }
  const roll = rand();
  const { body, label: what } = jsonBody(op, rand);
  headers['content-type'] =
    roll < 0.85
      ? 'application/json'
      : pick(rand, [
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
          'multipart/form-data',
        ]);
  return { method: op.method, path, headers, body, label: `${label} [${headers['content-type']}] ${what}` };
}
