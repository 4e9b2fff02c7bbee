import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';

/**
 * Our build of it: upstream sources plus the patches below. The tag is part of the cache folder,
 * so a binary built before a patch existed is rebuilt rather than reused.
 */
export const FERRETDB_BUILD = `${FERRETDB_VERSION}+wenming.1`;

/** Where the FerretDB binary is cached: git-ignored, inside the project, one folder per build. */
export function ferretdbCacheDir(rootDir: string): string {
  return path.join(rootDir, '.cache', 'ferretdb', FERRETDB_BUILD);
}

/**
 * Source patches applied before building, each an exact replacement that must match once.
 *
 * sqlite-id-index: the SQLite backend creates the `_id_` index on the expression
 * `_ferretdb_sjson->"_id"` but queries, updates and deletes by `_id` with `_ferretdb_sjson->'$._id'`.
 * SQLite only uses an expression index for the same expression, so every lookup by `_id` scanned
 * the whole table (EXPLAIN: `SCAN`; 0.6 ms at 1,000 documents, 250 ms at 1,000,000). Querying with
 * the index's own expression turns it into `SEARCH … USING INDEX` and leaves the stored data and
 * its indexes as they are, so databases written by an unpatched build work unchanged.
 */
export const FERRETDB_PATCHES = [
  {
    name: 'sqlite-id-index',
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + `->"_id"`',
  },
];

function applyPatches(src: string): void {
  for (const p of FERRETDB_PATCHES) {
    const file = path.join(src, p.file);
    const text = fs.readFileSync(file, 'utf8');
    if (text.split(p.from).length !== 2) throw new ProvisionError(`FerretDB patch ${p.name} does not apply to ${p.file}`);
    fs.writeFileSync(file, text.replace(p.from, p.to));
  }
}

export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export class ProvisionError extends Error {}

type Progress = (line: string) => void;

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv },
  progress: Progress,
  label: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      const lines = String(d).split('\n').filter(Boolean);
      for (const l of lines) if (l.startsWith('go: downloading')) progress(`  ${l.slice(4)}`);
    });
    const tick = setInterval(() => progress(`  ${label}… ${Math.round((Date.now() - started) / 1000)}s`), 10_000);
    child.on('error', (e) => {
      clearInterval(tick);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(tick);
      if (code === 0) resolve(out);
      else reject(new ProvisionError(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

/**
 * Builds FerretDB once into the cache. `go install MODULE@v1.24.2` is what upstream documents, but the
 * module zip lacks the generated build/version/version.txt, so a binary built that way panics at start
 * ("Invalid build/version/version.txt"), and the Go proxy may refuse the version list go install asks
 * for. So: download the exact module version, copy it, write version.txt, and `go build` it.
 */
export async function provisionFerretDB(rootDir: string, progress: Progress = (l) => process.stderr.write(l + '\n')): Promise<string> {
  const dir = ferretdbCacheDir(rootDir);
  const bin = path.join(dir, 'ferretdb');
  if (fs.existsSync(bin)) return bin;
  const go = which('go');
  if (!go) {
    throw new ProvisionError(
      '找不到数据库：请设置 MONGODB_URI，或安装 mongod 或 Go（用于构建内嵌 FerretDB）。 / No database: set MONGODB_URI, or install mongod, or install Go to build the embedded FerretDB.',
    );
  }
  progress(`首次运行：正在构建内嵌数据库 FerretDB ${FERRETDB_VERSION}（约 1–3 分钟）/ first run: building FerretDB ${FERRETDB_VERSION}`);
  progress(`[1/3] go mod download ${MODULE}@${FERRETDB_VERSION}`);
  const info = JSON.parse(
    await run(
      go,
      ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`],
      { cwd: rootDir, env: { GOFLAGS: '-mod=mod' } },
      progress,
      'downloading',
    ),
  ) as { Dir: string };
  const src = path.join(dir, 'src');
  fs.rmSync(src, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  progress('[2/3] preparing sources (version.txt, patches)');
  fs.cpSync(info.Dir, src, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', src]);
  fs.writeFileSync(path.join(src, 'build', 'version', 'version.txt'), FERRETDB_VERSION + '\n');
  applyPatches(src);
  progress('[3/3] go build ./cmd/ferretdb');
  const tmp = bin + '.tmp';
  await run(go, ['build', '-trimpath', '-o', tmp, './cmd/ferretdb'], { cwd: src, env: { CGO_ENABLED: '0' } }, progress, 'compiling');
  fs.renameSync(tmp, bin);
  fs.rmSync(src, { recursive: true, force: true });
  progress(`FerretDB ${FERRETDB_BUILD} ready: ${bin}`);
  return bin;
}
