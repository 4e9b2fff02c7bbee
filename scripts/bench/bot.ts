import { Client } from './client';
import { median, runLoad } from './load';
import { runForResult, type Child } from './processes';
import type { Check } from './report';
import { serviceEnv } from './servers';
import { botUseCases, type BotUseCase } from './bot-usecases';
import type { PrepareContext, Target } from './target';

export const BOT_MAX_P95_RATIO = 1.5;

interface Measured {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface BotComparison {
  useCase: string;
  /** medians of three alternating rounds each */
  bot: Measured;
  /** the engine alone (handle() called directly): how much of the bot's time is Wechaty and the puppet */
  engine: Measured;
  http: Measured & { target: string };
  rounds: Array<{ bot: Measured; engine: Measured; http: Measured }>;
  ratio: number;
  check: Check;
  table: string;
}

interface Options {
  uri: string;
  runId: string;
  workDir: string;
  logDir: string;
  quick: boolean;
  log: (line: string) => void;
  service: Child;
  ctx: Omit<PrepareContext, 'client'>;
  targets: Target[];
}

/** Runs the bot driver child on its own database and reads its BOT_RESULT line. */
function runDriver(o: Options, useCase: string, amount: number, engineOnly: boolean): Promise<Measured> {
  const env = {
    ...serviceEnv(o.uri, `bench_bot_${o.runId}`, `${o.workDir}/bot`),
    BOT_USE_CASE: useCase,
    AMOUNT: String(amount),
    WARM: String(Math.round(amount / 5)),
    CONNECTIONS: '20',
    ENGINE_ONLY: engineOnly ? '1' : '0',
  };
  return runForResult<Measured>(
    engineOnly ? 'bot-engine' : 'bot-driver',
    'scripts/bench/bot-driver.ts',
    env,
    o.logDir,
    'BOT_RESULT',
    [],
    30 * 60_000,
  );
}

const medians = (list: Measured[]): Measured => ({
  requests: list.reduce((n, m) => n + m.requests, 0),
  rps: median(list.map((m) => m.rps)),
  p50: median(list.map((m) => m.p50)),
  p95: median(list.map((m) => m.p95)),
  p99: median(list.map((m) => m.p99)),
});
const line = (m: Measured, unit: string) => `${m.rps.toFixed(0)} ${unit}, p50 ${m.p50} ms, p95 ${m.p95} ms, p99 ${m.p99} ms`;

/**
 * One use case, three rounds, each: the HTTP target on the running service, the bot on PuppetMock,
 * the engine alone; all with 20 concurrent clients and the same number of requests.
 */
async function compare(o: Options, useCase: BotUseCase, target: Target): Promise<BotComparison> {
  const amount = o.quick ? 150 : 300;
  const next = await target.prepare({ ...o.ctx, client: new Client(o.service.url) }, 3 * (amount + 40));
  const rounds: BotComparison['rounds'] = [];
  const unexpected: Record<string, number> = {};
  await runLoad(o.service.url, { amount: 20 }, next);
  for (let r = 1; r <= 3; r++) {
    const http = await runLoad(o.service.url, { amount }, next);
    for (const [status, n] of Object.entries(http.statuses))
      if (Number(status) !== target.okStatus) unexpected[status] = (unexpected[status] ?? 0) + n;
    if (http.errors) unexpected.errors = (unexpected.errors ?? 0) + http.errors;
    const bot = await runDriver(o, useCase.id, amount, false);
    const engine = await runDriver(o, useCase.id, amount, true);
    o.log(`bot ${useCase.id} round ${r}: HTTP p95 ${http.p95} ms, bot p95 ${bot.p95} ms, engine p95 ${engine.p95} ms`);
    rounds.push({ http, bot, engine });
  }
  const http = { ...medians(rounds.map((r) => r.http)), target: target.id };
  const bot = medians(rounds.map((r) => r.bot));
  const engine = medians(rounds.map((r) => r.engine));
  const ratio = Math.round((bot.p95 / http.p95) * 100) / 100;
  const check: Check = {
    name: `bot engine (PuppetMock) p95, ${useCase.label}`,
    target: `≤ ${BOT_MAX_P95_RATIO} × HTTP p95`,
    measured: `${ratio} × (${bot.p95} vs ${http.p95} ms)`,
    pass: ratio <= BOT_MAX_P95_RATIO,
    ...(Object.keys(unexpected).length
      ? { note: `HTTP responses other than ${target.okStatus}: ${JSON.stringify(unexpected)} (see test-artifacts/bench-logs/service.log)` }
      : {}),
  };
  const table = [
    `bot vs HTTP: ${useCase.label} (20 concurrent contacts / connections, medians of 3 alternating rounds of ${amount})`,
    `  HTTP (${target.id}):  ${line(http, 'req/s')}`,
    `  bot (PuppetMock):   ${line(bot, 'msg/s')}`,
    `  engine.handle only: ${line(engine, 'msg/s')}`,
  ].join('\n');
  return { useCase: useCase.id, bot, engine, http, rounds, ratio, check, table };
}

/** The bot's p95 against the same use case over HTTP: a read (我的) and a submission (a quiz answer). */
export async function runBotComparisons(o: Options): Promise<BotComparison[]> {
  const out: BotComparison[] = [];
  for (const useCase of Object.values(botUseCases)) {
    const target = o.targets.find((t) => t.id === useCase.httpTarget);
    if (!target) {
      o.log(`bot ${useCase.id}: skipped (HTTP target ${useCase.httpTarget} not available)`);
      continue;
    }
    out.push(await compare(o, useCase, target));
  }
  return out;
}
