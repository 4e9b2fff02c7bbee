import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/core/db/embedded';
import { Client } from './client';
import { FIND_DOCS } from './baselines';
import { ROOT, startChild, startNodeChild, type Child } from './processes';
import type { PrepareContext, ServerName } from './target';

export const ADMIN = { username: 'benchadmin', password: 'bench-password-1' };
export const SESSION_SECRET = 'bench-secret-bench-secret-bench-secret-0123';
export const OPEN311_KEY = 'bench-open311-key';

/** The URI with its database path replaced (keeps credentials and options of a given MONGODB_URI). */
export function withDb(uri: string, db: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!m) throw new Error(`not a MongoDB URI: ${uri}`);
  return `${m[1]}/${db}${m[2] ?? ''}`;
}

/** The service as `npm start` runs it, minus what would disturb a measurement (logs, jobs, limits). */
export function serviceEnv(uri: string, db: string, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    MONGODB_URI: withDb(uri, db),
    DATA_DIR: dataDir,
    // Errors only: nothing in normal operation, and the cause of any 5xx in the service's log.
    LOG_LEVEL: 'error',
    RATE_LIMIT_SCALE: '1000000',
    JOBS_ENABLED: 'false',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    SESSION_SECRET,
    OPEN311_API_KEYS: OPEN311_KEY,
    BOT_SEND_INTERVAL_MS: '0',
  };
}

/**
 * How the service runs: `tsx src/main.ts` (as `npm start`), or the compiled build (as the Dockerfile
 * runs it: no TypeScript loader in memory), with optional extra node flags (e.g. a heap cap).
 */
export interface ServiceMode {
  compiled: boolean;
  nodeOptions: string[];
}

export const COMPILED_DIR = path.join(ROOT, '.cache', 'bench-dist');

/** Compiles the service into .cache/bench-dist (inside the project, so it finds package.json and content/). */
export function compileService(): void {
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', COMPILED_DIR],
    { stdio: 'inherit' },
  );
}

export async function startService(
  name: string,
  uri: string,
  db: string,
  dataDir: string,
  logDir: string,
  mode: ServiceMode = { compiled: false, nodeOptions: [] },
): Promise<Child> {
  const entry = mode.compiled ? [path.join(COMPILED_DIR, 'src', 'main.js')] : ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')];
  return startNodeChild(name, [...mode.nodeOptions, ...entry], await freePort(), serviceEnv(uri, db, dataDir), '/readyz', logDir);
}

const baselineFiles: Record<Exclude<ServerName, 'service'>, string> = {
  'node-http': 'scripts/bench/baselines/node-http.ts',
  'koa-router': 'scripts/bench/baselines/koa-router.ts',
  'koa-insert': 'scripts/bench/baselines/koa-insert.ts',
  'koa-find': 'scripts/bench/baselines/koa-find.ts',
};

/** Starts the service and the baselines side by side on one database server (separate databases). */
export async function startServers(
  uri: string,
  runId: string,
  dataDir: string,
  logDir: string,
  mode: ServiceMode,
): Promise<Map<ServerName, Child>> {
  const children = new Map<ServerName, Child>();
  try {
    children.set('service', await startService('service', uri, `bench_${runId}`, path.join(dataDir, 'service'), logDir, mode));
    for (const [name, file] of Object.entries(baselineFiles) as Array<[Exclude<ServerName, 'service'>, string]>) {
      const readyPath = name === 'node-http' ? '/' : '/ping';
      const env = { MONGODB_URI: uri, DB_NAME: `bench_base_${runId}`, DOCS: String(FIND_DOCS) };
      children.set(name, await startChild(name, file, await freePort(), env, readyPath, logDir));
    }
  } catch (err) {
    await Promise.all([...children.values()].map((c) => c.stop()));
    throw err;
  }
  return children;
}

/** Signs in the first admin and creates an office account: the staff the fixtures act as. */
export async function staffTokens(client: Client): Promise<Pick<PrepareContext, 'admin' | 'office'>> {
  const admin = (await client.expect<{ token: string }>(201, 'POST', '/api/v1/staff/sessions', ADMIN)).token;
  const office = { username: `office_${Date.now().toString(36)}`, password: 'bench-password-2' };
  await client.expect(201, 'POST', '/api/v1/staff', { ...office, role: 'office' }, admin);
  const token = (await client.expect<{ token: string }>(201, 'POST', '/api/v1/staff/sessions', office)).token;
  return { admin, office: token };
}
