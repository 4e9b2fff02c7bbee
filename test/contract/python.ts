import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The project-local Python environment with the pinned contract-test packages (installed by .ci/run). */
export const VENV = path.resolve(__dirname, '../../.cache/contract-venv');
export const venvBin = (name: string) => path.join(VENV, 'bin', name);

const REQUIREMENTS = path.resolve(__dirname, 'requirements.txt');
const STAMP = path.join(VENV, '.requirements.sha256');

/**
 * Makes the environment on first use, as `npm start` builds the embedded database: a venv with the
 * pinned packages from PyPI, made again when requirements.txt changes. Called once per test run
 * (global setup), so `npm test` works on a fresh machine with Python 3; `.ci/run` does the same.
 */
export function ensureVenv(progress: (line: string) => void): void {
  const want = crypto.createHash('sha256').update(fs.readFileSync(REQUIREMENTS)).digest('hex');
  if (fs.existsSync(venvBin('python')) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === want) return;
  progress('contract tests: installing the pinned Python packages into .cache/contract-venv (once) …');
  if (!fs.existsSync(venvBin('python'))) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(venvBin('pip'), ['install', '-q', '--disable-pip-version-check', '-r', REQUIREMENTS], { stdio: 'inherit' });
  fs.writeFileSync(STAMP, want);
  progress('contract tests: Python packages ready');
}

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
    execFile(
      file,
      args,
      { timeout: opts.timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...opts.env }, cwd: opts.cwd },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
