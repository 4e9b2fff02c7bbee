import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Principal } from '../core/auth';
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

/** An act of participation a feature records (参与率 counts residents with any of them). */
export interface ParticipationKindDef {
  /** stored with every act and in counter ids: short, lower case, never renamed */
  kind: string;
  /** its name in tables, the dashboard and chat, in Chinese (e.g. 知识问答) */
  name: string;
  /**
   * how a resident's own summary (GET /me `participation`, "我的" in chat) counts these acts: under
   * `key` (e.g. quizzes), called `label` (答题), listed by `order`; kinds without it are left out
   */
  summary?: { key: string; label: string; order: number };
}

/**
 * Who may see a media file (photo) once a record of this module owns it: `ownerKind` is what the
 * module passes to attachMedia, `mayView` decides for the owning record's id.
 */
export interface MediaAccessRule {
  ownerKind: string;
  mayView: (ownerId: string, who: Principal) => Promise<boolean>;
}

/**
 * One retention rule (PIPL: personal data kept only as long as necessary), run nightly by
 * maintenance. `apply` deletes or anonymizes what is due at `at` and returns counts by key;
 * `labels` says what each count is, in the words of the 定时任务 page ("张随手拍照片").
 */
export interface RetentionRule {
  name: string;
  apply: (at: Date) => Promise<Record<string, number>>;
  labels: Record<string, string>;
}

/**
 * A conversation of the bot (bots/flows/flow.ts `defineFlow`). Typed here only by what the
 * manifest needs, so that src/ never imports the bot: the bot assembles its flow list from every
 * module's `botFlows` and knows their full type.
 */
export interface BotFlowDef {
  readonly name: string;
  readonly keywords: readonly string[];
}

/**
 * What a feature module exports; `modules/index.ts` lists them. Every field is optional: the
 * service, the bot and the jobs read the list (through the installed manifest, modules/manifest.ts),
 * so a feature is one folder and one line there — plus its resident pages, which the H5 router
 * collects from `src/h5/src/pages/<feature>/routes.ts`.
 */
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
  /** the acts of participation this feature records, with their Chinese names */
  participation?: ParticipationKindDef[];
  /** who may see the photos its records own */
  mediaAccess?: MediaAccessRule[];
  /** what it deletes or anonymizes when due (maintenance's nightly privacy.retention job runs them) */
  retention?: RetentionRule[];
  /** its conversations in the bot (menu entries and keywords come with each flow) */
  botFlows?: readonly BotFlowDef[];
}
