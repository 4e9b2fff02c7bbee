/**
 * `npx tsx scripts/bench/reliability-doc.ts`: writes the figures of the last reliability run
 * (test-artifacts/reliability/*.json; full sizes when present, else reduced) into the
 * `reliability` block of docs/RELIABILITY.md, with the machine they ran on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { replaceBlock } from './docs-block';
import { machine } from './machine';
import { ROOT } from './processes';

type Findings = Record<string, any>;
const dir = path.join(ROOT, 'test-artifacts', 'reliability');

function load(name: string): Findings | undefined {
  for (const file of [`${name}.json`, `${name}.reduced.json`]) {
    const p = path.join(dir, file);
    if (fs.existsSync(p)) return JSON.parse(fs.readFileSync(p, 'utf8')) as Findings;
  }
  return undefined;
}

const size = (f: Findings) => (f.full ? 'full' : 'reduced');
const lines: string[] = [];
const m = machine();
lines.push(
  `Written ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at commit ${m.commit} on ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB; load average now ${m.load.join(' / ')}.`,
  '',
);
lines.push('| test | size | ran at | database | result |', '| --- | --- | --- | --- | --- |');

const s = load('signups');
if (s)
  lines.push(
    `| concurrent sign-ups | ${size(s)}: ${s.trials} trials × ${s.signupsPerTrial} for ${s.seats} seats | ${s.at.slice(0, 16)} | ${s.server} | ${s.overbookings} overbookings, ${s.lost} lost, ${s.non201} non-201, ${s.seconds} s |`,
  );
const i = load('idempotency');
if (i)
  lines.push(
    `| Idempotency-Key retries | ${size(i)}: ${Object.keys(i.routes).length} routes × 6 sends (5 at once, then 1) | ${i.at.slice(0, 16)} | ${i.server} | ${Object.values(i.routes as Record<string, { records: number }>).every((r) => r.records === 1) ? 'one record each, same response on every success' : 'see artifact'} |`,
  );
const o = load('db-outage');
if (o) {
  const cycles = o.cycles as Array<{ kind?: string; downMs: number; recoveryMs: number; readyzWhileDown?: number[]; slowestMs?: number }>;
  const kills = cycles.filter((c) => (c.kind ?? 'SIGKILL') === 'SIGKILL');
  const stops = cycles.filter((c) => c.kind === 'SIGSTOP');
  const frozen = stops.length
    ? `; frozen ${stops.map((c) => `${Math.round(c.downMs / 100) / 10} s`).join(', ')} (deadline ${o.deadlineMs} ms): slowest answer ${stops.map((c) => `${c.slowestMs} ms`).join(', ')}, writes back ${stops.map((c) => `${c.recoveryMs} ms`).join(', ')} after the supervisor's restart`
    : '';
  lines.push(
    `| database killed and frozen under load | ${size(o)}: ${kills.length} SIGKILL + ${stops.length} SIGSTOP, ${o.writers} writers, ${o.writes} writes | ${o.at.slice(0, 16)} | ${o.server} | ${o.acknowledgedButNotStored} acknowledged but not stored; statuses ${JSON.stringify(o.statuses)}; /readyz while down ${[...new Set(kills.flatMap((c) => c.readyzWhileDown ?? []))].join(', ')}; writes back ${kills.map((c) => `${c.recoveryMs} ms`).join(', ')} after the supervisor's restart${frozen} |`,
  );
}
const k = load('crash-counters');
if (k) {
  const crashes = k.crashes as Array<{
    actsAcknowledged: number;
    participationsUncountedAfterKill: number;
    readyMs: number;
    differences: number;
  }>;
  lines.push(
    `| service killed under load (counters) | ${size(k)}: ${crashes.length} SIGKILL(s), ${k.writers} writers | ${k.at.slice(0, 16)} | ${k.server} | acts left uncounted by the kill ${crashes.map((c) => c.participationsUncountedAfterKill).join(', ')}; ready ${crashes.map((c) => `${Math.round(c.readyMs / 100) / 10} s`).join(', ')} after start (rebuild included); counters ≠ rebuild afterwards: ${crashes.map((c) => c.differences).join(', ')} |`,
  );
}
const z = load('fuzz');
if (z)
  lines.push(
    `| hostile requests | ${size(z)}: ${z.requests} over ${z.operations} operations | ${z.at.slice(0, 16)} | ${z.server} | ${z.fiveHundreds} × 5xx; statuses ${JSON.stringify(z.statuses)}; heap after GC ${z.heapMb.afterWarmUp} → ${z.heapMb.atEnd} MB |`,
  );
const a = load('access-matrix');
if (a)
  lines.push(
    `| access matrix | ${a.operations} operations × ${a.roles.length} callers | ${a.at.slice(0, 16)} | ${a.server} | ${a.mismatches.length} mismatches with the intended table |`,
  );
const r = load('rate-limits');
if (r)
  lines.push(
    `| rate limits | ${Object.keys(r.routes).length} limited routes | ${r.at.slice(0, 16)} | ${r.server} | ${Object.values(r.routes as Record<string, { overStatus: number }>).filter((x) => x.overStatus === 429).length} answer 429 past their budget |`,
  );

replaceBlock(path.join(ROOT, 'docs', 'RELIABILITY.md'), 'reliability', lines.join('\n'));
console.log(lines.join('\n'));
