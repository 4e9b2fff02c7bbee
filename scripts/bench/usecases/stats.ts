import type { Req } from '../load';
import type { Target } from '../target';
import { bearer, CITY } from './fixtures';

export const STATS_OPERATION = 'GET /api/v1/stats/awareness';

/** The office's awareness figures for the whole city over the last 90 days. */
export function statsRequest(token: string): Req {
  const to = new Date();
  const from = new Date(to.getTime() - 90 * 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { method: 'GET', path: `/api/v1/stats/awareness?region=${CITY}&from=${day(from)}&to=${day(to)}`, headers: bearer(token) };
}

/** A statistics request: reads counters by _id, so it is compared with a driver findOne({_id}). */
export const statsTarget: Target = {
  id: 'stats-awareness',
  label: 'statistics (GET /api/v1/stats/awareness)',
  server: 'service',
  okStatus: 200,
  baseline: 'koa-find',
  minRatio: 0.5,
  requires: [STATS_OPERATION],
  prepare: async ({ office }) => {
    const req = statsRequest(office);
    return () => req;
  },
};
