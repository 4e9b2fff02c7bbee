import crypto from 'node:crypto';
import { trusted } from 'mongoose';
import { config } from '../../config';
import { AppError, notFound } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { readExisting } from '../../core/store';
import { activeCategories, listCategories } from '../catalog/catalog.service';
import { communityNamedIn, regionLabel } from '../regions/regions.service';
import { OpenTipoff, Tipoff, type TipoffDoc } from './tipoffs.model';
import { unitName } from './tipoffs.present';
import { statusNames, tipoffIdSchema, type TipoffStatus } from './tipoffs.schema';
import { submitTipoff } from './tipoffs.service';
import { isActive } from './tipoffs.workflow';
import { open311Statuses, type Open311Post, type Open311Query } from './open311.schema';

/**
 * Open311 GeoReport v2 over the same tip-offs: categories are services, tip-offs are service
 * requests. Open311 has two statuses: every unfinished tip-off is "open", the rest "closed".
 * Requests carry no reporter and no resident photos (those are for the reporter and staff only).
 */
const digest = (s: string) => crypto.createHash('sha256').update(s).digest();

/** The client behind an api_key (`key1`, `key2` … by position in OPEN311_API_KEYS); 403 otherwise. */
export function open311Client(apiKey: string | undefined): string {
  // No key is as forbidden as a wrong one (GeoReport v2: 403 for a missing or invalid api_key).
  if (!apiKey) throw new AppError('FORBIDDEN', '缺少 api_key');
  const keys = config().OPEN311_API_KEYS;
  const given = digest(apiKey ?? '');
  const index = keys.findIndex((k) => crypto.timingSafeEqual(digest(k), given));
  if (index < 0) throw new AppError('FORBIDDEN', 'api_key 无效');
  return `key${index + 1}`;
}

export function open311Services() {
  return activeCategories().map((c) => ({
    service_code: c.code,
    service_name: c.name,
    description: `${c.name}（责任单位：${unitName(c.unitCode)}，整改时限 ${c.deadlineHours} 小时）`,
    metadata: false,
    type: 'realtime',
    keywords: c.name,
    group: unitName(c.unitCode),
  }));
}

export function open311ServiceDefinition(code: string) {
  if (!listCategories().some((c) => c.code === code)) throw notFound(`服务 ${code} `);
  return { service_code: code, attributes: [] };
}

function statusNotes(doc: TipoffDoc): string {
  const last = doc.history[doc.history.length - 1];
  return last?.note ? `${statusNames[doc.status as TipoffStatus]}：${last.note}` : statusNames[doc.status as TipoffStatus];
}

/** A community-placed tip-off names its community (and the resident's landmark) instead of a point. */
function open311Address(doc: TipoffDoc): string {
  if (doc.location.source !== 'community') return doc.location.address ?? '';
  return [doc.location.address, regionLabel(doc.regionCode)].filter(Boolean).join('，');
}

export function toOpen311Request(doc: TipoffDoc) {
  const approximate = doc.location.source === 'community';
  return {
    service_request_id: doc._id,
    status: isActive(doc.status) ? 'open' : 'closed',
    status_notes: statusNotes(doc),
    service_name: listCategories().find((c) => c.code === doc.categoryCode)?.name ?? doc.categoryCode,
    service_code: doc.categoryCode,
    description: doc.description,
    agency_responsible: unitName(doc.unitCode),
    service_notice: '',
    requested_datetime: isoLocal(doc.createdAt),
    updated_datetime: isoLocal(doc.updatedAt),
    expected_datetime: doc.deadlineAt ? isoLocal(doc.deadlineAt) : null,
    address: open311Address(doc),
    address_id: '',
    zipcode: '',
    // null when a city system sent only an address and no one has placed it on the map, and when the
    // point is only the centre of a community chosen in chat: GeoReport has no "approximate" flag
    lat: approximate ? null : (doc.location.lat ?? null),
    long: approximate ? null : (doc.location.lng ?? null),
    media_url: doc.externalMediaUrl ?? '',
  };
}

/** Where an address-only report is: the community its address_id or address_string names, if any. */
function communityOf(form: Open311Post): string | undefined {
  for (const text of [form.address_id, form.address_string]) {
    const c = text ? communityNamedIn(text) : undefined;
    if (c) return c.code;
  }
  return undefined;
}

/**
 * A city system's report. Without lat/long it is stored unlocated: in the community its address
 * names, or in none, for the office to place at triage (accept/assign with regionCode).
 */
export async function submitOpen311(form: Open311Post, apiKey: string | undefined) {
  const client = open311Client(apiKey);
  if (!listCategories().some((c) => c.code === form.service_code)) throw notFound(`服务 ${form.service_code} `);
  const located = form.lat !== undefined && form.long !== undefined;
  const address = form.address_string ?? (form.address_id ? `地址编号 ${form.address_id}` : undefined);
  const doc = await submitTipoff(
    { kind: 'open311', client, mediaUrl: form.media_url ?? null },
    {
      categoryCode: form.service_code,
      description: form.description || '（城市系统未填写描述）',
      ...(located ? { lat: form.lat, lng: form.long } : { regionCode: communityOf(form) }),
      address,
      anonymous: false,
    },
  );
  // Requests are created at once, so the token is the request's id (tokens/{token} answers it).
  return [{ service_request_id: doc._id, token: doc._id, service_notice: '', account_id: null }];
}

const isTipoffId = (id: string) => tipoffIdSchema.safeParse(id).success;

/** 内容安全: a tip-off held, pending or rejected by moderation is not in the public feed. */
const isPublic = (d: TipoffDoc | null): d is TipoffDoc => Boolean(d && !d.moderation);

async function findRequest(id: string): Promise<TipoffDoc | null> {
  const doc = isTipoffId(id) ? await Tipoff.findById(id).lean<TipoffDoc>() : null;
  return isPublic(doc) ? doc : null;
}

export async function getOpen311Request(id: string) {
  const doc = await findRequest(id);
  if (!doc) throw notFound(`服务请求 ${id} `);
  return [toOpen311Request(doc)];
}

/** GET tokens/{token}: the request a token became (here at once, the token being the id). */
export async function getOpen311Token(token: string) {
  const doc = await findRequest(token);
  if (!doc || doc.source !== 'open311') throw notFound(`令牌 ${token} `);
  return [{ service_request_id: doc._id, token }];
}

/** The discovery document: this endpoint, its formats and where to ask for a key. */
export function open311Discovery(baseUrl: string) {
  return {
    changeset: DISCOVERY_CHANGESET,
    contact: '请联系本市文明办获取 api_key',
    key_service: '请联系本市文明办获取 api_key',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${baseUrl}/open311/v2`,
        changeset: DISCOVERY_CHANGESET,
        type: 'production',
        formats: ['application/json', 'text/xml'],
      },
    ],
  };
}
/** When this endpoint's behaviour last changed (discovery's changeset). */
const DISCOVERY_CHANGESET = '2026-12-07T00:00:00+08:00';

const MAX_RESULTS = 1000;
const DEFAULT_WINDOW_DAYS = 90;
const CLOSED: readonly TipoffStatus[] = ['closed', 'rejected', 'merged'];

/** GET requests: by ids (point reads), open ones (the bounded queue), or a date window (newest first). */
export async function listOpen311Requests(q: Open311Query) {
  if (q.service_request_id) {
    const docs = await Promise.all(q.service_request_id.map(findRequest));
    return docs.filter((d): d is TipoffDoc => Boolean(d)).map(toOpen311Request);
  }
  const end = q.end_date ?? now();
  const start = q.start_date ?? new Date(end.getTime() - DEFAULT_WINDOW_DAYS * 86400_000);
  const codes = q.service_code;
  const statuses = new Set(q.status ?? open311Statuses);
  const wanted = (d: TipoffDoc) =>
    d.createdAt >= start &&
    d.createdAt <= end &&
    (!codes || codes.includes(d.categoryCode)) &&
    statuses.has(isActive(d.status) ? 'open' : 'closed');
  let docs: TipoffDoc[];
  if (statuses.size === 1 && statuses.has('open')) {
    const filter = codes?.length === 1 ? { categoryCode: codes[0] } : {};
    const open = await OpenTipoff.find(filter, { _id: 1 }).lean<{ _id: string }[]>();
    docs = await readExisting<TipoffDoc>(
      Tipoff,
      open.map((o) => o._id),
    );
  } else {
    // Operators are built here from parsed values, never taken from the client.
    const filter: Record<string, unknown> = { createdAt: trusted({ $gte: start, $lte: end }) };
    if (codes?.length === 1) filter.categoryCode = codes[0];
    else if (codes) filter.categoryCode = trusted({ $in: codes });
    if (statuses.size === 1) filter.status = trusted({ $in: [...CLOSED] });
    docs = await Tipoff.find(filter).sort({ createdAt: -1 }).limit(MAX_RESULTS).lean<TipoffDoc[]>();
  }
  return docs
    .filter(isPublic)
    .filter(wanted)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .slice(0, MAX_RESULTS)
    .map(toOpen311Request);
}
