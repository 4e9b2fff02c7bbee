import fs from 'node:fs';
import path from 'node:path';
import { setConfig } from '../../src/config';
import { residentSession, staffSession } from '../factories';
import { startTestApp, type TestApp } from '../harness/app';
import { requireVenv, run, venvBin } from './python';

/**
 * Every check is enabled in schemathesis.toml, not with --checks on the command line: options given
 * there would override the per-operation exclusions of the config file.
 *
 * Schemathesis (pinned in requirements.txt) against the real service on the embedded database, with
 * every check, once per kind of caller. The suite fails on any server error, schema violation or
 * other failed check; exclusions live in schemathesis.toml, each with its reason.
 */
const CONFIG = path.join(__dirname, 'schemathesis.toml');
const REPORTS = path.resolve(__dirname, '../../test-artifacts/schemathesis');
/** Cases per operation and caller: bounded so the five runs take a few minutes on two cores. */
const MAX_EXAMPLES = process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '8';

let app: TestApp;
const callers: Record<string, string | undefined> = {};

beforeAll(async () => {
  requireVenv();
  app = await startTestApp();
  setConfig({ OPEN311_API_KEYS: ['contract-key'] });
  callers.anonymous = undefined;
  callers.resident = (await residentSession(app, { regionCode: '330201001001' })).token;
  callers.unit = (await staffSession(app, 'unit', 'hwc')).token;
  callers.office = (await staffSession(app, 'office')).token;
  callers.admin = (await staffSession(app, 'admin')).token;
  fs.mkdirSync(REPORTS, { recursive: true });
}, 120_000);
afterAll(() => app?.close());

const only = process.env.SCHEMATHESIS_CALLERS?.split(',');

type Caller = 'anonymous' | 'resident' | 'unit' | 'office' | 'admin';
type Access = 'public' | 'resident' | 'staff' | string[];

/** Whether this caller may use an operation (its `x-access`): the rest only answer 401/403. */
function mayCall(access: Access, caller: Caller): boolean {
  if (access === 'public') return true;
  if (caller === 'anonymous') return false;
  if (caller === 'resident' || access === 'resident') return caller === 'resident' && access === 'resident';
  return access === 'staff' || access.includes(caller);
}

/**
 * Each caller fuzzes the public operations and those it may use; an operation the office may use is
 * left to the office's run, not repeated as admin (admin takes the admin-only ones). Refusing callers
 * is checked on every run by `ignored_auth` (each protected operation is also called without
 * credentials). This keeps the five runs to a few minutes instead of five sweeps of every operation.
 */
async function operationsFor(caller: Caller): Promise<string[]> {
  const doc = (await app.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { 'x-access': Access }>> };
  const picked = (a: Access) => mayCall(a, caller) && (caller !== 'admin' || a === 'public' || !mayCall(a, 'office'));
  return Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => picked(op['x-access']))
      .map(([m]) => `${m.toUpperCase()} ${p}`),
  );
}

describe('the OpenAPI document tells the truth (Schemathesis, every check)', () => {
  it.each((['anonymous', 'resident', 'unit', 'office', 'admin'] as const).filter((c) => !only || only.includes(c)))(
    'as %s: no server error, no schema violation, no failed check',
    async (caller) => {
      const token = callers[caller];
      const operations = await operationsFor(caller);
      expect(operations.length).toBeGreaterThan(5);
      const args = [
        '--no-color',
        '--config-file',
        CONFIG,
        'run',
        `${app.baseUrl}/api/v1/openapi.json`,
        '--workers',
        '1',
        '--max-examples',
        MAX_EXAMPLES,
        '--report',
        'junit',
        '--report-junit-path',
        path.join(REPORTS, `${caller}.xml`),
        ...(token ? ['-H', `Authorization: Bearer ${token}`] : []),
        ...operations.flatMap((name) => ['--include-name', name]),
      ];
      const res = await run(venvBin('schemathesis'), args, { timeoutMs: 600_000, env: { SCHEMATHESIS_HOOKS: '' } });
      fs.writeFileSync(path.join(REPORTS, `${caller}.log`), res.stdout + res.stderr);
      if (res.code !== 0)
        throw new Error(`Schemathesis as ${caller} exited ${res.code}:\n${res.stdout.slice(-20_000)}\n${res.stderr.slice(-4_000)}`);
      expect(res.stdout).toMatch(/passed/);
    },
    660_000,
  );
});
