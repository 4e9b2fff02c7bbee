import { logger } from '../../core/logger';
import { Counter } from './stats.model';

type Deltas = Map<string, number>;

/**
 * Update statements per command. FerretDB 1.24 (SQLite) holds one pooled connection per statement
 * of an update command until the command ends: a command of 100 or more upserts waits forever for
 * its own connections (measured: 99 pass, 100 hang). So flush in small commands.
 */
export const WRITE_CHUNK = 50;

/**
 * The one serialized writer of counters in this process. Callers add deltas in memory; a flush
 * (at least every second, on demand and at shutdown) sends them as batched `$inc` upserts, one
 * flush at a time, so this process never races itself on a counter document (FerretDB updates are
 * read-modify-write). Counters are caches: `npm run stats:rebuild` recomputes them exactly.
 */
class CounterWriter {
  private pending = new Map<string, Deltas>();
  /** the batch being written: still "unwritten" to readers until its write completes */
  private inflight = new Map<string, Deltas>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private written = 0;
  private changes = 0;

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
   * Deltas of a document not yet written, so a reader in this process sees its own writes — those
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
    this.timer = setInterval(() => void this.flush().catch((err) => logger.error({ err }, 'counter flush failed')), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.catch(() => undefined).then(() => this.writeBatch());
    return this.flushing;
  }

  /** Drops unwritten deltas (used by the rebuild, which recomputes everything). */
  discard(): void {
    this.pending.clear();
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
    for (let i = 0; i < entries.length; i += WRITE_CHUNK) {
      const chunk = entries.slice(i, i + WRITE_CHUNK);
      const ops = chunk.map(([id, deltas]) => ({
        updateOne: {
          filter: { _id: id },
          update: { $inc: Object.fromEntries([...deltas].map(([f, d]) => [`c.${f}`, d])) },
          upsert: true,
        },
      }));
      try {
        await Counter.bulkWrite(ops, { ordered: false });
        for (const [id] of chunk) this.inflight.delete(id); // stored now: readers get them from the document
        this.written++;
        this.changes++;
      } catch (err) {
        // Requeue what was not written so nothing is lost; the next flush retries it.
        for (const [id, deltas] of entries.slice(i)) for (const [f, d] of deltas) this.inc(id, f, d);
        throw err;
      }
    }
  }
}

export const counterWriter = new CounterWriter();
