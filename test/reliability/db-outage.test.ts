import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setConfig } from '../../src/config';
import { superviseDatabase } from '../../src/core/db';
import { freePort, startEmbeddedServer } from '../../src/core/db/embedded';
import type { SupervisedServer } from '../../src/core/db/supervisor';
import { logger } from '../../src/core/logger';
import { startTestApp, type TestApp } from '../harness/app';
import { writeFindings } from './artifacts';
import { FULL, sizes, timeoutMs } from './sizes';

/**
 * The embedded database killed (SIGKILL) and frozen (SIGSTOP past the request deadline) under a
 * steady load of writes, with nobody but the service's own supervisor to bring it back: no 2xx for
 * a write that was not stored, no 500, no request outliving its deadline, /readyz 503 while it is
 * down, writes back within 5 s of it being up again, and /healthz 503 only when restarts keep
 * failing. This file runs its own supervised server on a temporary folder.
 */
const ROOT = path.resolve(__dirname, '../..');
const RECOVERY_LIMIT_MS = 5_000;
/** the request deadline here: short in the reduced run, the production default in the full one */
const DEADLINE_MS = FULL ? 10_000 : 2_000;
/** how long a silent server is tolerated before the supervisor kills it: past the deadline */
const STALL_MS = FULL ? 15_000 : 4_000;
/** what "answered by the deadline" allows for the answer itself on two busy cores */
const DEADLINE_SLACK_MS = 1_500;

let dataDir: string;
let supervisor: SupervisedServer;
let app: TestApp;
/** flipped by the "restarts keep failing" scenario: the supervisor's start then fails */
let failStarts = false;
const errorLogs: string[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-outage-db-'));
  const port = await freePort();
  const start = () =>
    failStarts ? Promise.reject(new Error('启动失败（测试注入）')) : startEmbeddedServer({ rootDir: ROOT, dataDir, port });
  supervisor = await superviseDatabase({
    rootDir: ROOT,
    dataDir,
    port,
    start,
    probeEveryMs: 250,
    stallMs: STALL_MS,
    backoffMs: [100, 200, 400],
    unhealthyAfter: 3,
    stableMs: 2_000,
  });
  process.env.WM_TEST_MONGO_URI = supervisor.uri;
  app = await startTestApp();
  setConfig({ REQUEST_DEADLINE_MS: DEADLINE_MS });
  const original = logger.error.bind(logger);
  jest.spyOn(logger, 'error').mockImplementation(((obj: unknown, msg?: string) => {
    errorLogs.push(typeof obj === 'string' ? obj : (msg ?? ''));
    return original(obj as object, msg);
  }) as typeof logger.error);
}, 120_000);

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await supervisor?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Write {
  /** when the response came, relative to the test's clock */
  at: number;
  ms: number;
  status: number;
  /** proves the record is stored (run after the database is back) */
  verify?: () => Promise<boolean>;
}

const t0 = Date.now();
const now = () => Date.now() - t0;
const writes: Write[] = [];

/** One write of a participation-shaped record through the API: a new resident's session. */
async function write(): Promise<Write> {
  const start = Date.now();
  try {
    const res = await fetch(`${app.baseUrl}/api/v1/sessions/anonymous`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const body = (await res.json()) as { token?: string };
    const verify = body.token ? async () => (await app.get('/api/v1/me', { token: body.token })).status === 200 : undefined;
    return { at: now(), ms: Date.now() - start, status: res.status, verify };
  } catch {
    return { at: now(), ms: Date.now() - start, status: 0 };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function until(cond: () => boolean, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (!cond() && Date.now() < end) await sleep(25);
  return cond();
}

/** Probes /readyz and /healthz every 200 ms while the server is not up. */
async function probeWhileDown(limitMs: number): Promise<{ readyz: number[]; healthz: number[] }> {
  const readyz: number[] = [];
  const healthz: number[] = [];
  const end = Date.now() + limitMs;
  while (supervisor.state !== 'up' && Date.now() < end) {
    readyz.push((await app.get('/readyz')).status);
    healthz.push((await app.get('/healthz')).status);
    await sleep(200);
  }
  return { readyz, healthz };
}

/** Waits for the supervisor to have the server up again, then for the first 2xx write after that. */
async function recovery(limitMs: number): Promise<{ upAt: number; recoveryMs?: number }> {
  expect(await until(() => supervisor.state === 'up', limitMs)).toBe(true);
  const upAt = now();
  await until(() => writes.some((w) => w.at > upAt && w.status >= 200 && w.status < 300), RECOVERY_LIMIT_MS * 2);
  const firstOk = writes.find((w) => w.at > upAt && w.status >= 200 && w.status < 300)?.at;
  return { upAt, recoveryMs: firstOk === undefined ? undefined : firstOk - upAt };
}

describe('the embedded database under supervision, with writes in flight', () => {
  let running = true;
  let writers: Promise<void>[] = [];
  const cycles: Array<Record<string, unknown>> = [];

  beforeAll(() => {
    writers = Array.from({ length: sizes.outageWriters }, async () => {
      while (running) writes.push(await write());
    });
  });

  it(
    'restarts a killed server by itself: /readyz 503 while down, /healthz 200, an error logged, writes back within 5 s',
    async () => {
      for (let c = 0; c < (FULL ? 3 : 1); c++) {
        await sleep(1_000);
        expect((await app.get('/readyz')).status).toBe(200);
        const restarts = supervisor.restarts;
        const logsBefore = errorLogs.length;
        const downAt = now();
        process.kill(supervisor.pid, 'SIGKILL');
        expect(await until(() => supervisor.state === 'down', 2_000)).toBe(true);
        const probes = await probeWhileDown(30_000);
        const { upAt, recoveryMs } = await recovery(30_000);
        cycles.push({
          kind: 'SIGKILL',
          downMs: upAt - downAt,
          recoveryMs,
          readyzWhileDown: probes.readyz,
          healthzWhileDown: probes.healthz,
        });
        expect(supervisor.restarts).toBe(restarts + 1);
        expect(errorLogs.slice(logsBefore)).toContain('embedded database exited; restarting it');
        expect(probes.readyz.every((s) => s === 503)).toBe(true);
        expect(probes.healthz.every((s) => s === 200)).toBe(true);
        expect(recoveryMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
      }
    },
    timeoutMs,
  );

  it(
    'answers every request within its deadline while the server is frozen (SIGSTOP), then kills and restarts it',
    async () => {
      await sleep(1_000);
      const pid = supervisor.pid;
      const stoppedAt = now();
      process.kill(pid, 'SIGSTOP');
      try {
        expect(await until(() => supervisor.state === 'down', STALL_MS + 10_000)).toBe(true);
      } finally {
        // The supervisor SIGKILLs it; if it did not, do not leave a frozen process behind.
        if (supervisor.state === 'up' && supervisor.pid === pid) process.kill(pid, 'SIGCONT');
      }
      const { upAt, recoveryMs } = await recovery(30_000);
      const frozen = writes.filter((w) => w.at > stoppedAt && w.at < upAt);
      const slowest = Math.max(...frozen.map((w) => w.ms));
      cycles.push({
        kind: 'SIGSTOP',
        downMs: upAt - stoppedAt,
        recoveryMs,
        writesWhileFrozen: frozen.length,
        slowestMs: slowest,
        statusesWhileFrozen: [...new Set(frozen.map((w) => w.status))],
      });
      expect(errorLogs).toContain('embedded database stopped answering; killing it to restart it');
      expect(frozen.some((w) => w.status === 503)).toBe(true);
      expect(slowest).toBeLessThanOrEqual(DEADLINE_MS + DEADLINE_SLACK_MS);
      expect(recoveryMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
    },
    timeoutMs,
  );

  it(
    'fails /healthz once restarts keep failing, and passes it again when a restart succeeds',
    async () => {
      await sleep(500);
      failStarts = true;
      process.kill(supervisor.pid, 'SIGKILL');
      expect(await until(() => !supervisor.healthy, 10_000)).toBe(true);
      const whileFailing = { healthz: (await app.get('/healthz')).status, readyz: (await app.get('/readyz')).status };
      failStarts = false;
      const { recoveryMs } = await recovery(10_000);
      const after = (await app.get('/healthz')).status;
      cycles.push({ kind: 'restarts failing', whileFailing, healthzAfter: after, recoveryMs });
      expect(whileFailing).toEqual({ healthz: 503, readyz: 503 });
      expect(after).toBe(200);
    },
    timeoutMs,
  );

  it(
    'loses no acknowledged write and answers nothing but success or 503 through all of it',
    async () => {
      await sleep(500);
      running = false;
      await Promise.all(writers);
      expect((await app.get('/readyz')).status).toBe(200);
      const acknowledged = writes.filter((w) => w.status >= 200 && w.status < 300);
      const lost: Write[] = [];
      for (const w of acknowledged) if (!(await w.verify?.())) lost.push(w);
      const statuses: Record<string, number> = {};
      for (const w of writes) statuses[w.status] = (statuses[w.status] ?? 0) + 1;
      writeFindings('db-outage', {
        writers: sizes.outageWriters,
        deadlineMs: DEADLINE_MS,
        stallMs: STALL_MS,
        cycles,
        writes: writes.length,
        statuses,
        acknowledgedButNotStored: lost.length,
      });
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(lost).toEqual([]);
      expect(Object.keys(statuses).filter((s) => !['201', '503'].includes(s))).toEqual([]);
    },
    timeoutMs,
  );
});
