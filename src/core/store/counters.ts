import { logger } from '../logger';
import { bulkWriteInCommands, insertInCommands } from './bulk';
import { collectionOf, type StoredModel } from './collection';
import { readByIds } from './point';
import type { ShardLeases } from './shards';

type Deltas = Map<string, number>;
/** A counter document's values: numbers, nested by bucket (`2026-05-01.n`). */
export type CounterValues = Record<string, unknown>;

/** The document of counter `id` in `shard`: shard 0 is the plain id. */
export const shardDocId = (id: string, shard: number): string => (shard === 0 ? id : `${id}#${shard}`);
/** The counter a (possibly sharded) document belongs to. */
export const counterIdOf = (docId: string): string => docId.replace(/#\d+$/, '');

/** Adds `delta` at a dotted path, copying each object on the way (shared values are never modified). */
export function addAtPath(target: CounterValues, path: string, delta: number): void {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    node = (node[p] = next && typeof next === 'object' ? { ...(next as CounterValues) } : {}) as CounterValues;
  }
  const leaf = parts[parts.length - 1]!;
  node[leaf] = ((node[leaf] as number | undefined) ?? 0) + delta;
}

/** `into` plus every number of `from`, leaf by leaf (the sum of two shards). */
export function addValues(into: CounterValues, from: CounterValues): CounterValues {
  const out: CounterValues = { ...into };
  for (const [k, v] of Object.entries(from)) {
    if (typeof v === 'number') out[k] = ((out[k] as number | undefined) ?? 0) + v;
    else if (v && typeof v === 'object')
      out[k] = addValues(out[k] && typeof out[k] === 'object' ? (out[k] as CounterValues) : {}, v as CounterValues);
  }
  return out;
}

/**
 * Counters as documents `{_id, c}` of numbers, added to without races on an embedded FerretDB.
 *
 * - Batched: callers add deltas in memory; a flush (every second, on demand, at stop) sends them
 *   as `$inc` upserts in commands of STATEMENTS_PER_COMMAND, one flush at a time, so this process
 *   never races itself on a document (FerretDB updates are read-modify-write).
 * - Durable: what a failed command did not store is requeued for the next flush; `stop()` flushes
 *   and throws when it cannot, so the caller knows the run did not end cleanly (and rebuilds).
 * - Sharded: the process writes its own shard's documents (ShardLeases), so no two processes ever
 *   `$inc` one document; reads sum the known shards by point reads.
 * - Read-your-own-writes: `pendingFor` gives the deltas not yet stored, those of the batch on the
 *   wire included; `generation` moves when a write completes and `version` on every change, so
 *   caches built on counters know when to drop what they hold.
 */
export class CounterStore {
  private pending = new Map<string, Deltas>();
  /** the batch being written: still "unwritten" to readers until its write completes */
  private inflight = new Map<string, Deltas>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private written = 0;
  private changes = 0;

  constructor(
    private readonly model: StoredModel,
    readonly shards: ShardLeases,
  ) {}

  /** Counts completed writes, so a reader's cache knows when this process changed counters. */
  get generation(): number {
    return this.written;
  }

  /** Counts every change this process made (recorded or written): a figure computed at one version holds until the next. */
  get version(): number {
    return this.changes;
  }

  /** For caches built on counters: forget what they hold (after a rebuild replaced every counter). */
  touch(): void {
    this.changes++;
  }

  inc(id: string, field: string, delta = 1): void {
    if (delta === 0) return;
    this.changes++;
    let doc = this.pending.get(id);
    if (!doc) this.pending.set(id, (doc = new Map()));
    doc.set(field, (doc.get(field) ?? 0) + delta);
  }

  /**
   * Deltas of a counter not yet written, so a reader in this process sees its own writes — those
   * of the batch being written too: until its write completes a reader may still get the document
   * as it was (and its cache entry stays valid, the generation not having moved).
   */
  pendingFor(id: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const deltas of [this.inflight.get(id), this.pending.get(id)]) for (const [f, d] of deltas ?? []) out[f] = (out[f] ?? 0) + d;
    return out;
  }

  start(intervalMs = 1000): void {
    if (this.timer) return;
    // Claim the shard now, so the first write does not wait for it (a failure is retried by that write).
    void this.shards.current().catch((err) => logger.warn({ err }, 'counter shard claim failed'));
    this.timer = setInterval(() => void this.flush().catch((err) => logger.error({ err }, 'counter flush failed')), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes everything; throws when the last flush failed (nothing is lost silently). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    await this.shards.release().catch((err) => logger.warn({ err }, 'counter shard release failed'));
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.catch(() => undefined).then(() => this.writeBatch());
    return this.flushing;
  }

  /** Drops unwritten deltas (used by the rebuild, which recomputes everything). */
  discard(): void {
    this.pending.clear();
  }

  /** A counter's stored values: the sum of its documents in every known shard (point reads); {} when none. */
  async readStored(id: string): Promise<CounterValues> {
    const shards = await this.shards.known();
    const docs = await readByIds<{ c?: CounterValues }>(
      this.model,
      shards.map((s) => shardDocId(id, s)),
      { concurrency: shards.length },
    );
    let sum: CounterValues | undefined;
    for (const d of docs) if (d?.c) sum = sum ? addValues(sum, d.c) : d.c;
    return sum ?? {};
  }

  /** Every counter, shards summed (a scan: the nightly reconciliation, never a request). */
  async readAll(): Promise<Map<string, CounterValues>> {
    const out = new Map<string, CounterValues>();
    for await (const d of collectionOf(this.model).find({})) {
      const id = counterIdOf(d._id);
      out.set(id, addValues(out.get(id) ?? {}, (d.c as CounterValues | undefined) ?? {}));
    }
    return out;
  }

  /**
   * Replaces every counter with exact values (the rebuild): unwritten deltas are dropped, every
   * shard's documents deleted, and each counter written once, as its plain id (shard 0).
   */
  async replaceAll(counters: Map<string, CounterValues>, onProgress?: (done: number) => void): Promise<void> {
    await this.flush();
    this.discard();
    await collectionOf(this.model).deleteMany({});
    await insertInCommands(
      this.model,
      [...counters].map(([_id, c]) => ({ _id, c })),
      onProgress,
    );
    this.touch();
  }

  private async writeBatch(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.inflight = batch;
    try {
      await this.writeEntries([...batch]);
    } finally {
      this.inflight = new Map();
    }
  }

  private async writeEntries(entries: Array<[string, Deltas]>): Promise<void> {
    const requeue = (from: number) => {
      for (const [id, deltas] of entries.slice(from)) for (const [f, d] of deltas) this.inc(id, f, d);
    };
    let shard: number;
    try {
      shard = await this.shards.current();
    } catch (err) {
      requeue(0);
      throw err;
    }
    const ops = entries.map(([id, deltas]) => ({
      updateOne: {
        filter: { _id: shardDocId(id, shard) },
        update: { $inc: Object.fromEntries([...deltas].map(([f, d]) => [`c.${f}`, d])) },
        upsert: true,
      },
    }));
    await bulkWriteInCommands(this.model, ops, {
      onWritten: (from, to) => {
        for (const [id] of entries.slice(from, to)) this.inflight.delete(id); // stored now: readers get them from the document
        this.written++;
        this.changes++;
      },
      // Requeue what was not written so nothing is lost; the next flush retries it.
      onFailure: requeue,
    });
  }
}
