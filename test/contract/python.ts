import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The project-local Python environment with the pinned contract-test packages (installed by .ci/run). */
export const VENV = path.resolve(__dirname, '../../.cache/contract-venv');
export const venvBin = (name: string) => path.join(VENV, 'bin', name);

/** Fails (never skips) when the environment is missing: the contract tests are part of the suite. */
export function requireVenv(): void {
  if (!fs.existsSync(venvBin('python'))) {
    throw new Error(
      `contract-test Python environment missing at ${VENV}: run .ci/run, or ` +
        'python3 -m venv .cache/contract-venv && .cache/contract-venv/bin/pip install -r test/contract/requirements.txt',
    );
  }
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program of the environment; never rejects, the caller asserts on the exit code and output. */
export function run(file: string, args: string[], opts: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: opts.timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...opts.env }, cwd: opts.cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
