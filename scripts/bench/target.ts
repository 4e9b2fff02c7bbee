import type { Client } from './client';
import type { Req } from './load';

/** The processes the harness starts: the real service and the four baselines. */
export type ServerName = 'service' | 'node-http' | 'koa-router' | 'koa-insert' | 'koa-find';

/** What a target's prepare() gets: the client of its server, and tokens made once per run. */
export interface PrepareContext {
  client: Client;
  /** an office staff token (service only) */
  office: string;
  /** an admin token (service only) */
  admin: string;
}

export interface Target {
  id: string;
  label: string;
  server: ServerName;
  /** the status every request of the run must get */
  okStatus: number;
  /** the baseline target this one is compared with, and the least ratio of req/s that passes */
  baseline?: string;
  minRatio?: number;
  /** operations ("POST /api/v1/x/{id}") the service must publish for this target to run */
  requires?: string[];
  /**
   * every request consumes a fixture (a survey response needs a fresh resident): such targets run a
   * fixed number of requests per round, the others a fixed time
   */
  pooled?: boolean;
  /** builds `count` distinct requests' worth of fixtures; returns the request generator */
  prepare(ctx: PrepareContext, count: number): Promise<() => Req>;
}

/** A generator cycling through prepared requests (fixtures are sized so it never wraps in a run). */
export function cycle(reqs: Req[]): () => Req {
  let i = 0;
  return () => reqs[i++ % reqs.length]!;
}

export const json = (body: unknown, token?: string, extra: Record<string, string> = {}): Pick<Req, 'headers' | 'body'> => ({
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
  body: JSON.stringify(body),
});
