import { trusted } from 'mongoose';
import { dayKey } from '../../core/time';
import { readByIds } from '../../core/store';
import { distanceMeters } from '../regions/regions.service';
import { TipoffCell, type CellDoc } from './tipoffs.model';
import { serialized } from './tipoffs.serial';

/** A new tip-off of the same category this close, this soon after an earlier one, may repeat it. */
export const DUPLICATE_METERS = 50;
export const DUPLICATE_WINDOW_MS = 24 * 3600_000;

// Cells of 0.005° latitude (~555 m) by 0.006° longitude (~520 m at 30° N): a 50 m circle usually
// lies in one cell, so a check is 2 point reads (today, yesterday), at most 8 near a corner.
const CELL_LAT = 0.005;
const CELL_LNG = 0.006;
const MARGIN_LAT = 60 / 111_320;

interface Point {
  lat: number;
  lng: number;
}

const cellOf = (lat: number, lng: number) => [Math.floor(lng / CELL_LNG), Math.floor(lat / CELL_LAT)] as const;
const cellId = (category: string, cx: number, cy: number, day: string) => `${category}:${cx}:${cy}:${day}`;

/** The cells a circle of ~60 m around the point touches (its bounding box). */
function cellsAround(p: Point): Array<readonly [number, number]> {
  const marginLng = MARGIN_LAT / Math.max(Math.cos((p.lat * Math.PI) / 180), 0.2);
  const [x0, y0] = cellOf(p.lat - MARGIN_LAT, p.lng - marginLng);
  const [x1, y1] = cellOf(p.lat + MARGIN_LAT, p.lng + marginLng);
  const out: Array<readonly [number, number]> = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([x, y]);
  return out;
}

/** Earlier tip-offs of the category within 50 m and 24 h, nearest first (point reads only). */
export async function findNearbyDuplicates(category: string, p: Point, at: Date): Promise<string[]> {
  const days = [...new Set([dayKey(new Date(at.getTime() - DUPLICATE_WINDOW_MS)), dayKey(at)])];
  const ids = cellsAround(p).flatMap(([x, y]) => days.map((d) => cellId(category, x, y, d)));
  const docs = await readByIds<CellDoc>(TipoffCell, ids);
  const hits = docs
    .flatMap((d) => d?.items ?? [])
    .filter((i) => i.at && at.getTime() - i.at.getTime() <= DUPLICATE_WINDOW_MS && at.getTime() >= i.at.getTime())
    .map((i) => ({ id: i.id!, d: distanceMeters(p, { lat: i.lat!, lng: i.lng! }) }))
    .filter((h) => h.d <= DUPLICATE_METERS)
    .sort((a, b) => a.d - b.d);
  return [...new Set(hits.map((h) => h.id))];
}

/** Adds a tip-off to its cell of the day, for the checks of later ones. */
export async function indexForDuplicates(category: string, id: string, p: Point, at: Date): Promise<void> {
  const [x, y] = cellOf(p.lat, p.lng);
  const day = dayKey(at);
  const _id = cellId(category, x, y, day);
  await serialized(`cell:${_id}`, () =>
    TipoffCell.updateOne({ _id }, { $push: { items: { id, lat: p.lat, lng: p.lng, at } }, $setOnInsert: { day } }, { upsert: true }),
  );
}

/** Cells older than the window are never read again (a job prunes them). */
export async function pruneDuplicateCells(before: string): Promise<number> {
  const stale = await TipoffCell.find({ day: trusted({ $lt: before }) }, { _id: 1 }).lean<{ _id: string }[]>();
  await Promise.all(stale.map((c) => TipoffCell.deleteOne({ _id: c._id })));
  return stale.length;
}
