import type { Context } from 'koa';
import type { AppError } from '../../core/errors';

/** Open311 names each repeated element after its list (services → service, …). */
const ITEM: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

// Characters XML 1.0 cannot carry at all, not even escaped. Input is cleaned when it arrives
// (core/text.ts); this keeps the feed well-formed for records stored before that, whatever they hold.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const escape = (s: string) =>
  s.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

function element(name: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => element(ITEM[name] ?? 'item', v)).join('')}</${name}>`;
  if (typeof value === 'object')
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  return `<${name}>${escape(String(value))}</${name}>`;
}

export type Open311Format = 'json' | 'xml';

/** Sends an Open311 body in the format the path's extension asked for (`.json` or `.xml`). */
export function sendOpen311(ctx: Context, root: string, body: unknown, status = 200): void {
  ctx.status = status;
  if (ctx.path.endsWith('.xml')) {
    ctx.type = 'text/xml; charset=utf-8';
    ctx.body = `<?xml version="1.0" encoding="utf-8"?>${element(root, body)}`;
  } else {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = body;
  }
}

/** An Open311 error array: one entry per invalid field when there are several. */
export function open311Errors(err: AppError): Array<{ code: number; description: string }> {
  const details = Array.isArray(err.details) ? (err.details as Array<{ path?: string; message?: string }>) : [];
  if (err.code === 'VALIDATION_FAILED' && details.length)
    return details.map((d) => ({ code: err.status, description: `${d.path ?? ''} ${d.message ?? ''}`.trim() }));
  return [{ code: err.status, description: err.message }];
}
