import fs from 'node:fs';
import { counterLeavesOf, leafDifferences } from '../harness/counter-leaves';
import os from 'node:os';
import path from 'node:path';
import { testEnv } from '../harness/env';
import { freePort } from '../../src/core/db/embedded';
import { serviceEnv, withDb } from '../../scripts/bench/servers';
import { startChild, stopProcess, type Child } from '../../scripts/bench/processes';
import { writeFindings } from './artifacts';
import { FULL, timeoutMs } from './sizes';

testEnv();
/* eslint-disable @typescript-eslint/no-require-imports */
// After the environment is set: the modules register their counter sources with the rebuild.
require('../../src/modules');
const { connectDatabase } = require('../../src/core/db') as typeof import('../../src/core/db');
const { rebuildCounters } =
  require('../../src/modules/counters/counters.rebuild') as typeof import('../../src/modules/counters/counters.rebuild');
const { counterIdOf } = require('../../src/core/store') as typeof import('../../src/core/store');
const { Counter, Participation } =
  require('../../src/modules/counters/stats.model') as typeof import('../../src/modules/counters/stats.model');
const { ServiceRun } = require('../../src/core/run-marker') as typeof import('../../src/core/run-marker');
const mongoose = require('mongoose') as typeof import('mongoose');

/**
 * The service killed with SIGKILL while residents submit survey responses (each a resident, a
 * community, a participation, indicator answers and survey counters), then started again: within
 * seconds of start-up its counters equal an exact rebuild from the source records, with no wait
 * for the nightly reconciliation; acts after the restart are counted once; a graceful stop leaves
 * no run marker. The service runs as a child process (`node --import tsx src/main.ts`, as
 * `npm start`) on the run's database server; this file reads and rebuilds the counters itself.
 */
const SURVEY = 'pulse-weekly';
const COMMUNITIES = ['330201001001', '330201001002', '330202002001', '330203002001'];
const WRITERS = FULL ? 16 : 6;
/** load before the kill (the service is warm by then, acts every few milliseconds) */
const LOAD_MS = FULL ? 8_000 : 4_000;
const CRASHES = FULL ? 3 : 1;
/** what "within seconds of start-up" means here: from spawn to ready, rebuild included */
const READY_LIMIT_MS = 60_000;

const db = `t_crash_counters_${process.pid}_${Date.now().toString(36)}`;
const uri = withDb(process.env.WM_TEST_MONGO_URI!, db);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-crash-'));
let port: number;
let service: Child | undefined;

async function startService(n: number): Promise<{ child: Child; readyMs: number }> {
  const t0 = Date.now();
  const env = { ...serviceEnv(process.env.WM_TEST_MONGO_URI!, db, path.join(workDir, 'data')), LOG_LEVEL: 'warn' };
  const child = await startChild(`service-${n}`, 'src/main.ts', port, env, '/readyz', workDir);
  return { child, readyMs: Date.now() - t0 };
}

const logOf = (n: number) => fs.readFileSync(path.join(workDir, `service-${n}.log`), 'utf8');

async function call(method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(service!.url + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

let answers: Record<string, unknown>;
const statuses: Record<string, number> = {};
const tally = (step: string, status: number) => (statuses[`${step} ${status}`] = (statuses[`${step} ${status}`] ?? 0) + 1);

/** One resident: a session, a community, a survey response. Returns how many acts were acknowledged. */
async function oneResident(i: number): Promise<number> {
  try {
    const s = await call('POST', '/api/v1/sessions/anonymous', {});
    tally('session', s.status);
    if (s.status !== 201) return 0;
    const me = await call('PATCH', '/api/v1/me', { regionCode: COMMUNITIES[i % COMMUNITIES.length] }, s.body.token);
    tally('region', me.status);
    if (me.status !== 200) return 1;
    const r = await call('POST', `/api/v1/surveys/${SURVEY}/responses`, { answers }, s.body.token);
    tally('response', r.status);
    return r.status === 201 ? 3 : 2;
  } catch {
    tally('error', 0);
    return 0; // the connection died with the service
  }
}

/** Residents in a loop for `ms` or until `stop()`; counts the acts the service acknowledged. */
function load(ms: number): { stop(): void; done: Promise<{ acts: number; residents: number }> } {
  const end = Date.now() + ms;
  let stopped = false;
  let acts = 0;
  let residents = 0;
  const done = Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (!stopped && Date.now() < end) {
        const k = await oneResident(residents++);
        acts += k;
      }
    }),
  ).then(() => ({ acts, residents }));
  return { stop: () => (stopped = true), done };
}

/** Acts of participation stored but missing from the act counters (0 when the counters are exact). */
async function uncountedActs(): Promise<number> {
  let counted = 0;
  for (const d of await Counter.find().lean<Array<{ _id: string; c: Record<string, number> }>>()) {
    if (d._id.startsWith('act:')) counted += Object.values(d.c).reduce((a, b) => a + b, 0);
  }
  return (await Participation.countDocuments()) - counted;
}

/** Every numeric leaf of every counter, its shards summed (test/harness/counter-leaves.ts). */
async function counterLeaves(): Promise<Map<string, number>> {
  return counterLeavesOf(await Counter.find().lean<Array<{ _id: string; c: unknown }>>(), counterIdOf);
}

beforeAll(async () => {
  port = await freePort();
  await connectDatabase(uri);
}, 60_000);

afterAll(async () => {
  if (service) await stopProcess(service.proc);
  await mongoose.connection.dropDatabase().catch(() => undefined);
  await mongoose.disconnect();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('the service killed with SIGKILL under load and started again', () => {
  it(
    'has counters equal to an exact rebuild within seconds of start-up, counts later acts once and leaves no marker after a graceful stop',
    async () => {
      const findings: Array<Record<string, unknown>> = [];
      let n = 0;
      service = (await startService(n)).child;
      const survey = await call('GET', `/api/v1/surveys/${SURVEY}`);
      expect(survey.status).toBe(200);
      answers = Object.fromEntries(
        (survey.body.questions as Array<{ id: string; type: string; options?: Array<{ key: string }>; scale?: { max: number } }>).map(
          (q) => [
            q.id,
            q.type === 'text' ? '路口乱停车' : q.type === 'scale' && !q.options?.length ? (q.scale?.max ?? 5) : [q.options![0]!.key],
          ],
        ),
      );

      for (let c = 0; c < CRASHES; c++) {
        // Kill it in the middle of the load: up to a second of counter deltas is only in its memory.
        const loading = load(LOAD_MS * 2);
        await new Promise((r) => setTimeout(r, LOAD_MS));
        service.proc.kill('SIGKILL');
        await new Promise((r) => service!.proc.once('exit', r));
        loading.stop();
        const { acts, residents } = await loading.done;
        const lostByCrash = await uncountedActs();
        expect(acts).toBeGreaterThan(0);

        const started = await startService(++n);
        service = started.child;
        const rebuiltAtStart = /rebuilding the statistics counters/.test(logOf(n));
        // Acts after the restart are counted once, on top of the rebuilt figures.
        const after = await load(1_000).done;
        await new Promise((r) => setTimeout(r, 2_000)); // the service flushes its counters every second
        const served = await counterLeaves();
        await rebuildCounters();
        const rebuilt = await counterLeaves();
        const diff = leafDifferences(served, rebuilt);
        findings.push({
          residentsBeforeKill: residents,
          actsAcknowledged: acts,
          participationsUncountedAfterKill: lostByCrash,
          readyMs: started.readyMs,
          rebuiltAtStart,
          actsAfterRestart: after.acts,
          counterLeaves: rebuilt.size,
          differences: diff.length,
        });
        expect(rebuiltAtStart).toBe(true);
        expect(started.readyMs).toBeLessThan(READY_LIMIT_MS);
        expect(after.acts).toBeGreaterThan(0);
        expect(diff).toEqual([]);
        expect(await uncountedActs()).toBe(0);
      }

      // A graceful stop flushes and removes its marker: the next start rebuilds nothing.
      await stopProcess(service.proc);
      expect(service.proc.exitCode).toBe(0);
      expect(await ServiceRun.countDocuments()).toBe(0);
      const again = await startService(++n);
      service = again.child;
      expect(logOf(n)).not.toMatch(/rebuilding the statistics counters/);
      writeFindings('crash-counters', {
        writers: WRITERS,
        statuses,
        loadMs: LOAD_MS,
        crashes: findings,
        cleanRestartReadyMs: again.readyMs,
      });
    },
    timeoutMs,
  );
});
