import fs from 'node:fs';
import path from 'node:path';
import { validate as validCron } from 'node-cron';
import { z } from 'zod';

/** One schema over the environment; parsed once. A bad value stops start-up naming the variable. */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
/** `job.name=cron expr;other.job=cron expr` → {name: expr}; each expression must be a valid cron pattern. */
const schedules = z
  .string()
  .transform((v) =>
    Object.fromEntries(
      v
        .split(';')
        .filter((p) => p.trim())
        .map((p) => (p.includes('=') ? [p.split('=')[0]!.trim(), p.slice(p.indexOf('=') + 1).trim()] : ['', p])),
    ),
  )
  .refine(
    (m) => Object.entries(m).every(([k, v]) => /^[\w.-]+$/.test(k) && validCron(v)),
    'must be name=cron expression pairs separated by ;',
  );

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  ADMIN_USERNAME: z.string().min(3).max(32).optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DATA_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)')
    .optional(),
  TRUST_PROXY: bool.default(false),
  /** multiplies every rate limit (tests raise it; 1 in production) */
  RATE_LIMIT_SCALE: z.coerce.number().positive().default(1),
  /** a request not answered after this long gets 503 DB_UNAVAILABLE (a stalled database never hangs a client) */
  REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  WECHATY_PUPPET: z.string().optional(),
  WECHATY_PUPPET_TOKEN: z.string().optional(),
  WECHAT_APP_ID: z.string().optional(),
  WECHAT_APP_SECRET: z.string().optional(),
  WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
  WECHAT_OAUTH_BASE: z.url().default('https://open.weixin.qq.com'),
  /** the Official Account (公众号): unset means the channel is off */
  WECHAT_MP_APP_ID: z
    .string()
    .regex(/^[\w-]{6,64}$/, 'must be the Official Account AppID (e.g. wx1234567890abcdef)')
    .optional(),
  WECHAT_MP_APP_SECRET: z
    .string()
    .regex(/^[\w-]{6,128}$/, 'must be the Official Account AppSecret')
    .optional(),
  // WeChat's own rules for the console fields: Token 3–32 letters or digits, EncodingAESKey 43 letters or digits.
  WECHAT_MP_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3–32 letters or digits, as entered in the WeChat console')
    .optional(),
  WECHAT_MP_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey (unset means 明文 mode)')
    .optional(),
  /** how long the engine may take before the reply goes by 客服消息 instead of the passive reply (WeChat waits 5 s) */
  WECHAT_MP_PASSIVE_MS: z.coerce.number().int().min(0).max(4500).default(4500),
  /** the mini-program (小程序): code2Session and 订阅消息; unset means its notices are off */
  WECHAT_MINI_APP_ID: z
    .string()
    .regex(/^[\w-]{6,64}$/, 'must be the mini-program AppID (e.g. wx1234567890abcdef)')
    .optional(),
  WECHAT_MINI_APP_SECRET: z
    .string()
    .regex(/^[\w-]{6,128}$/, 'must be the mini-program AppSecret')
    .optional(),
  /** a 企业微信 group robot's webhook (…/cgi-bin/webhook/send?key=…): office notices go there too */
  WECOM_WEBHOOK_URL: z
    .url()
    .refine((u) => /^https?:/.test(u) && new URL(u).searchParams.has('key'), 'must be the group robot webhook URL with its ?key=')
    .optional(),
  OPEN311_API_KEYS: csv.default([]),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TZ_NAME: z.string().default('Asia/Shanghai'),
  JOBS_ENABLED: bool.default(true),
  JOBS_DISABLED: csv.default([]),
  // per-job schedule overrides, e.g. `tipoffs.escalate=*/15 * * * *;briefs.weekly=0 9 * * 1`
  JOB_SCHEDULES: schedules.default({}),
  /** the office's WeChat group room that receives the weekly brief: by id, or else by topic (name) */
  BRIEF_ROOM_ID: z.string().optional(),
  BRIEF_ROOM_TOPIC: z.string().optional(),
  /** hours past a tip-off's deadline after which the office is told too (the unit is told at the deadline) */
  ESCALATE_OFFICE_AFTER_HOURS: z.coerce.number().positive().default(48),
  BOT_SEND_INTERVAL_MS: z.coerce.number().int().min(0).default(1500),
  BOT_STALE_SECONDS: z.coerce.number().int().min(10).default(180),
  BOT_DAILY_LIMIT_PER_CONTACT: z.coerce.number().int().min(1).default(30),
  QUIZ_DAILY_SCORED_ATTEMPTS: z.coerce.number().int().min(0).default(3),
  /** how far from an activity's location a check-in may be sent (0: no location check) */
  VOLUNTEER_CHECKIN_RADIUS_M: z.coerce.number().int().min(0).default(1000),
  VOLUNTEER_POINTS_PER_HOUR: z.coerce.number().int().min(0).default(10),
  RETENTION_DAYS_PHOTOS: z.coerce.number().int().min(1).default(365),
  RETENTION_DAYS_PERSONAL: z.coerce.number().int().min(1).default(1095),
  /** days the 操作日志 (audit log of staff writes) is kept */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).default(180),
  /** 入户调查 quality flags (docs/fieldwork.md): an interview shorter than this many seconds per question is "too short" */
  FIELDWORK_SECONDS_PER_QUESTION: z.coerce.number().min(0).default(8),
  /** straight-lining: the same option position on every one of at least this many scale questions */
  FIELDWORK_STRAIGHT_LINE_MIN: z.coerce.number().int().min(2).default(5),
  /** more completed interviews than this by one enumerator within 60 minutes are flagged */
  FIELDWORK_MAX_PER_HOUR: z.coerce.number().int().min(1).default(4),
  /** a position farther than this from the community's centre is flagged */
  FIELDWORK_MAX_DISTANCE_M: z.coerce.number().int().min(0).default(1000),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string; rootDir: string };

export class ConfigError extends Error {}

/** The folder holding package.json (src/ under tsx, dist/src/ when compiled). */
function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** Parse an environment; throws ConfigError with one line naming the first bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(clean);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? '?');
    throw new ConfigError(`环境变量 ${name} 无效 / invalid environment variable ${name}: ${issue.message}`);
  }
  requireTogether(result.data, ['WECHAT_MP_APP_ID', 'WECHAT_MP_APP_SECRET', 'WECHAT_MP_TOKEN'], ['WECHAT_MP_AES_KEY']);
  requireTogether(result.data, ['WECHAT_MINI_APP_ID', 'WECHAT_MINI_APP_SECRET'], []);
  const rootDir = projectRoot();
  return { ...result.data, rootDir, dataDir: path.resolve(rootDir, result.data.DATA_DIR) };
}

/**
 * A channel configured by halves would fail on the first message: when any of `all` (or of `extra`)
 * is set, every one of `all` must be.
 */
function requireTogether(env: Record<string, unknown>, all: string[], extra: string[]): void {
  if (![...all, ...extra].some((k) => env[k] !== undefined)) return;
  const missing = all.find((k) => env[k] === undefined);
  if (missing)
    throw new ConfigError(
      `环境变量 ${missing} 无效 / invalid environment variable ${missing}: required with ${all.filter((k) => k !== missing).join(', ')}`,
    );
}

let current: Config | undefined;

export function config(): Config {
  current ??= parseConfig(process.env);
  return current;
}

/** Tests and scripts override parts of the configuration. */
export function setConfig(overrides: Partial<Config>): Config {
  current = { ...config(), ...overrides };
  return current;
}
