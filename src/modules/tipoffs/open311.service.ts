import crypto from 'node:crypto';
import { trusted } from 'mongoose';
import { config } from '../../config';
import { AppError, notFound } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { listCategories } from '../catalog/catalog.service';
import { OpenTipoff, Tipoff, type TipoffDoc } from './tipoffs.model';
import { unitName } from './tipoffs.present';
import { statusNames, type TipoffStatus } from './tipoffs.schema';
import { submitTipoff } from './tipoffs.service';
import { isActive } from './tipoffs.workflow';
import type { Open311Post, Open311Query } from './open311.schema';

/**
 * Open311 GeoReport v2 over the same tip-offs: categories are services, tip-offs are service
 * requests. Open311 has two statuses: every unfinished tip-off is "open", the rest "closed".
 * Requests carry no reporter and no resident photos (those are for the reporter and staff only).
 */
const digest = (s: string) => crypto.createHash('sha256').update(s).digest();

/** The client behind an api_key (`key1`, `key2` … by position in OPEN311_API_KEYS); 403 otherwise. */
export function open311Client(apiKey: string | undefined): string {
  if (!apiKey) throw new AppError('VALIDATION_FAILED', '缺少 api_key', [{ path: 'api_key', message: '缺少 api_key' }]);
  const keys = config().OPEN311_API_KEYS;
  const given = digest(apiKey ?? '');
  const index = keys.findIndex((k) => crypto.timingSafeEqual(digest(k), given));
  if (index < 0) throw new AppError('FORBIDDEN', 'api_key 无效');
  return `key${index + 1}`;
}

export function open311Services() {
  return listCategories().map((c) => ({
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

export function toOpen311Request(doc: TipoffDoc) {
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
    address: doc.location.address ?? '',
    address_id: '',
    zipcode: '',
    lat: doc.location.lat,
    long: doc.location.lng,
    media_url: doc.externalMediaUrl ?? '',
  };
}

export async function submitOpen311(form: Open311Post) {
  const client = open311Client(form.api_key);
  if (!listCategories().some((c) => c.code === form.service_code)) throw notFound(`服务 ${form.service_code} `);
  const doc = await submitTipoff(
    { kind: 'open311', client, mediaUrl: form.media_url ?? null },
    { categoryCode: form.service_code, description: form.description ?? '（城市系统未填写描述）', lat: form.lat, lng: form.long, address: form.address_string, anonymous: false },
  );
  return [{ service_request_id: doc._id, service_notice: '', account_id: null }];
}

export async function getOpen311Request(id: string) {
  const doc = await Tipoff.findById(id).lean<TipoffDoc>();
  if (!doc) throw notFound(`服务请求 ${id} `);
  return [toOpen311Request(doc)];
}

const MAX_RESULTS = 1000;
const DEFAULT_WINDOW_DAYS = 90;

/** GET requests: by ids (point reads), open ones (the bounded queue), or a date window (newest first). */
export async function listOpen311Requests(q: Open311Query) {
  if (q.service_request_id) {
    const docs = await Promise.all(q.service_request_id.map((id) => Tipoff.findById(id).lean<TipoffDoc>()));
    return docs.filter((d): d is TipoffDoc => Boolean(d)).map(toOpen311Request);
  }
  const end = q.end_date ?? now();
  const start = q.start_date ?? new Date(end.getTime() - DEFAULT_WINDOW_DAYS * 86400_000);
  const inWindow = (d: TipoffDoc) => d.createdAt >= start && d.createdAt <= end && (!q.service_code || d.categoryCode === q.service_code);
  let docs: TipoffDoc[];
  if (q.status === 'open') {
    const open = await OpenTipoff.find(q.service_code ? { categoryCode: q.service_code } : {}, { _id: 1 }).lean<{ _id: string }[]>();
    docs = (await Promise.all(open.map((o) => Tipoff.findById(o._id).lean<TipoffDoc>()))).filter((d): d is TipoffDoc => Boolean(d));
  } else {
    const filter: Record<string, unknown> = { createdAt: trusted({ $gte: start, $lte: end }) };
    if (q.service_code) filter.categoryCode = q.service_code;
    if (q.status === 'closed') filter.status = trusted({ $in: ['closed', 'rejected', 'merged'] });
    docs = await Tipoff.find(filter).sort({ createdAt: -1 }).limit(MAX_RESULTS).lean<TipoffDoc[]>();
  }
  return docs
    .filter(inWindow)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .slice(0, MAX_RESULTS)
    .map(toOpen311Request);
}
