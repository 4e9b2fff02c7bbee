import v8 from 'node:v8';
import vm from 'node:vm';
import { pool } from '../../scripts/bench/client';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { writeFindings } from './artifacts';
import { hostileRequest, operationsOf, prng, type FuzzRequest, type Operation } from './fuzz-cases';
import { sizes, timeoutMs } from './sizes';

/**
 * Malformed, oversized, wrongly typed and operator-injection requests against every operation the
 * service publishes in GET /api/v1/openapi.json, as anonymous, resident, office and admin callers:
 * no 5xx, the process stays up, memory stays flat, nothing reaches Object.prototype.
 */
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

let app: TestApp;
let ops: Operation[];
let tokens: Array<string | undefined>;

beforeAll(async () => {
  app = await startTestApp();
  ops = operationsOf((await app.get('/api/v1/openapi.json')).body);
  const resident = await residentSession(app, { regionCode: '330201001001' });
  const office = await staffSession(app, 'office');
  const admin = await staffSession(app, 'admin');
  tokens = [undefined, resident.token, office.token, admin.token];
});
afterAll(() => app.close());

async function send(r: FuzzRequest, token: string | undefined): Promise<number> {
  const headers = { ...r.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(app.baseUrl + r.path, { method: r.method, headers, body: r.body as BodyInit | undefined, redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

describe(`${sizes.fuzzRequests} hostile requests across the published API`, () => {
  it(
    'never answers 5xx, keeps the process up and memory flat, and pollutes no prototype',
    async () => {
      expect(ops.length).toBeGreaterThan(10);
      const rand = prng(42);
      const requests = Array.from({ length: sizes.fuzzRequests }, (_, i) => ({
        req: hostileRequest(ops[i % ops.length]!, rand),
        token: tokens[Math.floor(rand() * tokens.length)],
      }));
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      const warm = Math.floor(requests.length / 5);
      const run = async (from: number, to: number) =>
        pool(to - from, 8, async (i) => {
          const { req, token } = requests[from + i]!;
          const status = await send(req, token);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status >= 500) failures.push(`${status} ${req.label}`);
        });
      await run(0, warm);
      const heapAfterWarm = heapMb();
      await run(warm, requests.length);
      await app.flush();
      const heapAtEnd = heapMb();
      writeFindings('fuzz', {
        requests: requests.length,
        operations: ops.length,
        statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
        fiveHundreds: failures.length,
        heapMb: { afterWarmUp: Math.round(heapAfterWarm), atEnd: Math.round(heapAtEnd) },
      });

      expect(failures.slice(0, 20)).toEqual([]);
      expect((await app.get('/healthz')).status).toBe(200);
      expect((await app.get('/readyz')).status).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
      // Flat: what the remaining 80 % of the requests left on the heap after a full GC.
      expect(heapAtEnd - heapAfterWarm).toBeLessThan(40);
      // Every request got a 4xx or a deliberate 2xx/3xx; most must be refusals.
      const refused = [...statuses].filter(([s]) => s >= 400 && s < 500).reduce((n, [, c]) => n + c, 0);
      expect(refused).toBeGreaterThan(requests.length * 0.5);
    },
    timeoutMs,
  );
});
