import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ErrorFormat } from '../core/http/middleware';
import type { CounterSource } from './counters';

/** A scheduled job a module declares in its <m>.jobs.ts; the runner adds leases and run records. */
export interface JobDefinition {
  name: string;
  /** node-cron expression, overridable by config */
  schedule: string;
  /** the job's name in the console, in Chinese (e.g. 每日一题推送) */
  title: string;
  description: string;
  run: (at: Date) => Promise<Record<string, number> | void>;
  /** the counts a run returned as a sentence a person reads (stored with the run, shown in the console) */
  summarize: (counts: Record<string, number>) => string;
}

/** What a feature module exports; `modules/index.ts` lists them. */
export interface AppModule {
  name: string;
  routers?: Router[];
  /** answers a request no router matched (e.g. Open311's own 404 under its prefix); mounted after every router */
  fallback?: Middleware;
  /** the error body of the paths under a prefix, when its clients expect their own (Open311) */
  errorFormat?: ErrorFormat;
  jobs?: JobDefinition[];
  /** upserts this module's content/ files into the database; returns a one-line summary */
  syncContent?: () => Promise<string>;
  /** loads in-memory caches after the database connects */
  init?: () => Promise<void>;
  /**
   * The counters this module keeps in stat_counters, recomputed from its own source records by
   * `npm run stats:rebuild` (participations and indicator responses are the kernel's own).
   */
  counters?: CounterSource;
}
