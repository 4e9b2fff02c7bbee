import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Building the H5 pages (src/h5, Vue + Vite) into src/h5/dist. `npm start` and the test run build
 * them when the build is missing or older than its sources. The build runs in a child process:
 * Vite is ESM-only and heavy, and the service should not carry it in memory.
 */
export interface H5Paths {
  dir: string;
  dist: string;
  index: string;
  viteConfig: string;
}

export function h5Paths(rootDir: string): H5Paths {
  const dir = path.join(rootDir, 'src', 'h5');
  const dist = path.join(dir, 'dist');
  return { dir, dist, index: path.join(dist, 'index.html'), viteConfig: path.join(dir, 'vite.config.mts') };
}

/** Newest modification time of the H5 sources (and the lockfile: a Vant upgrade needs a rebuild). */
function newestSourceMtime(rootDir: string, p: H5Paths): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'dist' || e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  walk(p.dir);
  const lock = path.join(rootDir, 'package-lock.json');
  if (fs.existsSync(lock)) newest = Math.max(newest, fs.statSync(lock).mtimeMs);
  return newest;
}

export function h5BuildState(rootDir: string): 'missing' | 'stale' | 'fresh' {
  const p = h5Paths(rootDir);
  if (!fs.existsSync(p.index)) return 'missing';
  return fs.statSync(p.index).mtimeMs < newestSourceMtime(rootDir, p) ? 'stale' : 'fresh';
}

/**
 * Builds into a temporary directory beside dist and swaps it in, so a running server never serves a
 * half-emptied dist and two builders at once (a dev server and a test run) don't corrupt each other.
 */
export async function buildH5(rootDir: string): Promise<void> {
  const p = h5Paths(rootDir);
  const tmp = path.join(p.dir, `.dist-${process.pid}-${Date.now().toString(36)}`);
  const viteBin = path.join(path.dirname(require.resolve('vite/package.json', { paths: [rootDir] })), 'bin', 'vite.js');
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [viteBin, 'build', '--config', p.viteConfig, '--outDir', tmp, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: rootDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    child.stdout.on('data', (d: Buffer) => output.push(d));
    child.stderr.on('data', (d: Buffer) => output.push(d));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`H5 build failed (vite exit ${code}):\n${Buffer.concat(output).toString()}`);
  }
  const old = `${tmp}-old`;
  if (fs.existsSync(p.dist)) fs.renameSync(p.dist, old);
  try {
    fs.renameSync(tmp, p.dist);
  } catch (err) {
    // Another builder swapped its dist in between: theirs is as good as ours.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(p.dist)) throw err;
  }
  fs.rmSync(old, { recursive: true, force: true });
}

/** Builds the H5 pages when the build is missing or stale; returns whether it built. */
export async function ensureH5Build(rootDir: string, progress?: (line: string) => void): Promise<boolean> {
  const state = h5BuildState(rootDir);
  if (state === 'fresh') return false;
  // A production image ships the built pages without their sources or Vite: never rebuild there.
  if (state === 'stale' && !fs.existsSync(h5Paths(rootDir).viteConfig)) return false;
  progress?.(
    state === 'missing'
      ? '正在构建 H5 页面（首次启动）… / building the H5 pages'
      : '正在重新构建 H5 页面（源文件已更新）… / rebuilding the H5 pages',
  );
  const started = Date.now();
  await buildH5(rootDir);
  progress?.(`H5 页面构建完成（${((Date.now() - started) / 1000).toFixed(1)} 秒）/ H5 pages built`);
  return true;
}
