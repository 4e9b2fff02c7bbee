/**
 * `npm run bench [-- --quick] [--only id,id] [--skip-bot] [--skip-scale] [--skip-triage] [--triage-only] [--answers N] [--out file]`
 *
 * Starts one database server (embedded, or MONGODB_URI) and on it, side by side, the real service
 * and four baselines; warms up, runs three alternating rounds per target with autocannon (-c 20
 * -p 1), takes medians, then measures the bot against HTTP, statistics at scale and the tip-off
 * triage table on 50,000 tip-offs (triage.ts; `--triage-only` runs that alone). Prints a table
 * and writes the figures (with the machine and its load) as JSON. See docs/PERFORMANCE.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/core/db/embedded';
import { baselineTargets } from './baselines';
import { runBotComparisons, type BotComparison } from './bot';
import { Client } from './client';
import { replaceBlock } from './docs-block';
import { machine } from './machine';
import { benchMarkdown } from './markdown';
import { ROOT, type Child } from './processes';
import { checksTable, throughputTable, type Check } from './report';
import { judge, runRounds, type Sizes, type TargetResult } from './rounds';
import { runScale, type ScaleResult } from './scale';
import { runTriageScale, type TriageResult } from './triage';
import { compileService, startServers, staffTokens, type ServiceMode } from './servers';
import type { ServerName, Target } from './target';
import { serviceTargets } from './usecases';

export const RSS_LIMIT_MB = 300;

interface Missing {
  id: string;
  label: string;
  needs: string[];
}

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'skip-bot': { type: 'boolean', default: false },
    'skip-scale': { type: 'boolean', default: false },
    'skip-triage': { type: 'boolean', default: false },
    'triage-only': { type: 'boolean', default: false },
    answers: { type: 'string' },
    out: { type: 'string' },
    compiled: { type: 'boolean', default: false },
    'node-options': { type: 'string' },
    'write-docs': { type: 'boolean', default: false },
  },
});

const sizes: Sizes = args.quick
  ? { amount: 300, warmAmount: 60, duration: 3, warmDuration: 1, rounds: 3 }
  : { amount: 3000, warmAmount: 200, duration: 10, warmDuration: 3, rounds: 3 };
/** The heap cap the Dockerfile's CMD gives the compiled service (keep the two in step). */
const DOCKERFILE_NODE_OPTIONS = ['--max-old-space-size=192'];
const mode: ServiceMode = {
  compiled: args.compiled,
  nodeOptions: args['node-options']?.split(' ').filter(Boolean) ?? (args.compiled ? DOCKERFILE_NODE_OPTIONS : []),
};
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Baselines always run (the ratios need them); `--only` picks service targets by id. */
function availableTargets(published: Set<string>): { run: Target[]; missing: Missing[] } {
  const only = args.only?.split(',');
  const wanted = serviceTargets.filter((t) => !only || only.includes(t.id));
  const missing = wanted
    .filter((t) => t.requires?.some((op) => !published.has(op)))
    .map((t) => ({ id: t.id, label: t.label, needs: t.requires!.filter((op) => !published.has(op)) }));
  return { run: [...baselineTargets, ...wanted.filter((t) => !missing.some((m) => m.id === t.id))], missing };
}

function checks(results: TargetResult[], missing: Missing[], bots: BotComparison[], scale?: ScaleResult, triage?: TriageResult): Check[] {
  const out: Check[] = results
    .filter((r) => r.minRatio !== undefined)
    .map((r) => ({
      name: r.label,
      target: `≥ ${r.minRatio} × ${r.baseline}`,
      measured: `${r.ratio} × (${r.rps.toFixed(0)} vs ${r.baselineRps?.toFixed(0)} req/s)`,
      pass: r.pass,
      note: r.note,
    }));
  for (const m of missing)
    out.push({ name: m.label, target: 'measured', measured: 'not available', note: `the service does not publish ${m.needs.join(', ')}` });
  const service = results.filter((r) => r.server === 'service');
  const rss = Math.max(0, ...service.map((r) => r.rssMb));
  const how = mode.compiled
    ? 'compiled build, as the Dockerfile runs it'
    : 'under tsx (its loader adds about 50 MB; --compiled runs the build as the Dockerfile does)';
  out.push({
    name: 'service RSS under load',
    target: `≤ ${RSS_LIMIT_MB} MB`,
    measured: `${rss} MB peak`,
    pass: service.length ? rss <= RSS_LIMIT_MB : undefined,
    note: `${how}${mode.nodeOptions.length ? `, node ${mode.nodeOptions.join(' ')}` : ''}`,
  });
  for (const b of bots) out.push(b.check);
  if (scale) out.push(scale.check);
  if (triage) out.push(...triage.checks);
  return out;
}

async function main(): Promise<void> {
  const runId = Date.now().toString(36);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-bench-'));
  const logDir = path.join(ROOT, 'test-artifacts', 'bench-logs');
  const before = machine();
  log(`machine: ${before.cpus} cpus, ${before.memoryGb} GB, load ${before.load.join(' ')}`);
  let embedded: EmbeddedServer | undefined;
  let children = new Map<ServerName, Child>();
  try {
    const uri =
      process.env.MONGODB_URI ??
      (embedded = await startEmbeddedServer({ rootDir: ROOT, dataDir: path.join(workDir, 'db'), progress: log })).uri;
    const dbKind = embedded?.kind ?? 'external';
    log(`database: ${dbKind}`);
    if (mode.compiled) compileService();
    children = await startServers(uri, runId, workDir, logDir, mode);
    const service = children.get('service')!;
    const tokens = await staffTokens(new Client(service.url));
    const published = await new Client(service.url).operations();
    const { run, missing } = availableTargets(published);
    for (const m of missing) log(`not available: ${m.id} (needs ${m.needs.join(', ')})`);
    const alone = args['triage-only'];
    const results = alone ? [] : await runRounds(run, children, tokens, sizes, log);
    judge(results);
    for (const [name, c] of children) if (name !== 'service') await c.stop();
    const bots =
      args['skip-bot'] || alone
        ? []
        : await runBotComparisons({ uri, runId, workDir, logDir, quick: args.quick, log, service, ctx: tokens, targets: run });
    for (const c of children.values()) await c.stop();
    children.clear();
    const scale =
      args['skip-scale'] || alone
        ? undefined
        : await runScale({
            uri,
            runId,
            workDir,
            logDir,
            quick: args.quick,
            answers: args.answers ? Number(args.answers) : undefined,
            published,
            mode,
            log,
          });
    const triage = args['skip-triage'] ? undefined : await runTriageScale({ uri, runId, workDir, logDir, quick: args.quick, mode, log });

    const allChecks = checks(results, missing, bots, scale, triage);
    const report = {
      at: new Date().toISOString(),
      quick: args.quick,
      machine: before,
      loadAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
      database: dbKind,
      service: mode.compiled
        ? `node ${mode.nodeOptions.join(' ')} (compiled)`
        : `node ${mode.nodeOptions.join(' ')} --import tsx src/main.ts`,
      sizes,
      connections: 20,
      pipelining: 1,
      targets: results,
      bots,
      scale,
      triage,
      checks: allChecks,
    };
    const out =
      args.out ??
      (args.quick ? path.join(ROOT, 'test-artifacts', 'bench-results.quick.json') : path.join(ROOT, 'docs', 'bench-results.json'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
    console.log(`\n${throughputTable(results)}\n`);
    for (const b of bots) console.log(b.table + '\n');
    if (scale) console.log(scale.table + '\n');
    if (triage) console.log(triage.table + '\n');
    console.log(checksTable(allChecks));
    if (args['write-docs']) replaceBlock(path.join(ROOT, 'docs', 'PERFORMANCE.md'), 'bench', benchMarkdown(report));
    console.log(
      `\nmachine: ${before.cpus} cpus (${before.cpuModel}), ${before.memoryGb} GB, load before ${before.load.join(' ')}, after ${report.loadAfter.join(' ')}; database ${dbKind}; service ${report.service}; written to ${path.relative(ROOT, out)}`,
    );
    process.exitCode = allChecks.some((c) => c.pass === false) ? 1 : 0;
  } finally {
    for (const c of children.values()) await c.stop();
    await embedded?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
