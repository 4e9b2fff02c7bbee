import type { StaffPrincipal } from '../../core/auth';
import { formatDue } from '../../core/format';
import { isoLocal, now } from '../../core/time';
import { listCategories, listUnits } from '../catalog/catalog.service';
import { photoView } from '../media/media.service';
import { placeNear, regionLabel } from '../regions/regions.service';
import { getResident } from '../residents/residents.service';
import { Tipoff, type Actor, type HistoryEntry, type TipoffDoc } from './tipoffs.model';
import {
  actionNames,
  requestNames,
  statusNames,
  type HistoryAction,
  type RequestKind,
  type TipoffStatus,
  type TipoffView,
} from './tipoffs.schema';
import { acceptDueFrom, allowedActions, isOverdue } from './tipoffs.workflow';

/**
 * Who is looking decides what is shown (privacy rules of docs/tipoffs.md):
 * - the reporter sees everything about their own tip-off, staff named only by office or unit;
 * - the office (office, admin) also sees a named reporter's nickname and id, never an anonymous one's;
 * - a unit sees neither the reporter nor whether the report was anonymous.
 */
export type Viewer = { kind: 'reporter' } | { kind: 'staff'; staff: StaffPrincipal };

const categoryName = (code: string) => listCategories().find((c) => c.code === code)?.name ?? code;
export const unitName = (code: string | null | undefined) => (code ? (listUnits().find((u) => u.code === code)?.name ?? code) : null);
const time = (d: Date | null | undefined) => (d ? isoLocal(d) : null);
const isOffice = (v: Viewer) => v.kind === 'staff' && (v.staff.role === 'office' || v.staff.role === 'admin');

function actorName(a: Actor, viewer: Viewer, anonymous: boolean): string {
  switch (a.kind) {
    case 'resident':
      return viewer.kind === 'reporter' ? '我' : anonymous ? '匿名居民' : '居民';
    case 'staff':
      if (viewer.kind === 'staff') return a.name ?? '工作人员';
      return a.role === 'unit' ? (unitName(a.unitCode) ?? '责任单位') : '文明办';
    case 'open311':
      return '城市系统（Open311）';
    default:
      return '系统';
  }
}

function presentEntry(e: HistoryEntry, viewer: Viewer, anonymous: boolean) {
  return {
    action: e.action,
    actionName: actionNames[e.action as HistoryAction] ?? e.action,
    from: e.from ?? null,
    to: e.to,
    at: isoLocal(e.at),
    note: e.note ?? null,
    actor: { kind: e.actor.kind as 'resident' | 'staff' | 'system' | 'open311', name: actorName(e.actor, viewer, anonymous) },
    unitCode: e.unitCode ?? null,
    unitName: unitName(e.unitCode),
    photos: (e.photos ?? []).map(photoView),
  };
}

const acceptHours = (code: string) => listCategories().find((c) => c.code === code)?.acceptHours ?? 24;

/** 受理时限 while submitted; the unit's deadline while it runs; nothing once rectified or finished. */
function due(doc: TipoffDoc, at: Date) {
  const acceptDue = doc.status === 'submitted' ? acceptDueFrom(doc.createdAt, acceptHours(doc.categoryCode)) : null;
  const running = acceptDue ?? (doc.status === 'accepted' || doc.status === 'assigned' ? (doc.deadlineAt ?? null) : null);
  return {
    acceptDueAt: time(acceptDue),
    acceptOverdue: Boolean(acceptDue && acceptDue.getTime() < at.getTime()),
    dueText: running ? formatDue(running, at) : null,
  };
}

function presentRequest(doc: TipoffDoc): TipoffView['request'] {
  const r = doc.request;
  if (!r) return null;
  const kind = r.kind as RequestKind;
  return {
    kind,
    kindName: requestNames[kind],
    reason: r.reason,
    deadlineAt: time(r.deadlineAt),
    at: isoLocal(r.at),
    unitCode: r.unitCode,
    unitName: unitName(r.unitCode) ?? r.unitCode,
  };
}

type Primary = Pick<TipoffDoc, '_id' | 'status'>;

export function presentTipoff(doc: TipoffDoc, viewer: Viewer, reporterNickname?: string, primary?: Primary): TipoffView {
  const at = now();
  const view: TipoffView = {
    id: doc._id,
    status: doc.status as TipoffStatus,
    statusName: statusNames[doc.status as TipoffStatus],
    categoryCode: doc.categoryCode,
    categoryName: categoryName(doc.categoryCode),
    description: doc.description,
    location: { lat: doc.location.lat, lng: doc.location.lng, address: doc.location.address ?? null, source: doc.location.source ?? null },
    place: spotOf(doc),
    regionCode: doc.regionCode ?? null,
    regionName: regionLabel(doc.regionCode),
    unitCode: doc.unitCode,
    unitName: unitName(doc.unitCode) ?? doc.unitCode,
    photos: doc.photos.map(photoView),
    afterPhotos: doc.afterPhotos.map(photoView),
    source: doc.source as 'resident' | 'open311',
    createdAt: isoLocal(doc.createdAt),
    updatedAt: isoLocal(doc.updatedAt),
    acceptedAt: time(doc.acceptedAt),
    deadlineAt: time(doc.deadlineAt),
    rectifiedAt: time(doc.rectifiedAt),
    closedAt: time(doc.closedAt),
    overdue: isOverdue(doc, at),
    ...due(doc, at),
    request: presentRequest(doc),
    possibleDuplicateOf: viewer.kind === 'staff' ? (doc.possibleDuplicateOf ?? null) : null,
    mergedInto: doc.mergedInto ?? null,
    follows: primary ? { id: primary._id, status: primary.status, statusName: statusNames[primary.status] } : null,
    history: doc.history.map((e) => presentEntry(e, viewer, doc.anonymous)),
  };
  if (viewer.kind === 'reporter' || isOffice(viewer)) view.anonymous = doc.anonymous;
  if (isOffice(viewer)) {
    view.reporter = doc.reporterId && !doc.anonymous ? { id: doc.reporterId, nickname: reporterNickname ?? '' } : null;
  }
  if (viewer.kind === 'staff') {
    view.mediaUrl = doc.externalMediaUrl ?? null;
    view.allowedActions = allowedActions(doc, viewer.staff);
  }
  return view;
}

/**
 * Presents several tip-offs; the office's view looks up named reporters' nicknames, and a merged
 * tip-off the status of the primary it follows (point reads).
 */
export async function presentTipoffs(docs: TipoffDoc[], viewer: Viewer): Promise<TipoffView[]> {
  const nicknames = new Map<string, string>();
  if (isOffice(viewer)) {
    const ids = [...new Set(docs.filter((d) => d.reporterId && !d.anonymous).map((d) => d.reporterId!))];
    await Promise.all(ids.map(async (id) => nicknames.set(id, (await getResident(id).catch(() => undefined))?.nickname ?? '')));
  }
  const primaries = new Map<string, Primary>();
  const wanted = [...new Set(docs.map((d) => d.mergedInto).filter((id): id is string => Boolean(id)))];
  await Promise.all(
    wanted.map(async (id) => {
      const p = await Tipoff.findById(id, { status: 1 }).lean<Primary>();
      if (p) primaries.set(id, p);
    }),
  );
  return docs.map((d) =>
    presentTipoff(
      d,
      viewer,
      d.reporterId ? nicknames.get(d.reporterId) : undefined,
      d.mergedInto ? primaries.get(d.mergedInto) : undefined,
    ),
  );
}

/** A chosen community's centre is not a spot, so only a located point gets a place and distance. */
function spotOf(doc: TipoffDoc): TipoffView['place'] {
  const { lat, lng, source } = doc.location;
  return lat != null && lng != null && !source ? (placeNear({ lat, lng }) ?? null) : null;
}
