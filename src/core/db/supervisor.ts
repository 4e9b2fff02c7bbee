import mongoose from 'mongoose';
import { logger } from '../logger';
import type { EmbeddedServer } from './embedded';

/** up: started and answering; down: exited or killed, being restarted; stopped: stop() was called. */
export type SupervisedState = 'up' | 'down' | 'stopped';

export interface SupervisorOptions {
  /** starts one server on the same data and port each time (the caller fixes both) */
  start: () => Promise<EmbeddedServer>;
  /** answers whether the server at `uri` replies to a ping within `timeoutMs`; default: a `ping` command */
  probe?: (uri: string, timeoutMs: number) => Promise<boolean>;
  probeEveryMs?: number;
  probeTimeoutMs?: number;
  /** a running server that answered no probe for this long is hung (e.g. SIGSTOP): killed and restarted */
  stallMs?: number;
  /** waits before successive restart attempts; the last one repeats */
  backoffMs?: number[];
  /** this many restarts in a row that failed (or died before `stableMs`) make the process unhealthy */
  unhealthyAfter?: number;
  stableMs?: number;
}

export interface SupervisedServer {
  uri: string;
  kind: EmbeddedServer['kind'];
  /** the pid of the server running now */
  readonly pid: number;
  readonly state: SupervisedState;
  /** false once restarts keep failing: the process cannot heal itself, so /healthz asks to be restarted */
  readonly healthy: boolean;
  readonly restarts: number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** One short-lived client per probe: a ping over a fresh connection, so a stale pool never lies. */
async function pingProbe(uri: string, timeoutMs: number): Promise<boolean> {
  const client = new mongoose.mongo.MongoClient(uri, {
    directConnection: true,
    maxPoolSize: 1,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    monitorCommands: false,
  });
  const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  try {
    return await Promise.race([
      client
        .db('admin')
        .command({ ping: 1 })
        .then(() => true),
      timer,
    ]);
  } catch {
    return false;
  } finally {
    void client.close(true).catch(() => undefined);
  }
}

/**
 * Keeps the embedded server running: an exit is logged at error level and the server restarted on
 * the same data and port with backoff; a server that stops answering (stopped, deadlocked) for
 * `stallMs` is killed and restarted the same way. The driver reconnects by itself once the port
 * answers again. The first start is not retried: failing it fails the service's start-up.
 */
export async function superviseEmbeddedServer(opts: SupervisorOptions): Promise<SupervisedServer> {
  const probe = opts.probe ?? pingProbe;
  const probeEveryMs = opts.probeEveryMs ?? 1_000;
  const probeTimeoutMs = opts.probeTimeoutMs ?? 1_500;
  const stallMs = opts.stallMs ?? 15_000;
  const backoff = opts.backoffMs ?? [200, 500, 1_000, 2_000, 5_000, 10_000];
  const unhealthyAfter = opts.unhealthyAfter ?? 5;
  const stableMs = opts.stableMs ?? 30_000;

  let current = await opts.start();
  let state: SupervisedState = 'up';
  let upSince = Date.now();
  let lastAnswer = Date.now();
  let failures = 0;
  let restarts = 0;

  const watch = (server: EmbeddedServer) => {
    void server.exited.then(({ code, signal }) => {
      if (state === 'stopped' || server !== current) return;
      if (Date.now() - upSince < stableMs) failures++;
      else failures = 0;
      state = 'down';
      logger.error({ pid: server.pid, code, signal, failures }, 'embedded database exited; restarting it');
      void restart();
    });
  };

  const restart = async () => {
    for (let attempt = 0; state === 'down'; attempt++) {
      await sleep(backoff[Math.min(attempt, backoff.length - 1)]!);
      if (state !== 'down') return;
      try {
        const next = await opts.start();
        if (state !== 'down') return void (await next.stop()); // stop() came meanwhile
        current = next;
        state = 'up';
        upSince = lastAnswer = Date.now();
        restarts++;
        logger.warn({ pid: next.pid, attempt: attempt + 1, restarts }, 'embedded database restarted');
        watch(next);
        return;
      } catch (err) {
        failures++;
        logger.error({ err, attempt: attempt + 1, failures }, 'embedded database restart failed');
      }
    }
  };

  const watchdog = async () => {
    while (state !== 'stopped') {
      await sleep(probeEveryMs);
      if (state !== 'up') continue;
      const server = current;
      if (await probe(server.uri, probeTimeoutMs)) {
        lastAnswer = Date.now();
        if (Date.now() - upSince >= stableMs) failures = 0;
      } else if (state === 'up' && server === current && Date.now() - lastAnswer > stallMs) {
        logger.error(
          { pid: server.pid, silentMs: Date.now() - lastAnswer },
          'embedded database stopped answering; killing it to restart it',
        );
        try {
          process.kill(server.pid, 'SIGKILL'); // the exit handler restarts it
        } catch {
          /* already gone: its exit is on the way */
        }
        lastAnswer = Date.now();
      }
    }
  };
  watch(current);
  void watchdog();

  return {
    uri: current.uri,
    kind: current.kind,
    get pid() {
      return current.pid;
    },
    get state() {
      return state;
    },
    get healthy() {
      return state !== 'down' || failures < unhealthyAfter;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      state = 'stopped';
      await current.stop();
    },
  };
}
