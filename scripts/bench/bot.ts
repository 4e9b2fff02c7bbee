import { runForResult } from './processes';
import type { Check } from './report';
import { serviceEnv } from './servers';
import { botUseCases } from './bot-usecases';
import type { TargetResult } from './rounds';

export const BOT_MAX_P95_RATIO = 1.5;

export interface BotComparison {
  useCase: string;
  bot: DriverResult;
  /** the engine alone (handle() called directly): how much of the bot's time is Wechaty and the puppet */
  engine: DriverResult;
  http?: { target: string; p50: number; p95: number; p99: number };
  ratio?: number;
  check: Check;
  table: string;
}

interface DriverResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

interface Options {
  uri: string;
  runId: string;
  workDir: string;
  logDir: string;
  quick: boolean;
  log: (line: string) => void;
  results: TargetResult[];
}

/** Runs the bot driver child on its own database and reads its BOT_RESULT line. */
function runDriver(o: Options, useCase: string, amount: number, engineOnly: boolean): Promise<DriverResult> {
  const env = {
    ...serviceEnv(o.uri, `bench_bot_${o.runId}`, `${o.workDir}/bot`),
    BOT_USE_CASE: useCase,
    AMOUNT: String(amount),
    WARM: String(Math.round(amount / 5)),
    CONNECTIONS: '20',
    ENGINE_ONLY: engineOnly ? '1' : '0',
  };
  return runForResult<DriverResult>(engineOnly ? 'bot-engine' : 'bot-driver', 'scripts/bench/bot-driver.ts', env, o.logDir, 'BOT_RESULT', [], 15 * 60_000);
}

/** The bot's p95 for a use case against the same use case over HTTP (measured in the rounds). */
export async function runBotComparison(o: Options): Promise<BotComparison> {
  const useCase = botUseCases.me!;
  const amount = o.quick ? 300 : 3000;
  const bot = await runDriver(o, useCase.id, amount, false);
  o.log(`bot ${useCase.id}: ${bot.rps} msg/s, p50 ${bot.p50} ms, p95 ${bot.p95} ms`);
  const engine = await runDriver(o, useCase.id, amount, true);
  o.log(`engine only ${useCase.id}: ${engine.rps} msg/s, p50 ${engine.p50} ms, p95 ${engine.p95} ms`);
  const http = o.results.find((r) => r.id === useCase.httpTarget);
  const ratio = http ? Math.round((bot.p95 / http.p95) * 100) / 100 : undefined;
  const check: Check = {
    name: `bot engine (PuppetMock) p95, ${useCase.label}`,
    target: `≤ ${BOT_MAX_P95_RATIO} × HTTP p95`,
    measured: http ? `${ratio} × (${bot.p95} vs ${http.p95} ms)` : `${bot.p95} ms`,
    pass: ratio === undefined ? undefined : ratio <= BOT_MAX_P95_RATIO,
    note: http ? undefined : `HTTP target ${useCase.httpTarget} was not measured`,
  };
  const table = [
    `bot vs HTTP (${useCase.label}, 20 concurrent contacts / connections)`,
    `  bot  (PuppetMock):  ${bot.rps.toFixed(0)} msg/s, p50 ${bot.p50} ms, p95 ${bot.p95} ms, p99 ${bot.p99} ms`,
    `  engine.handle only: ${engine.rps.toFixed(0)} msg/s, p50 ${engine.p50} ms, p95 ${engine.p95} ms, p99 ${engine.p99} ms`,
    http ? `  HTTP (${http.id}): ${http.rps.toFixed(0)} req/s, p50 ${http.p50} ms, p95 ${http.p95} ms, p99 ${http.p99} ms` : '  HTTP: not measured',
  ].join('\n');
  return { useCase: useCase.id, bot, engine, http: http && { target: http.id, p50: http.p50, p95: http.p95, p99: http.p99 }, ratio, check, table };
}
