import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/core/db/embedded';
import { serviceEnv, withDb } from '../../scripts/bench/servers';
import { startNodeChild, stopProcess, ROOT, type Child } from '../../scripts/bench/processes';
import type { ApiResponse, RequestOptions, TestApp } from './app';
import { testEnv } from './env';

testEnv();
/* eslint-disable @typescript-eslint/no-require-imports */
// After the environment is set: config() reads the test values, the modules register their parts.
require('../../src/modules');
const { connectDatabase } = require('../../src/core/db') as typeof import('../../src/core/db');
const mongoose = require('mongoose') as typeof import('mongoose');

/**
 * Several service instances on one database, as a deployment behind a load balancer runs them:
 * separate Node processes (`node --import tsx src/main.ts`, as `npm start`), each on its own port,
 * all with the same MONGODB_URI (one database of the run's embedded server), DATA_DIR (photos,
 * briefs), secrets and first admin. The test process connects to the same database to read what
 * the instances stored. `cluster` sends each request to the next instance (round-robin);
 * `cluster.on(i)` talks to one instance only.
 *
 *   const cluster = useCluster({ instances: 3 });
 *   it('…', async () => { await residentSession(cluster.client); … });
 */
export interface ClusterOptions {
  instances: number;
  /** environment of every instance on top of the service's (e.g. jobs on, a schedule, limits at 1) */
  env?: Record<string, string>;
}

/** The HTTP half of TestApp: what the factories use, over one instance or round-robin. */
export type ApiClient = Pick<TestApp, 'baseUrl' | 'request' | 'get' | 'post' | 'patch' | 'del'>;

export interface Cluster {
  /** round-robin over every instance, request by request */
  client: TestApp;
  /** one instance's client */
  on(i: number): TestApp;
  instances: Child[];
  /** one instance's log (JSON lines at the LOG_LEVEL given) */
  log(i: number): string;
  /** stops every instance gracefully (SIGTERM: counters flushed, run markers removed); their logs go too */
  stop(): Promise<void>;
}

export const CLUSTER_ADMIN = { username: 'root', password: 'root-password-1' };
/** the same AES key on every instance: phone and ID numbers written by one are read by another */
const DATA_KEY = 'a1'.repeat(32);

function clientOf(urls: () => string): TestApp {
  async function request<T>(method: string, p: string, body?: unknown, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: BodyInit | undefined = opts.raw;
    if (payload === undefined && body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(urls() + p, { method, headers, body: payload, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  const api: ApiClient = {
    get baseUrl() {
      return urls();
    },
    request,
    get: (p, o) => request('GET', p, undefined, o),
    post: (p, b, o) => request('POST', p, b ?? {}, o),
    patch: (p, b, o) => request('PATCH', p, b ?? {}, o),
    del: (p, o) => request('DELETE', p, undefined, o),
  };
  // The factories take a TestApp and use only its HTTP methods; the in-process parts have no
  // meaning for a cluster and fail loudly if a test reaches for them.
  const absent = (what: string) => () => {
    throw new Error(`a cluster has no ${what}: it runs in other processes`);
  };
  return Object.assign(api, { flush: absent('flush()'), close: absent('close()') }) as unknown as TestApp;
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-cluster-'));
  const db = `t_cluster_${process.pid}_${Date.now().toString(36)}`;
  const base = process.env.WM_TEST_MONGO_URI!;
  await connectDatabase(withDb(base, db));
  const env = {
    ...serviceEnv(base, db, path.join(workDir, 'data')),
    ADMIN_USERNAME: CLUSTER_ADMIN.username,
    ADMIN_PASSWORD: CLUSTER_ADMIN.password,
    DATA_KEY,
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const ports = await Promise.all(Array.from({ length: opts.instances }, () => freePort()));
  const start = (i: number) =>
    startNodeChild(`instance-${i}`, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], ports[i]!, env, '/readyz', workDir);
  // The first instance alone loads the content into the new database, then the others start
  // together (their content sync and first-admin check race each other). Three first starts at
  // the same moment on FerretDB stalled two of them in content sync for minutes (docs/scale-out.md).
  const first = await start(0);
  const started = [
    { status: 'fulfilled', value: first } as const,
    ...(await Promise.allSettled(ports.slice(1).map((_, k) => start(k + 1)))),
  ];
  const instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(instances.map((c) => c.stop()));
    throw failed.reason;
  }
  let next = 0;
  const cluster: Cluster = {
    client: clientOf(() => instances[next++ % instances.length]!.url),
    on: (i) => clientOf(() => instances[i]!.url),
    instances,
    log: (i) => fs.readFileSync(path.join(workDir, `instance-${i}.log`), 'utf8'),
    async stop() {
      await Promise.all(instances.map((c) => stopProcess(c.proc)));
      // WM_KEEP_CLUSTER_LOGS=1 keeps the instances' logs (the work directory) to read after a failure.
      if (!process.env.WM_KEEP_CLUSTER_LOGS) fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/**
 * A cluster for a test file: started in beforeAll, stopped in afterAll with its database dropped.
 * Read it inside tests (it exists only once beforeAll ran).
 */
export function useCluster(opts: ClusterOptions): { readonly current: Cluster } {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(opts);
  }, 300_000);
  afterAll(async () => {
    await cluster?.stop();
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  }, 60_000);
  return {
    get current() {
      if (!cluster) throw new Error('useCluster: the cluster starts in beforeAll');
      return cluster;
    },
  };
}
