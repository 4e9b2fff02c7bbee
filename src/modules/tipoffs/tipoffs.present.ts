import type { StaffPrincipal } from '../../core/auth';
import { isoLocal, now } from '../../core/time';
import { listCategories, listUnits } from '../catalog/catalog.service';
import { photoView } from '../media/media.service';
import { regionLabel } from '../regions/regions.service';
import { getResident } from '../residents/residents.service';
import type { Actor, HistoryEntry, TipoffDoc } from './tipoffs.model';
import { actionNames, statusNames, type HistoryAction, type TipoffStatus, type TipoffView } from './tipoffs.schema';
import { allowedActions, isOverdue } from './tipoffs.workflow';

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
const isOffice = (v: Viewer) => v.kind === 'staff' && v.staff.role !== 'unit';

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

export function presentTipoff(doc: TipoffDoc, viewer: Viewer, reporterNickname?: string): TipoffView {
  const view: TipoffView = {
    id: doc._id,
    status: doc.status as TipoffStatus,
    statusName: statusNames[doc.status as TipoffStatus],
    categoryCode: doc.categoryCode,
    categoryName: categoryName(doc.categoryCode),
    description: doc.description,
    location: { lat: doc.location.lat, lng: doc.location.lng, address: doc.location.address ?? null },
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
    overdue: isOverdue(doc, now()),
    possibleDuplicateOf: viewer.kind === 'staff' ? (doc.possibleDuplicateOf ?? null) : null,
    mergedInto: doc.mergedInto ?? null,
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

/** Presents several tip-offs; the office's view looks up named reporters' nicknames (point reads). */
export async function presentTipoffs(docs: TipoffDoc[], viewer: Viewer): Promise<TipoffView[]> {
  const nicknames = new Map<string, string>();
  if (isOffice(viewer)) {
    const ids = [...new Set(docs.filter((d) => d.reporterId && !d.anonymous).map((d) => d.reporterId!))];
    await Promise.all(ids.map(async (id) => nicknames.set(id, (await getResident(id).catch(() => undefined))?.nickname ?? '')));
  }
  return docs.map((d) => presentTipoff(d, viewer, d.reporterId ? nicknames.get(d.reporterId) : undefined));
}
