/**
 * Child process of the bench: the bot engine behind Wechaty on a PuppetMock, on its own database.
 * `CONNECTIONS` contacts talk at once, each waiting for the bot's reply before its next message (a
 * closed loop like autocannon's connections); the time from a message to its reply is recorded.
 * With ENGINE_ONLY=1 the contacts call the engine's handle() directly, without Wechaty and the
 * puppet, which splits the bot's cost into engine and adapter. Prints `BOT_RESULT {json}`.
 */
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { payloads } from 'wechaty';
import { bootstrap } from '../../src/bootstrap';
import { createEngine } from '../../bots/engine';
import type { Outbound } from '../../bots/messages';
import { Pacer } from '../../bots/send-queue';
import { startWechatyBot } from '../../bots/wechaty';
import { botUseCases } from './bot-usecases';
import { quantile } from './load';

const useCase = botUseCases[process.env.BOT_USE_CASE ?? 'me']!;
const total = Number(process.env.AMOUNT ?? 1000);
const connections = Number(process.env.CONNECTIONS ?? 20);
const warm = Number(process.env.WARM ?? 100);
const engineOnly = process.env.ENGINE_ONLY === '1';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type Say = (text: string, done: RegExp) => Promise<number>;

/** Contacts that call engine.handle() directly. */
function engineTalkers(): (n: number) => Say {
  const engine = createEngine();
  let seq = 0;
  return (n) => async (text, done) => {
    const t = process.hrtime.bigint();
    const replies: Outbound[] = await engine.handle({
      channel: 'wechaty',
      contactId: `bench-${useCase.id}-${process.pid}-${n}`,
      messageId: `bench-${process.pid}-${++seq}`,
      at: new Date(),
      kind: 'text',
      text,
    });
    if (!replies.some((r) => r.kind === 'text' && done.test(r.text)))
      throw new Error(`unexpected reply to "${text}": ${JSON.stringify(replies).slice(0, 200)}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
}

/** Contacts on a PuppetMock talking to the real Wechaty adapter: message → reply that ends the exchange. */
let stopBot: () => Promise<void> = async () => undefined;
async function puppetTalkers(): Promise<(n: number) => Say> {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const bot = await startWechatyBot({ puppet, pacer: new Pacer(0) });
  stopBot = () => bot.stop();
  const botUser = mocker.createContact({ name: '文明小助手' });
  mocker.login(botUser);
  while (!bot.bot.isLoggedIn) await new Promise((r) => setTimeout(r, 20));
  return (n) => {
    const contact: ContactMock = mocker.createContact({ name: `居民${n}` });
    let waiting: ((text: string) => void) | undefined;
    contact.on('message', (m: { payload: payloads.Message }) => {
      if (m.payload.talkerId === botUser.id && m.payload.text && waiting) waiting(m.payload.text);
    });
    return async (text: string, done: RegExp): Promise<number> => {
      const t = process.hrtime.bigint();
      const reply = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to "${text}" within 30 s`)), 30_000);
        waiting = (got) => {
          if (!done.test(got)) return;
          clearTimeout(timer);
          waiting = undefined;
          resolve();
        };
      });
      contact.say(text).to(botUser);
      await reply;
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
  };
}

async function main(): Promise<void> {
  const started = await bootstrap();
  const talker = engineOnly ? engineTalkers() : await puppetTalkers();
  const contacts = Array.from({ length: connections }, (_, n) => talker(n));
  // Unmeasured: first contact (creates the resident), then a warm-up of the measured exchange.
  const steps = contacts.map(() => 0);
  const exchange = async (n: number): Promise<number> => {
    const say = contacts[n]!;
    const { before, measured } = useCase.step(steps[n]!++);
    for (const [text, done] of before) await say(text, done);
    return say(...measured);
  };
  await Promise.all(
    contacts.map(async (say, n) => {
      for (const [text, done] of useCase.setup) await say(text, done);
      for (let i = 0; i < Math.ceil(warm / connections); i++) await exchange(n);
    }),
  );
  const latencies: number[] = [];
  let sent = 0;
  const startedAt = process.hrtime.bigint();
  await Promise.all(
    contacts.map(async (_, n) => {
      while (sent < total) {
        sent++;
        latencies.push(await exchange(n));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  latencies.sort((a, b) => a - b);
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const result = {
    useCase: useCase.id,
    requests: latencies.length,
    seconds: r2(seconds),
    rps: r2(latencies.length / seconds),
    p50: r2(quantile(latencies, 0.5)),
    p95: r2(quantile(latencies, 0.95)),
    p99: r2(quantile(latencies, 0.99)),
  };
  console.log(`BOT_RESULT ${JSON.stringify(result)}`);
  await stopBot();
  await started.stop();
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`bot driver failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
