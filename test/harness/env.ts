import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Per test file: its own DATA_DIR (photos, keys) and fixed secrets, set before config is read. */
export function testEnv(): { dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-test-data-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    RATE_LIMIT_SCALE: '1000',
    // The suite shares two cores with other runs: a first QR code or workbook can take seconds
    // there. The deadline itself is tested with its own short values (db-unavailable, db-outage).
    REQUEST_DEADLINE_MS: process.env.REQUEST_DEADLINE_MS ?? '60000',
  });
  return { dataDir };
}

/** A database name unique to the current test file. */
export function testDbName(): string {
  const file = path.basename(expect.getState().testPath ?? 'test').replace(/\.test\.ts$/, '');
  return `t_${file.replace(/[^A-Za-z0-9]/g, '_').slice(0, 32)}_${process.pid}_${Date.now().toString(36)}`;
}
