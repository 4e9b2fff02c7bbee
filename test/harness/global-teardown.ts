import fs from 'node:fs';
import type { EmbeddedServer } from '../../src/core/db/embedded';

export default async function globalTeardown(): Promise<void> {
  const s = (globalThis as Record<string, unknown>).__wmServer as { server: EmbeddedServer; dataDir: string } | undefined;
  if (!s) return;
  await s.server.stop();
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}
