import crypto from 'node:crypto';
import type { Principal } from '../../core/auth';
import { AppError, invalid, isDuplicateKey, notFound } from '../../core/errors';
import { dayKey, now } from '../../core/time';
import { listCategories } from '../catalog/catalog.service';
import type { TipoffCategory } from '../catalog/catalog.schema';
import { attachMedia, requireOwnDrafts } from '../media/media.service';
import { CITY_RADIUS_METERS, distanceMeters, nearestCommunity, regionPath, requireCommunity } from '../regions/regions.service';
import { getResident } from '../residents/residents.service';
import { caseState, imageChecker, openCase, screenText } from '../moderation';
import { countTipoffChange } from './tipoffs.counters';
import { findNearbyDuplicates, indexForDuplicates } from './tipoffs.duplicates';
import { addToMine, indexForSearch, syncOpenIndex } from './tipoffs.lists';
import { Tipoff, type TipoffDoc } from './tipoffs.model';
import { presentTipoffs, type Viewer } from './tipoffs.present';
import type { LocationSource, SubmitTipoff, TipoffView } from './tipoffs.schema';
import { staffMaySee } from './tipoffs.workflow';

export type { TipoffDoc };

/** Who reports: a resident (H5, mini-program, bot) or a city system through Open311 (no person). */
export type ReporterRef = { kind: 'resident'; residentId: string } | { kind: 'open311'; client: string; mediaUrl?: string | null };

export const MAX_PHOTOS = 3;

const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** T<yymmdd><6 chars>: short enough to read out on the phone, unique by the _id insert. */
export function newTipoffId(at: Date): string {
  const bytes = crypto.randomBytes(6);
  return `T${dayKey(at).slice(2).replace(/-/g, '')}${Array.from(bytes, (b) => ID_ALPHABET[b % 32]).join('')}`;
}

function requireCategory(code: string): TipoffCategory {
  const c = listCategories().find((x) => x.code === code);
  if (!c) throw invalid(`问题类别 ${code} 不存在`, [{ path: 'categoryCode', message: '请选择问题类别' }]);
  if (c.disabled) throw invalid(`问题类别「${c.name}」已停用，请选择其他类别`, [{ path: 'categoryCode', message: '请选择问题类别' }]);
  return c;
}

/** The community the tip-off is in: the one given, else the nearest community centre in the city. */
export function locate(p: { lat: number; lng: number }, regionCode?: string): string {
  if (regionCode) return requireCommunity(regionCode).code;
  const c = nearestCommunity(p);
  if (!c?.center || distanceMeters(p, c.center) > CITY_RADIUS_METERS) {
    throw invalid('该位置不在本市范围内，请确认定位或手动选择社区', [{ path: 'lat', message: '位置不在本市范围内' }]);
  }
  return c.code;
}

async function insertTipoff(doc: TipoffDoc): Promise<TipoffDoc> {
  for (let attempt = 0; ; attempt++) {
    try {
      await Tipoff.create(doc);
      countTipoffChange(null, doc);
      return doc;
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= 3) throw err;
      doc._id = newTipoffId(doc.createdAt);
    }
  }
}

/**
 * What a new tip-off needs. Residents send coordinates (the HTTP schema requires them) or, in chat, a
 * chosen community; a city system may send only an address: then there is no point, and a community
 * only when its name matched.
 */
export type NewTipoff = Omit<SubmitTipoff, 'lat' | 'lng'> & { lat?: number; lng?: number };

/**
 * Records a new tip-off: category, place (community given or nearest; none for an unplaced city-system
 * report, left to triage), photos (a resident's own drafts, 1–3), possible duplicates nearby; then the
 * indexes that keep lists off whole-collection scans.
 */
type Place = { point: { lat: number; lng: number } | null; regionCode: string | null; source: LocationSource | null };

/**
 * Where a tip-off is. A point sent → its community. No point: a resident who chose a community in chat
 * gets that community's centre, marked `source: 'community'` so no one takes it for the spot; a city
 * system's address-only report stays unplaced (community only when its name matched).
 */
function placeOf(reporter: ReporterRef, input: NewTipoff): Place {
  if (input.lat !== undefined && input.lng !== undefined) {
    const point = { lat: input.lat, lng: input.lng };
    return { point, regionCode: locate(point, input.regionCode), source: null };
  }
  const community = input.regionCode ? requireCommunity(input.regionCode) : null;
  if (reporter.kind === 'open311') return { point: null, regionCode: community?.code ?? null, source: null };
  if (!community) throw invalid('请提供位置', [{ path: 'lat', message: '请定位' }]);
  return { point: community.center ?? null, regionCode: community.code, source: 'community' };
}

export async function submitTipoff(reporter: ReporterRef, input: NewTipoff): Promise<TipoffDoc> {
  const at = now();
  const category = requireCategory(input.categoryCode);
  const { point, regionCode, source } = placeOf(reporter, input);
  // A community centre is not the spot: near-duplicates by distance would pair unrelated reports.
  const exact = source === null ? point : null;
  const photoIds = [...new Set(input.photoIds ?? [])];
  let reporterRegionCode: string | null = null;
  if (reporter.kind === 'resident') {
    if (!photoIds.length) throw invalid('请至少上传 1 张现场照片', [{ path: 'photos', message: '请上传 1–3 张照片' }]);
    if (photoIds.length > MAX_PHOTOS)
      throw invalid(`最多上传 ${MAX_PHOTOS} 张照片`, [{ path: 'photos', message: `最多 ${MAX_PHOTOS} 张` }]);
    await requireOwnDrafts(photoIds, { kind: 'resident', id: reporter.residentId });
    reporterRegionCode = (await getResident(reporter.residentId)).regionCode ?? null;
  }
  const duplicates = exact ? await findNearbyDuplicates(category.code, exact, at) : [];
  // 内容安全 before the tip-off exists: flagged or photo-pending ones are stored hidden, never public first.
  const residentId = reporter.kind === 'resident' ? reporter.residentId : null;
  // the typed address (a landmark in chat) is public in Open311 too, so it is screened with the description
  const written = [input.description, input.address].filter(Boolean).join('\n');
  const screening = {
    verdict: await screenText(written, { kind: 'tipoff', residentId }),
    openid: await imageChecker(residentId),
    photos: photoIds,
  };
  const doc = {
    _id: newTipoffId(at),
    status: 'submitted',
    seq: 0,
    categoryCode: category.code,
    description: input.description,
    location: { lat: point?.lat ?? null, lng: point?.lng ?? null, address: input.address || null, source },
    regionCode,
    regionPath: regionCode ? regionPath(regionCode).map((r) => r.code) : [],
    unitCode: category.unitCode,
    photos: photoIds,
    afterPhotos: [],
    source: reporter.kind,
    reporterId: reporter.kind === 'resident' ? reporter.residentId : null,
    anonymous: reporter.kind === 'resident' ? input.anonymous : false,
    reporterRegionCode,
    open311Client: reporter.kind === 'open311' ? reporter.client : null,
    externalMediaUrl: reporter.kind === 'open311' ? (reporter.mediaUrl ?? null) : null,
    possibleDuplicateOf: duplicates[0] ?? null,
    duplicateCandidates: duplicates.slice(0, 10),
    mergedInto: null,
    moderation: caseState(screening),
    createdAt: at,
    updatedAt: at,
    acceptedAt: null,
    deadlineAt: null,
    rectifiedAt: null,
    closedAt: null,
    history: [
      {
        action: 'submit',
        from: null,
        to: 'submitted',
        at,
        actor: reporter.kind === 'resident' ? { kind: 'resident' } : { kind: 'open311', name: reporter.client },
        note: null,
        unitCode: null,
        photos: [],
      },
    ],
  } as unknown as TipoffDoc;
  await insertTipoff(doc);
  await attachMedia(photoIds, { kind: 'tipoff', id: doc._id });
  await Promise.all([
    syncOpenIndex(doc),
    doc.reporterId ? addToMine(doc.reporterId, doc._id) : undefined,
    exact ? indexForDuplicates(category.code, doc._id, exact, at) : undefined,
    indexForSearch(doc),
  ]);
  await openCase({
    kind: 'tipoff',
    ref: doc._id,
    residentId,
    text: input.address ? `${doc.description}\n（位置：${input.address}）` : doc.description,
    ...screening,
  });
  return doc;
}

export async function loadTipoff(id: string): Promise<TipoffDoc> {
  const doc = await Tipoff.findById(id).lean<TipoffDoc>();
  if (!doc) throw notFound('随手拍');
  return doc;
}

/** How this principal may look at the tip-off; 404 for anyone who may not (existence is not revealed). */
export function viewerFor(doc: TipoffDoc, who: Principal | undefined): Viewer {
  if (!who) throw new AppError('UNAUTHENTICATED', '请先登录');
  if (who.kind === 'resident') {
    if (doc.reporterId !== who.residentId) throw notFound('随手拍');
    return { kind: 'reporter' };
  }
  if (!staffMaySee(doc, who)) throw notFound('随手拍');
  return { kind: 'staff', staff: who };
}

export async function getTipoffView(id: string, who: Principal | undefined): Promise<TipoffView> {
  const doc = await loadTipoff(id);
  return (await presentTipoffs([doc], viewerFor(doc, who)))[0]!;
}

export async function presentFor(doc: TipoffDoc, who: Principal | undefined): Promise<TipoffView> {
  return (await presentTipoffs([doc], viewerFor(doc, who)))[0]!;
}

/** The photo rule: whoever may see the tip-off may see its photos. */
export async function mayViewTipoff(id: string, who: Principal): Promise<boolean> {
  const doc = await Tipoff.findById(id).lean<TipoffDoc>();
  if (!doc) return false;
  try {
    viewerFor(doc, who);
    return true;
  } catch {
    return false;
  }
}
