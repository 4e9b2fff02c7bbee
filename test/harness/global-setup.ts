import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedServer } from '../../src/core/db/embedded';
import { ensureH5Build } from '../../src/modules/h5/h5.build';
import { ensureVenv } from '../contract/python';

/**
 * One real embedded server per test run (mongod or FerretDB, exactly as `npm start` uses it),
 * unless MONGODB_URI points at a server. Each test file gets its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  // The browser tests need the H5 pages; build them here, once per run, not in each worker.
  await ensureH5Build(path.resolve(__dirname, '../..'), (l) => process.stderr.write(l + '\n'));
  // The contract tests' Python tools (a GeoReport v2 client, Schemathesis), pinned, made once.
  ensureVenv((l) => process.stderr.write(l + '\n'));
  if (process.env.MONGODB_URI) {
    process.env.WM_TEST_MONGO_URI = process.env.MONGODB_URI;
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-test-db-'));
  const server = await startEmbeddedServer({
    rootDir: path.resolve(__dirname, '../..'),
    dataDir,
    progress: (l) => process.stderr.write(l + '\n'),
  });
  process.env.WM_TEST_MONGO_URI = server.uri;
  process.env.WM_TEST_DB_KIND = server.kind;
  (globalThis as Record<string, unknown>).__wmServer = { server, dataDir };
}
