import { SingleBar } from 'cli-progress';
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

/**
 * A one-line progress bar on stderr (cli-progress): `label [#####.....] 52% 5200/10000`. The
 * returned function is fed (done, total) by the seeders and the rebuild; the bar starts on the
 * first call and stops when done reaches total. Redirected to a file it still prints a line every
 * two seconds, so a log shows the run was moving.
 */
export function progressBar(label: string): (done: number, total: number) => void {
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% {value}/{total}`,
    barCompleteChar: '#',
    barIncompleteChar: '.',
    barsize: 30,
    fps: 5,
    noTTYOutput: true,
    stream: process.stderr,
  });
  let started = false;
  let stopped = false;
  return (done, total) => {
    if (stopped) return;
    if (!started) {
      bar.start(total, done);
      started = true;
    } else {
      bar.setTotal(total);
      bar.update(done);
    }
    if (done >= total) {
      bar.stop();
      stopped = true;
    }
  };
}
