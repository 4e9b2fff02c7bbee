import { z } from 'zod';
import { line, text } from '../../core/text';

/*
 * GeoReport v2 as city systems send it: fields may be empty strings, lists are comma-separated,
 * dates are any ISO-8601 date or date-time. Parsing is lenient where the standard is, strict elsewhere.
 */

export const formatParams = z.object({ format: z.enum(['json', 'xml'], '格式只能是 json 或 xml') });
const serviceCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{2,40}$/, 'service_code 格式不正确');
/** Path ids are looked up, not validated: an id we never issued is 404, as Open311 clients expect. */
const lookupId = z.string().min(1).max(100);
export const serviceParams = formatParams.extend({ code: lookupId });
export const requestParams = formatParams.extend({ id: lookupId });
export const tokenParams = formatParams.extend({ token: lookupId });

/** An empty form field means "not given" (a bare `lat=` must not become 0). */
const blankAsMissing = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(s: T) => z.preprocess(blankAsMissing, s.optional());

/** `a,b,c` (or the parameter repeated) → a de-duplicated list. */
const commaList = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((v) => {
    const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(',') : [x]));
    const list = [...new Set(parts.map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '' && x !== undefined))];
    return list.length ? list : undefined;
  }, z.array(item).max(max).optional());

// Days that exist in their month, times in range: the documented pattern is exactly what the parser
// takes (only 02-29 of a year that is not a leap year passes, and counts as 03-01).
const MONTH_DAY = '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2\\d))';
const ISO = new RegExp(
  `^(\\d{4})-(${MONTH_DAY})(?:[Tt ]([01]\\d|2[0-3]):([0-5]\\d)(?::([0-5]\\d)(\\.\\d{1,9})?)?([Zz]|[+-](?:[01]\\d|2[0-3]):?[0-5]\\d)?)?$`,
);

/**
 * Any ISO-8601 date or date-time. Without an offset it is local time (Asia/Shanghai, +08:00); a bare
 * date is that whole day: its start for start_date, its last millisecond for end_date.
 */
export function parseOpen311Date(s: string, edge: 'start' | 'end'): Date | undefined {
  const m = ISO.exec(s);
  if (!m) return undefined;
  const [, y, monthDay, h, mi, sec, frac, zone] = m;
  let offset = zone ?? '+08:00';
  if (offset.toUpperCase() === 'Z') offset = 'Z';
  else if (!offset.includes(':')) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = frac ? frac.slice(1, 4).padEnd(3, '0') : '000';
  const time = h ? `${h}:${mi}:${sec ?? '00'}.${ms}` : edge === 'start' ? '00:00:00.000' : '23:59:59.999';
  const date = new Date(`${y}-${monthDay}T${time}${offset}`);
  if (!Number.isNaN(date.getTime())) return date;
  // Date refuses 02-29 of a common year outright: take it as the day after 02-28.
  return new Date(new Date(`${y}-02-28T${time}${offset}`).getTime() + 86400_000);
}

const date = (edge: 'start' | 'end') =>
  z
    .string()
    .max(40)
    .regex(ISO, '须为 ISO-8601 日期或时间，如 2026-03-01 或 2026-03-01T08:00:00+08:00')
    .transform((s, ctx) => {
      const d = parseOpen311Date(s, edge);
      if (!d) ctx.addIssue({ code: 'custom', message: '须为 ISO-8601 日期或时间，如 2026-03-01 或 2026-03-01T08:00:00+08:00' });
      return d ?? z.NEVER;
    });

/** The api_key may come in the form body or the query string (GeoReport v2 allows either). */
export const open311KeyQuerySchema = z.object({ api_key: optional(z.string().max(200)), jurisdiction_id: optional(z.string().max(100)) });

/**
 * POST requests (form-encoded). A place is lat+long, or an address_string / address_id alone (placed
 * by community name when possible, otherwise by the office). Personal fields (email, name, phone,
 * device_id) are accepted and not kept.
 */
export const open311PostSchema = z
  .object({
    api_key: optional(z.string().max(200)),
    jurisdiction_id: optional(z.string().max(100)),
    service_code: serviceCode,
    lat: optional(z.coerce.number().min(-90).max(90)),
    long: optional(z.coerce.number().min(-180).max(180)),
    address_string: optional(line(200)),
    address_id: optional(line(100)),
    description: optional(text(4000, '描述最多 4000 个字符')),
    media_url: optional(z.url({ protocol: /^https?$/, message: 'media_url 须为 http(s) 地址' }).max(500)),
  })
  .superRefine((v, ctx) => {
    const hasLat = v.lat !== undefined;
    const hasLong = v.long !== undefined;
    if (hasLat !== hasLong) ctx.addIssue({ code: 'custom', path: [hasLat ? 'long' : 'lat'], message: 'lat 与 long 须同时提供' });
    else if (!hasLat && !v.address_string && !v.address_id)
      ctx.addIssue({ code: 'custom', path: ['lat'], message: '须提供 lat 与 long，或 address_string，或 address_id' });
  });
export type Open311Post = z.infer<typeof open311PostSchema>;

export const open311Statuses = ['open', 'closed'] as const;

export const open311QuerySchema = z.object({
  jurisdiction_id: optional(z.string().max(100)),
  /** ids we never issued are simply not found (the list has those that exist) */
  service_request_id: commaList(z.string().max(100), 100),
  service_code: commaList(serviceCode, 50),
  start_date: date('start').optional(),
  end_date: date('end').optional(),
  status: commaList(z.enum(open311Statuses, 'status 只能是 open 或 closed'), 2),
});
export type Open311Query = z.infer<typeof open311QuerySchema>;

/* What Open311 answers (documented in the OpenAPI document; XML carries the same fields). */
export const open311ServiceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.literal('realtime'),
  keywords: z.string(),
  group: z.string().nullable(),
});
export const open311ServiceDefinitionSchema = z.object({ service_code: z.string(), attributes: z.array(z.unknown()) });
export const open311RequestSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(open311Statuses),
  status_notes: z.string(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string(),
  address_id: z.string(),
  zipcode: z.string(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string(),
});
export const open311CreatedSchema = z.array(
  z.object({ service_request_id: z.string(), token: z.string(), service_notice: z.string(), account_id: z.null() }),
);
export const open311TokenSchema = z.array(z.object({ service_request_id: z.string(), token: z.string() }));
export const open311DiscoverySchema = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({ specification: z.string(), url: z.string(), changeset: z.string(), type: z.string(), formats: z.array(z.string()) }),
  ),
});
/** Open311 errors: an array, one entry per problem. */
export const open311ErrorsSchema = z.array(z.object({ code: z.number().int(), description: z.string() }));
