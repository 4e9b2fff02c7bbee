import type { BotComparison } from './bot';
import type { Machine } from './machine';
import type { Check } from './report';
import type { TargetResult } from './rounds';
import type { ScaleResult } from './scale';

export interface BenchReport {
  at: string;
  quick: boolean;
  machine: Machine;
  loadAfter: number[];
  database: string;
  service: string;
  targets: TargetResult[];
  bots: BotComparison[];
  scale?: ScaleResult;
  checks: Check[];
}

const verdict = (c: Check) => (c.pass === undefined ? 'not measured' : c.pass ? '**met**' : '**not met**');
const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '—');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');

/** The figures of one bench run as Markdown, for docs/PERFORMANCE.md. */
export function benchMarkdown(r: BenchReport): string {
  const m = r.machine;
  const out = [
    `Measured ${r.at.slice(0, 16).replace('T', ' ')} UTC${r.quick ? ' (quick run)' : ''} at commit ${m.commit}: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}; load average ${m.load.join(' / ')} before, ${r.loadAfter.join(' / ')} after; database ${r.database}; service \`${r.service}\`.`,
    '',
    '| target | req/s | p50 ms | p95 ms | p99 ms | RSS MB | ratio | needs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...r.targets.map(
      (t) =>
        `| ${t.label} | ${f0(t.rps)} | ${f1(t.p50)} | ${f1(t.p95)} | ${f1(t.p99)} | ${t.rssMb} | ${t.ratio !== undefined ? `${t.ratio.toFixed(2)} × ${t.baseline}` : ''} | ${t.minRatio !== undefined ? `≥ ${t.minRatio}` : ''} |`,
    ),
    '',
  ];
  for (const b of r.bots) {
    out.push(`Bot vs HTTP, ${b.check.name.replace(/^bot engine \(PuppetMock\) p95, /, '')} (medians of 3 alternating rounds):`, '');
    out.push('| path | rate | p50 ms | p95 ms | p99 ms |', '| --- | ---: | ---: | ---: | ---: |');
    out.push(`| HTTP (${b.http.target}) | ${f0(b.http.rps)} req/s | ${f1(b.http.p50)} | ${f1(b.http.p95)} | ${f1(b.http.p99)} |`);
    out.push(`| bot on PuppetMock | ${f0(b.bot.rps)} msg/s | ${f1(b.bot.p50)} | ${f1(b.bot.p95)} | ${f1(b.bot.p99)} |`);
    out.push(`| engine.handle alone | ${f0(b.engine.rps)} msg/s | ${f1(b.engine.p50)} | ${f1(b.engine.p95)} | ${f1(b.engine.p99)} |`, '');
  }
  if (r.scale?.points.length) {
    out.push('Statistics at scale (city-wide awareness, last 90 days):', '');
    out.push(
      '| answers | seeded in | under load req/s | p95 ms | cold p50 ms | cold p95 ms |',
      '| ---: | --- | ---: | ---: | ---: | ---: |',
    );
    for (const p of r.scale.points)
      out.push(
        `| ${p.answers.toLocaleString('en')} | ${p.seed.totalSeconds} s (insert ${p.seed.insertDocsPerSecond} docs/s, rebuild ${p.seed.rebuildSeconds} s) | ${f1(p.rps)} | ${f1(p.p95)} | ${f1(p.cold.p50)} | ${f1(p.cold.p95)} |`,
      );
    out.push('');
  }
  out.push('| check | target | measured | result |', '| --- | --- | --- | --- |');
  for (const c of r.checks) out.push(`| ${c.name} | ${c.target} | ${c.measured}${c.note ? ` (${c.note})` : ''} | ${verdict(c)} |`);
  return out.join('\n');
}
