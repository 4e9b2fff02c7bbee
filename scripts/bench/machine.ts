import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  /** 1-, 5- and 15-minute load averages */
  load: number[];
  node: string;
  commit: string;
}

/** What the figures were measured on: they mean little without the machine and its load. */
export function machine(): Machine {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    load: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    commit,
  };
}
