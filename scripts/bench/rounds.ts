import { CONNECTIONS, median, runLoad, type LoadResult, type Req } from './load';
import { sampleRss, type Child } from './processes';
import type { PrepareContext, ServerName, Target } from './target';
import { Client } from './client';

export interface Sizes {
  /** at most this many requests per round of a pooled target; its warm-up sends warmAmount */
  amount: number;
  warmAmount: number;
  /** seconds per round of other targets, and of their warm-up */
  duration: number;
  warmDuration: number;
  rounds: number;
}

export interface TargetResult {
  id: string;
  label: string;
  server: ServerName;
  rounds: LoadResult[];
  /** medians over the rounds */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** peak VmRSS of the serving process during this target's rounds */
  rssMb: number;
  /** responses that were not the expected status, and connection errors, over all rounds */
  unexpected: Record<string, number>;
  baseline?: string;
  baselineRps?: number;
  ratio?: number;
  minRatio?: number;
  pass?: boolean;
  note?: string;
}

interface Prepared {
  target: Target;
  next: () => Req;
  /** requests per round (pooled targets) */
  amount: number;
  child: Child;
  results: LoadResult[];
  rss: number;
}

/**
 * Prepares and warms up every target, then runs `rounds` rounds in which every target runs once,
 * in turn (alternating, so drift in the machine's load touches all targets alike). Medians per target.
 */
export async function runRounds(
  targets: Target[],
  children: Map<ServerName, Child>,
  ctx: Omit<PrepareContext, 'client'>,
  sizes: Sizes,
  log: (line: string) => void,
): Promise<TargetResult[]> {
  const prepared: Prepared[] = [];
  const prepare = async (target: Target, child: Child, count: number) => {
    const t0 = Date.now();
    const next = await target.prepare({ ...ctx, client: new Client(child.url) }, count);
    log(`prepared ${target.id}${count ? ` (${count} requests' fixtures)` : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return next;
  };
  for (const target of targets) {
    const child = children.get(target.server)!;
    const warm = await prepare(target, child, target.pooled ? sizes.warmAmount + CONNECTIONS : 0);
    const w = await runLoad(child.url, target.pooled ? { amount: sizes.warmAmount } : { duration: sizes.warmDuration }, warm);
    log(`warm-up ${target.id}: ${w.rps} req/s`);
    // A pooled target's rounds last about `duration` at its warm-up rate (a slow one would take
    // many minutes for a fixed count), within [warmAmount, amount] requests.
    const amount = Math.round(Math.min(sizes.amount, Math.max(sizes.warmAmount, w.rps * sizes.duration)));
    const next = target.pooled ? await prepare(target, child, sizes.rounds * (amount + CONNECTIONS)) : warm;
    prepared.push({ target, next, child, amount, results: [], rss: 0 });
  }
  for (let round = 1; round <= sizes.rounds; round++) {
    for (const p of prepared) {
      const stopRss = sampleRss(p.child.pid);
      const r = await runLoad(p.child.url, p.target.pooled ? { amount: p.amount } : { duration: sizes.duration }, p.next);
      p.rss = Math.max(p.rss, stopRss());
      p.results.push(r);
      log(`round ${round} ${p.target.id}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
    }
  }
  return prepared.map(summarize);
}

function summarize(p: Prepared): TargetResult {
  const unexpected: Record<string, number> = {};
  for (const r of p.results) {
    for (const [status, n] of Object.entries(r.statuses))
      if (Number(status) !== p.target.okStatus) unexpected[status] = (unexpected[status] ?? 0) + n;
    if (r.errors) unexpected.errors = (unexpected.errors ?? 0) + r.errors;
  }
  const med = (f: (r: LoadResult) => number) => median(p.results.map(f));
  return {
    id: p.target.id,
    label: p.target.label,
    server: p.target.server,
    rounds: p.results,
    rps: med((r) => r.rps),
    p50: med((r) => r.p50),
    p95: med((r) => r.p95),
    p99: med((r) => r.p99),
    rssMb: p.rss,
    unexpected,
    baseline: p.target.baseline,
    minRatio: p.target.minRatio,
  };
}

/** Fills in ratio and pass/fail against each target's baseline. */
export function judge(results: TargetResult[]): void {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const r of results) {
    const clean = Object.keys(r.unexpected).length === 0;
    if (!clean) r.note = `unexpected responses: ${JSON.stringify(r.unexpected)}`;
    if (!r.baseline) continue;
    const base = byId.get(r.baseline);
    if (!base) continue;
    r.baselineRps = base.rps;
    r.ratio = Math.round((r.rps / base.rps) * 100) / 100;
    if (r.minRatio !== undefined) r.pass = clean && r.ratio >= r.minRatio;
  }
}
