import fs from 'node:fs';
import path from 'node:path';
import { FULL } from './sizes';

/**
 * Writes a test's findings to test-artifacts/reliability/<name>.json (with the size it ran at), the
 * figures docs/RELIABILITY.md quotes.
 */
export function writeFindings(name: string, findings: Record<string, unknown>): void {
  const dir = path.resolve(__dirname, '../../test-artifacts/reliability');
  fs.mkdirSync(dir, { recursive: true });
  const out = { test: name, full: FULL, at: new Date().toISOString(), server: process.env.WM_TEST_DB_KIND ?? 'external', ...findings };
  fs.writeFileSync(path.join(dir, `${name}${FULL ? '' : '.reduced'}.json`), JSON.stringify(out, null, 2) + '\n');
}
