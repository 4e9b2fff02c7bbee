import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { provisionFerretDB, which } from './provision';

export interface EmbeddedServer {
  uri: string;
  kind: 'mongod' | 'ferretdb';
  pid: number;
  /** settles when the server process exits, for whatever reason */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, logFile: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) {
        const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n') : '';
        return reject(new Error(`embedded database exited with code ${child.exitCode}\n${tail}`));
      }
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`embedded database did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The file naming the server process last started on a data folder. */
const pidFile = (dataDir: string) => path.join(dataDir, 'db.pid');

/** The parent pid of a process, from /proc (undefined when it is gone). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * Kills a server left running on this data folder by a service process that was killed itself
 * (SIGKILL or OOM leave their children behind): it would keep the files open beside the new one.
 * Only an orphan counts: a live database server process on this folder whose parent is no longer a
 * node process (it was adopted by init). A server another live process runs (a script started
 * beside the service) is left alone.
 */
async function killOrphan(dataDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile(dataDir), 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return;
  let cmdline: string;
  let parentCmd = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const ppid = parentOf(pid);
    if (ppid && ppid > 1) parentCmd = fs.readFileSync(`/proc/${ppid}/cmdline`, 'utf8');
  } catch {
    return; // gone (or no /proc: nothing we can check safely)
  }
  if (!/ferretdb|mongod/.test(cmdline) || !cmdline.includes(dataDir) || /node/.test(parentCmd)) return;
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && fs.existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Starts the MongoDB-compatible server the project uses when MONGODB_URI is unset:
 * `mongod` from PATH when present, otherwise FerretDB (SQLite backend) built into the cache.
 */
export async function startEmbeddedServer(opts: {
  rootDir: string;
  dataDir: string;
  port?: number;
  progress?: (l: string) => void;
}): Promise<EmbeddedServer> {
  const port = opts.port ?? (await freePort());
  fs.mkdirSync(opts.dataDir, { recursive: true });
  await killOrphan(opts.dataDir);
  const logFile = path.join(opts.dataDir, 'db.log');
  const mongod = which('mongod');
  let child: ChildProcess;
  let kind: EmbeddedServer['kind'];
  const log = fs.openSync(logFile, 'a');
  if (mongod) {
    kind = 'mongod';
    const dbPath = path.join(opts.dataDir, 'mongod');
    fs.mkdirSync(dbPath, { recursive: true });
    child = spawn(mongod, ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], {
      stdio: ['ignore', log, log],
    });
  } else {
    kind = 'ferretdb';
    const bin = await provisionFerretDB(opts.rootDir, opts.progress);
    const dbDir = path.join(opts.dataDir, 'db');
    const stateDir = path.join(opts.dataDir, 'ferretdb');
    fs.mkdirSync(dbDir, { recursive: true });
    fs.mkdirSync(stateDir, { recursive: true });
    child = spawn(
      bin,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dbDir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        `--state-dir=${stateDir}`,
        '--telemetry=disable',
        '--debug-addr=-',
        '--log-level=warn',
      ],
      { stdio: ['ignore', log, log], env: { ...process.env, FERRETDB_TELEMETRY: 'disable', DO_NOT_TRACK: '1' } },
    );
  }
  fs.closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (child.pid) fs.writeFileSync(pidFile(opts.dataDir), String(child.pid));
  try {
    await waitForPort(port, child, logFile);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { uri: `mongodb://127.0.0.1:${port}`, kind, pid: child.pid!, exited, stop: () => stopChild(child) };
}
