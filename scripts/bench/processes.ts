import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface Child {
  name: string;
  pid: number;
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Spawns a TypeScript entry point as `node --import tsx <file>`: the same loader `tsx <file>` uses,
 * but without tsx's wrapper process, so the pid we sample for RSS is the server itself.
 */
export function spawnTs(
  name: string,
  file: string,
  env: Record<string, string>,
  logDir: string,
  pipeStdout = false,
  args: string[] = [],
): ChildProcess {
  return spawnNode(name, ['--import', 'tsx', path.join(ROOT, file), ...args], env, logDir, pipeStdout);
}

/** Spawns node with the given arguments; output goes to <logDir>/<name>.log (stdout piped on request). */
export function spawnNode(name: string, nodeArgs: string[], env: Record<string, string>, logDir: string, pipeStdout = false): ChildProcess {
  fs.mkdirSync(logDir, { recursive: true });
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'w');
  const proc = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', pipeStdout ? 'pipe' : log, log],
  });
  fs.closeSync(log);
  return proc;
}

/** Polls a URL until it answers 200 (the service's /readyz, a baseline's /ping). */
export async function waitReady(url: string, proc: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${url}: process exited with code ${proc.exitCode} before it was ready`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function stopProcess(proc: ChildProcess, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export async function startChild(
  name: string,
  file: string,
  port: number,
  env: Record<string, string>,
  readyPath: string,
  logDir: string,
): Promise<Child> {
  return startNodeChild(name, ['--import', 'tsx', path.join(ROOT, file)], port, env, readyPath, logDir);
}

export async function startNodeChild(
  name: string,
  nodeArgs: string[],
  port: number,
  env: Record<string, string>,
  readyPath: string,
  logDir: string,
): Promise<Child> {
  const proc = spawnNode(name, nodeArgs, { ...env, PORT: String(port) }, logDir);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url + readyPath, proc);
  } catch (err) {
    await stopProcess(proc);
    throw new Error(`${(err as Error).message} (log: ${path.join(logDir, name + '.log')})`, { cause: err });
  }
  return { name, pid: proc.pid!, url, proc, stop: () => stopProcess(proc) };
}

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS); undefined once it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak seen. */
export function sampleRss(pid: number, everyMs = 100): () => number {
  let peak = rssMb(pid) ?? 0;
  const timer = setInterval(() => {
    const v = rssMb(pid);
    if (v !== undefined && v > peak) peak = v;
  }, everyMs);
  return () => {
    clearInterval(timer);
    return Math.round(peak);
  };
}

/** Runs a script child to completion and returns the JSON of its `<TAG> {json}` stdout line. */
export function runForResult<T>(
  name: string,
  file: string,
  env: Record<string, string>,
  logDir: string,
  tag: string,
  args: string[] = [],
  timeoutMs = 60 * 60_000,
): Promise<T> {
  const proc = spawnTs(name, file, env, logDir, true, args);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => void stopProcess(proc).then(() => reject(new Error(`${name} timed out`))), timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(`${tag} `));
      if (code !== 0 || !line) return reject(new Error(`${name} exited with ${code} (log: ${path.join(logDir, name + '.log')})`));
      resolve(JSON.parse(line.slice(tag.length + 1)) as T);
    });
  });
}
