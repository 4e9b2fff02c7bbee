import mongoose from 'mongoose';

/** A page of documents and the cursor of the next one (null on the last page). */
export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

type Dated = { _id: string } & Record<string, unknown>;

/** `<ms>_<id>`: the sort key and the tie-breaking _id of the last row shown. */
const CURSOR = /^(\d{1,16})_(.{1,200})$/;

export function parseKeysetCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  const m = cursor?.match(CURSOR);
  return m ? { at: new Date(Number(m[1])), id: m[2]! } : undefined;
}

/**
 * Newest first by a date field, ties broken by _id, `limit` rows after `cursor`. Keyset rather than
 * skip: a page is as cheap as the first and rows written meanwhile never shift the next page. The
 * filter is the caller's (validated values only). On FerretDB this scans the collection (only
 * `{_id}` is pushed down), so it serves console pages over bounded collections, not hot paths.
 */
export async function keysetPage<T extends Dated>(
  // A mongoose model, so filters keep its casting and sanitizeFilter (client values stay values).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model: the page's rows are typed by T
  model: mongoose.Model<any, any, any, any, any, any>,
  q: { filter?: Record<string, unknown>; by: string; limit: number; cursor?: string },
): Promise<KeysetPage<T>> {
  const filter: Record<string, unknown> = { ...(q.filter ?? {}) };
  const after = parseKeysetCursor(q.cursor);
  if (after) {
    // Operators built here from the parsed cursor, never from client JSON: trusted past sanitizeFilter.
    filter.$or = [{ [q.by]: mongoose.trusted({ $lt: after.at }) }, { [q.by]: after.at, _id: mongoose.trusted({ $lt: after.id }) }];
  }
  const docs = (await model
    .find(filter)
    .sort({ [q.by]: -1, _id: -1 })
    .limit(q.limit + 1)
    .lean()) as T[];
  const items = docs.slice(0, q.limit);
  const last = items[items.length - 1];
  const key = last?.[q.by];
  return { items, nextCursor: docs.length > q.limit && key instanceof Date ? `${key.getTime()}_${last!._id}` : null };
}
