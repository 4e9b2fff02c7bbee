import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { provisionFerretDB, which } from './provision';

export interface EmbeddedServer {
  uri: string;
  kind: 'mongod' | 'ferretdb';
  pid: number;
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

/**
 * Starts the MongoDB-compatible server the project uses when MONGODB_URI is unset:
 * `mongod` from PATH when present, otherwise FerretDB (SQLite backend) built into the cache.
 */
export async function startEmbeddedServer(opts: { rootDir: string; dataDir: string; port?: number; progress?: (l: string) => void }): Promise<EmbeddedServer> {
  const port = opts.port ?? (await freePort());
  const logFile = path.join(opts.dataDir, 'db.log');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const mongod = which('mongod');
  let child: ChildProcess;
  let kind: EmbeddedServer['kind'];
  const log = fs.openSync(logFile, 'a');
  if (mongod) {
    kind = 'mongod';
    const dbPath = path.join(opts.dataDir, 'mongod');
    fs.mkdirSync(dbPath, { recursive: true });
    child = spawn(mongod, ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], { stdio: ['ignore', log, log] });
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
  await waitForPort(port, child, logFile);
  return { uri: `mongodb://127.0.0.1:${port}`, kind, pid: child.pid!, stop: () => stopChild(child) };
}
