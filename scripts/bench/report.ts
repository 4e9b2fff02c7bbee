import type { TargetResult } from './rounds';

export interface Check {
  name: string;
  target: string;
  measured: string;
  /** undefined: could not be measured (see note) */
  pass?: boolean;
  note?: string;
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));
const verdict = (pass: boolean | undefined) => (pass === undefined ? '—' : pass ? 'PASS' : 'FAIL');

/** The throughput table: one line per target, medians of the rounds. */
export function throughputTable(results: TargetResult[]): string {
  const head = ['target', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'RSS MB', 'vs', 'ratio', 'needs', 'result'];
  const rows = results.map((r) => [
    r.label,
    r.rps.toFixed(0),
    r.p50.toFixed(1),
    r.p95.toFixed(1),
    r.p99.toFixed(1),
    String(r.rssMb),
    r.baseline ?? '',
    r.ratio !== undefined ? r.ratio.toFixed(2) : '',
    r.minRatio !== undefined ? `≥ ${r.minRatio.toFixed(2)}` : '',
    r.minRatio !== undefined ? verdict(r.pass) : r.note ? 'CHECK' : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i >= 1 && i <= 5)).join('  ');
  const notes = results.filter((r) => r.note).map((r) => `  ! ${r.id}: ${r.note}`);
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...notes].join('\n');
}

export function checksTable(checks: Check[]): string {
  const rows = checks.map((c) => `${pad(verdict(c.pass), 5)} ${c.name}: ${c.measured} (target ${c.target})${c.note ? ` — ${c.note}` : ''}`);
  return rows.join('\n');
}
