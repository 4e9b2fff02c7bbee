import { counterWriter } from '../../src/modules/counters/counter-writer';
import { Counter } from '../../src/modules/counters/stats.model';

/** Drops zeros and empty groups and sorts keys, so counters kept incrementally and rebuilt compare by value. */
function strip(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, strip(x)] as const).filter(([, x]) => x !== 0 && x !== undefined);
  return entries.length ? Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))) : undefined;
}

/** Every counter document (after pending increments land), stripped, keyed by _id: the rebuild must reproduce it exactly. */
export async function counterSnapshot(): Promise<Record<string, unknown>> {
  await counterWriter.flush();
  const docs = await Counter.find().lean<Array<{ _id: string; c: Record<string, unknown> }>>();
  return Object.fromEntries(docs.map((d) => [d._id, strip(d.c)] as const).filter(([, c]) => c !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
}
