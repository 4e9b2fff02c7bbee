import { AsyncLocalStorage } from 'node:async_hooks';
import { addAtPath, POINT_READ_CONCURRENCY, type CounterValues } from '../../core/store';
import { counterIds } from './counter-keys';
import { counterWriter } from './counter-writer';

export type { CounterValues };

/** Counters read in flight at once (each is one point read per known shard). */
const CONCURRENCY = POINT_READ_CONCURRENCY;

const requestCache = new AsyncLocalStorage<Map<string, Promise<CounterValues>>>();

/** Runs fn with one read per counter document however many figures need it (one request, one report). */
export function withCounterCache<T>(fn: () => Promise<T>): Promise<T> {
  return requestCache.getStore() ? fn() : requestCache.run(new Map(), fn);
}

/**
 * Counter documents read recently, shared by concurrent requests of this process: valid until this
 * process writes counters again, and at most CACHE_MS old (other processes' writes show up then).
 * A document up to STALE_MS old is still served while one read refreshes it, so requests do not
 * queue behind the refresh every CACHE_MS.
 */
export const CACHE_MS = 2000;
export const STALE_MS = 3 * CACHE_MS;
interface Cached {
  at: number;
  generation: number;
  doc: Promise<CounterValues>;
  refreshing?: boolean;
}
const recent = new Map<string, Cached>();

function fetchStored(id: string, generation: number, at: number): Cached {
  const entry: Cached = {
    at,
    generation,
    doc: counterWriter.readStored(id),
  };
  entry.doc.catch(() => recent.get(id) === entry && recent.delete(id));
  return entry;
}

function readStored(id: string): Promise<CounterValues> {
  const t = Date.now();
  const generation = counterWriter.generation;
  const hit = recent.get(id);
  if (hit && hit.generation === generation) {
    if (t - hit.at < CACHE_MS) return hit.doc;
    if (t - hit.at < STALE_MS) {
      if (!hit.refreshing) {
        hit.refreshing = true;
        const next = fetchStored(id, generation, t);
        next.doc.then(
          () => recent.get(id) === hit && recent.set(id, next),
          () => void (hit.refreshing = false),
        );
      }
      return hit.doc;
    }
  }
  if (recent.size > 20_000) recent.clear();
  const entry = fetchStored(id, generation, t);
  recent.set(id, entry);
  return entry.doc;
}

/** The stored document plus this process's unwritten deltas (a request sees what it just recorded). */
async function readOne(id: string): Promise<CounterValues> {
  const stored = await readStored(id);
  const pending = Object.entries(counterWriter.pendingFor(id));
  if (!pending.length) return stored; // shared: readers never modify what they read
  const c = { ...stored };
  for (const [field, delta] of pending) addAtPath(c, field, delta); // copies each object on its path
  return c;
}

/**
 * One counter document as stored now (no cache) plus this process's unwritten deltas: for a
 * feature's own totals shown right after they changed (a resident's points, a survey's results).
 */
export async function readCounterNow(id: string): Promise<CounterValues> {
  const c = structuredClone(((await counterWriter.readStored(id)) as CounterValues | undefined) ?? {});
  for (const [field, delta] of Object.entries(counterWriter.pendingFor(id))) addAtPath(c, field, delta);
  return c;
}

/** Every stored counter, its shards summed (the nightly reconciliation compares them with a rebuild). */
export async function listCounterDocs(): Promise<Array<{ _id: string; c: CounterValues }>> {
  return [...(await counterWriter.readAll())].map(([id, c]) => ({ _id: id, c: c as CounterValues }));
}

/** Forgets cached documents (after the rebuild rewrote every counter). */
export function clearCounterCache(): void {
  recent.clear();
  counterWriter.shards.forgetKnown();
  counterWriter.touch();
}

/**
 * Reads counters by point reads (their documents in every known shard, summed: the store's
 * CounterStore.readStored), a bounded number in parallel, each plus this process's unwritten deltas so a request sees what
 * this process just recorded. Missing documents read as {}.
 */
export async function readCounters(ids: Iterable<string>): Promise<Map<string, CounterValues>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, CounterValues>();
  const cache = requestCache.getStore();
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const id = unique[next++]!;
      let read = cache?.get(id);
      if (!read) {
        read = readOne(id);
        cache?.set(id, read);
      }
      out.set(id, await read);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, worker));
  return out;
}

export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const sub = (v: unknown): CounterValues => (v && typeof v === 'object' ? (v as CounterValues) : {});

/** First and last day with source records, from the `span` counter. */
export async function campaignSpan(): Promise<{ first: string | null; last: string | null }> {
  const c = (await readCounters([counterIds.span()])).get(counterIds.span())!;
  const days = Object.keys(c)
    .filter((d) => num(c[d]) > 0)
    .sort();
  return { first: days[0] ?? null, last: days[days.length - 1] ?? null };
}
