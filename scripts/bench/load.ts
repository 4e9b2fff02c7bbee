import autocannon from 'autocannon';

/** One HTTP request of a load run; `next()` is called for every request sent. */
export interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** status code → count, for everything answered */
  statuses: Record<string, number>;
  /** connection errors and timeouts */
  errors: number;
}

export const CONNECTIONS = 20;

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Sends a fixed number of requests, or for a fixed time, with autocannon (-c 20 -p 1) and records
 * every response time itself:
 * autocannon's own histogram has no p95, and the targets compare p95s.
 */
export function runLoad(baseUrl: string, size: { amount: number } | { duration: number }, next: () => Req): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        pipelining: 1,
        ...size,
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const n = next();
              return { ...req, method: n.method, path: n.path, headers: { ...req.headers, ...n.headers }, body: n.body ?? '' };
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        latencies.sort((a, b) => a - b);
        resolve({
          requests: latencies.length,
          seconds: round(seconds, 2),
          rps: round(latencies.length / seconds),
          p50: round(quantile(latencies, 0.5), 2),
          p95: round(quantile(latencies, 0.95), 2),
          p99: round(quantile(latencies, 0.99), 2),
          statuses,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
}
