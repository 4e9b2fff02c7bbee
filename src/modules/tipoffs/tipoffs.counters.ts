import { dayKey } from '../../core/time';
import { counterWriter, regionKey, type Emit } from '../counters';
import { Tipoff } from './tipoffs.model';

/**
 * Tip-off figures as a counter of each tip-off's CURRENT state, filed under the day it was reported:
 * `tip:<region>:<year>` with, under c[<report day>],
 *   s.<status>|<category>|<unit>   tip-offs in that state
 *   t.<category>|<unit>            of the rectified/closed ones, those rectified by their deadline
 *   d.<category>|<unit>|<ms>       of the rectified/closed ones, report → rectification in ms (exact medians)
 *   o.<category>|<unit>|<deadline> of the assigned ones, their deadline in ms (overdue = deadline < now)
 * A transition removes the tip-off's old state and adds its new one; the rebuild adds every
 * tip-off's state once. Region is where the problem is (the tip-off's community, '-' if none).
 */
export const tipoffCounterId = (region: string, year: string) => `tip:${region}:${year}`;

/** The fields of a tip-off these counters read. */
export interface TipoffState {
  status: string;
  categoryCode: string;
  unitCode: string;
  regionCode?: string | null;
  createdAt: Date;
  deadlineAt?: Date | null;
  rectifiedAt?: Date | null;
}

export const RECTIFIED: readonly string[] = ['rectified', 'closed'];

export function tipoffEffects(t: TipoffState, sign: 1 | -1): Array<[string, string, number]> {
  const day = dayKey(t.createdAt);
  const id = tipoffCounterId(regionKey(t.regionCode), day.slice(0, 4));
  const out: Array<[string, string, number]> = [[id, `${day}.s.${t.status}|${t.categoryCode}|${t.unitCode}`, sign]];
  if (RECTIFIED.includes(t.status) && t.rectifiedAt) {
    if (t.deadlineAt && t.rectifiedAt.getTime() <= t.deadlineAt.getTime()) out.push([id, `${day}.t.${t.categoryCode}|${t.unitCode}`, sign]);
    out.push([id, `${day}.d.${t.categoryCode}|${t.unitCode}|${t.rectifiedAt.getTime() - t.createdAt.getTime()}`, sign]);
  }
  if (t.status === 'assigned' && t.deadlineAt) out.push([id, `${day}.o.${t.categoryCode}|${t.unitCode}|${t.deadlineAt.getTime()}`, sign]);
  return out;
}

/**
 * Call after a tip-off is stored (before = null) and after every stored transition. Deltas that
 * cancel (same key out and in) are still sent; they sum to nothing.
 */
export function countTipoffChange(before: TipoffState | null, after: TipoffState): void {
  const effects = [...(before ? tipoffEffects(before, -1) : []), ...tipoffEffects(after, 1)];
  for (const [id, f, d] of effects) counterWriter.inc(id, f, d);
}

/** Rebuild: every tip-off's current state. */
export async function tipoffCounterSource(emit: Emit): Promise<void> {
  const cursor = Tipoff.find({}, { status: 1, categoryCode: 1, unitCode: 1, regionCode: 1, createdAt: 1, deadlineAt: 1, rectifiedAt: 1 })
    .lean<TipoffState[]>()
    .cursor();
  for await (const t of cursor) for (const [id, f, d] of tipoffEffects(t, 1)) emit(id, f, d);
}
