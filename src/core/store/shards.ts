import crypto from 'node:crypto';
import os from 'node:os';
import mongoose, { Schema } from 'mongoose';
import { logger } from '../logger';
import { claimOnce } from './claim';
import { readById } from './point';

/**
 * Shard leases: `_id` `<name>:<n>`, one per shard ever used, never deleted (readers sum the shards
 * they list here, so a shard's documents stay counted after its process is gone). A takeover of an
 * expired lease is a claim of `<name>:<n>@<epoch>`: exactly one process wins each epoch.
 */
const leaseSchema = new Schema(
  { _id: String, name: String, shard: Number, holder: String, until: Date, epoch: Number },
  { versionKey: false, strict: false },
);
export const ShardLease = mongoose.model('ShardLease', leaseSchema, 'counter_shards');
type LeaseDoc = { _id: string; name?: string; shard: number; holder: string; until: Date; epoch: number };

/** Shards a process looks at before giving up: far more service instances than one database serves. */
const MAX_SHARDS = 64;
/** How long other processes read the known-shard list from memory; a new shard is read within it. */
export const KNOWN_SHARDS_MS = 2000;

/**
 * Which counter shard this process writes. FerretDB applies `$inc` as read-modify-write, so two
 * processes incrementing one document lose updates; each process therefore writes its own shard
 * `<id>#<n>` (shard 0 is the plain id, so one instance reads and rebuilds exactly as before).
 *
 * The shard is a lease: the first free (or expired) number is claimed by a unique insert and
 * renewed every `leaseMs / 3`; a graceful stop releases it. A killed process's shard is taken over
 * after `leaseMs`. If a renewal finds the lease taken (this process stalled past it), the process
 * claims another shard at its next write. `fixed` pins a shard (tests, or an operator who numbers
 * instances); pinned shards are recorded too, so readers find them.
 */
export class ShardLeases {
  private mine: number | undefined;
  private claiming: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private knownCache: { at: number; shards: Promise<number[]> } | undefined;
  readonly holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;

  constructor(
    private readonly name: string,
    private readonly opts: { leaseMs?: number; fixed?: number } = {},
  ) {}

  private get leaseMs(): number {
    return this.opts.leaseMs ?? 30_000;
  }

  /** This process's shard, claiming one first when it has none. */
  current(): Promise<number> {
    if (this.mine !== undefined) return Promise.resolve(this.mine);
    this.claiming ??= this.claim().finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  /** Every shard that may hold documents (this process's included), read at most every KNOWN_SHARDS_MS. */
  async known(): Promise<number[]> {
    const t = Date.now();
    if (!this.knownCache || t - this.knownCache.at >= KNOWN_SHARDS_MS) {
      // A scan of a collection of a few documents (one per shard ever used).
      const shards = ShardLease.find({ name: this.name }, { shard: 1 })
        .lean<Pick<LeaseDoc, 'shard'>[]>()
        .then((docs) => docs.map((d) => d.shard));
      this.knownCache = { at: t, shards };
      shards.catch(() => (this.knownCache = undefined));
    }
    const shards = new Set(await this.knownCache.shards);
    shards.add(0);
    if (this.mine !== undefined) shards.add(this.mine);
    return [...shards].sort((a, b) => a - b);
  }

  /** Forgets the known-shard list (after a rebuild, or in tests). */
  forgetKnown(): void {
    this.knownCache = undefined;
  }

  startRenewing(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () => void this.renew().catch((err) => logger.warn({ err }, 'counter shard lease renewal failed')),
      this.leaseMs / 3,
    );
    this.timer.unref();
  }

  /** Ends the lease so the next process (this one restarted, usually) takes the shard at once. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const shard = this.mine;
    this.mine = undefined;
    if (shard === undefined || this.opts.fixed !== undefined) return;
    const doc = await readById<LeaseDoc>(ShardLease, this.leaseId(shard));
    if (doc?.holder === this.holder) await ShardLease.updateOne({ _id: doc._id }, { $set: { until: new Date(0) } });
  }

  private leaseId(shard: number): string {
    return `${this.name}:${shard}`;
  }

  private fresh(shard: number, epoch: number): LeaseDoc {
    return { _id: this.leaseId(shard), name: this.name, shard, holder: this.holder, until: new Date(Date.now() + this.leaseMs), epoch };
  }

  private async claim(): Promise<number> {
    const fixed = this.opts.fixed;
    if (fixed !== undefined) {
      await claimOnce(ShardLease, { ...this.fresh(fixed, 0), until: new Date(8.64e15) });
      this.knownCache = undefined;
      return (this.mine = fixed);
    }
    for (let shard = 0; shard < MAX_SHARDS; shard++) {
      if (await this.tryShard(shard)) {
        this.knownCache = undefined;
        this.startRenewing();
        logger.info({ shard, holder: this.holder }, 'counter shard claimed');
        return (this.mine = shard);
      }
    }
    throw new Error(`no free counter shard among ${MAX_SHARDS}`);
  }

  private async tryShard(shard: number): Promise<boolean> {
    if (await claimOnce(ShardLease, this.fresh(shard, 0))) return true;
    const doc = await readById<LeaseDoc>(ShardLease, this.leaseId(shard));
    if (!doc || doc.until.getTime() > Date.now()) return false;
    // Expired or released: one process wins the takeover of this epoch, then rewrites the lease alone.
    const epoch = (doc.epoch ?? 0) + 1;
    if (!(await claimOnce(ShardLease, { _id: `${doc._id}@${epoch}`, at: new Date(), holder: this.holder }))) return false;
    await ShardLease.updateOne({ _id: doc._id }, { $set: { holder: this.holder, until: new Date(Date.now() + this.leaseMs), epoch } });
    return true;
  }

  private async renew(): Promise<void> {
    const shard = this.mine;
    if (shard === undefined) return;
    const doc = await readById<LeaseDoc>(ShardLease, this.leaseId(shard));
    if (doc?.holder !== this.holder) {
      logger.error({ shard, holder: doc?.holder }, 'counter shard lease lost; claiming another at the next write');
      this.mine = undefined;
      return;
    }
    await ShardLease.updateOne({ _id: doc._id }, { $set: { until: new Date(Date.now() + this.leaseMs) } });
  }
}
