import { bootstrap } from '../src/bootstrap';
import { disconnectDatabase } from '../src/core/db';

/** Runs a script body against the configured (or embedded) database, then shuts everything down. */
export async function runScript(body: () => Promise<void>): Promise<void> {
  try {
    const started = await bootstrap({ progress: (l) => process.stderr.write(l + '\n') });
    await body();
    await started.stop();
  } catch (err) {
    process.stderr.write(`失败 / failed: ${(err as Error).message}\n`);
    await disconnectDatabase().catch(() => undefined);
    process.exit(1);
  }
}

/** A one-line progress bar on stderr: `label [#####.....] 52% 5200/10000`. */
export function progressBar(label: string): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const t = Date.now();
    if (done < total && t - last < 200) return;
    last = t;
    const pct = total ? Math.min(1, done / total) : 1;
    const bar = '#'.repeat(Math.round(pct * 30)).padEnd(30, '.');
    process.stderr.write(`\r${label} [${bar}] ${Math.round(pct * 100)}% ${done}/${total}${done >= total ? '\n' : ''}`);
  };
}
