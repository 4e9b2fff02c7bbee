import crypto from 'node:crypto';
import os from 'node:os';
import { defineModel, type DocOf } from './db/model';
import { logger } from './logger';

/**
 * One document per running service process, deleted at a graceful stop: a document left behind
 * by a process that is gone means it stopped without flushing (SIGKILL, OOM, power), so the
 * caches it kept in memory (the statistics counters' unwritten deltas) may be short.
 */
export const ServiceRun = defineModel('ServiceRun', 'service_runs', {
  _id: String,
  host: { type: String, required: true },
  pid: { type: Number, required: true },
  startedAt: { type: Date, required: true },
  beatAt: { type: Date, required: true },
});
type RunDoc = DocOf<typeof ServiceRun>;

/** A live process refreshes its document this often; one silent for three beats is gone. */
export const BEAT_MS = 10_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a run is over. On this host its pid says so (a reused pid, as in a container where
 * the service is always pid 1, is caught because it is ours); elsewhere only its silence does.
 * `sole`: the database belongs to this process alone (the embedded one), so every other run is over.
 */
function isOver(run: RunDoc, self: string, sole: boolean): boolean {
  if (run._id === self) return false;
  if (sole) return true;
  if (run.host === os.hostname() && (run.pid === process.pid || !pidAlive(run.pid))) return true;
  return Date.now() - run.beatAt.getTime() > 3 * BEAT_MS;
}

export interface RunMarker {
  id: string;
  /** runs that ended without a graceful stop */
  uncleanRuns(): Promise<RunDoc[]>;
  /** forgets runs once what they may have left short is repaired (a crash before that repeats it) */
  settle(runs: RunDoc[]): Promise<void>;
  /** refreshes this run's document every BEAT_MS, so other instances can tell it is alive */
  beat(): void;
  /** the graceful stop: deletes this run's document */
  end(): Promise<void>;
}

/** Records this process as running (a unique _id insert) and returns its marker. */
export async function beginRun(opts: { sole: boolean }): Promise<RunMarker> {
  const id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  await ServiceRun.create({ _id: id, host: os.hostname(), pid: process.pid, startedAt: new Date(), beatAt: new Date() });
  let timer: NodeJS.Timeout | undefined;
  // A handful of documents (one per running instance): read whole, never a hot path.
  const uncleanRuns = async () => (await ServiceRun.find().lean<RunDoc[]>()).filter((r) => isOver(r, id, opts.sole));
  return {
    id,
    uncleanRuns,
    async settle(runs) {
      for (const r of runs) await ServiceRun.deleteOne({ _id: r._id });
    },
    beat() {
      timer = setInterval(() => {
        // Upserted: another instance may have taken this one for gone after a long freeze.
        const set = { $set: { beatAt: new Date() }, $setOnInsert: { host: os.hostname(), pid: process.pid, startedAt: new Date() } };
        ServiceRun.updateOne({ _id: id }, set, { upsert: true }).catch((err: unknown) =>
          logger.warn({ err }, 'service run heartbeat failed'),
        );
      }, BEAT_MS);
      timer.unref();
    },
    async end() {
      if (timer) clearInterval(timer);
      await ServiceRun.deleteOne({ _id: id });
    },
  };
}
