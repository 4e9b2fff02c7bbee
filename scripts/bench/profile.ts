/**
 * `npx tsx scripts/bench/profile.ts [--requests 50] [--concurrency 1] [--only id,id]`: where a use
 * case's time goes. Runs the service in this process on a fresh embedded database (or MONGODB_URI)
 * with the driver's command monitoring on, sends each use case's requests, and prints per request:
 * latency, database commands by collection and operation, and the time they took.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { startEmbeddedServer } from '../../src/core/db/embedded';
import { Client, pool } from './client';
import { ADMIN, serviceEnv } from './servers';
import { replaceBlock } from './docs-block';
import { ROOT } from './processes';
import type { Target } from './target';
import { serviceTargets } from './usecases';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '1' },
    only: { type: 'string' },
    'write-docs': { type: 'boolean', default: false },
  },
});

/** One line of the commands-per-request table (`--write-docs` puts it in docs/PERFORMANCE.md). */
interface Row {
  label: string;
  perRequest: number;
  what: string;
}
const rows: Row[] = [];

interface Cmd {
  name: string;
  collection: string;
  ms: number;
}

async function main(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-profile-'));
  const embedded = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedServer({ rootDir: path.resolve(__dirname, '../..'), dataDir: path.join(workDir, 'db') });
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  Object.assign(process.env, serviceEnv(uri, `profile_${Date.now().toString(36)}`, workDir));
  // Command monitoring must be asked for when the client is created: wrap the service's connect.
  const connect = mongoose.connect.bind(mongoose);
  (mongoose as unknown as { connect: typeof connect }).connect = ((u: string, o: mongoose.ConnectOptions) =>
    connect(u, { ...o, monitorCommands: true })) as typeof connect;
  const { bootstrap } = await import('../../src/bootstrap');
  const { createApp } = await import('../../src/app');
  const { disconnectDatabase } = await import('../../src/core/db');
  await bootstrap();
  const commands: Cmd[] = [];
  const started = new Map<number, { name: string; collection: string }>();
  const client = mongoose.connection.getClient();
  client.on('commandStarted', (e) => started.set(e.requestId, { name: e.commandName, collection: String(e.command[e.commandName] ?? '') }));
  client.on('commandSucceeded', (e) => {
    const s = started.get(e.requestId);
    if (s) commands.push({ ...s, ms: e.duration });
  });
  const server = createApp().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const api = new Client(base);
  const admin = (await api.expect<{ token: string }>(201, 'POST', '/api/v1/staff/sessions', ADMIN)).token;
  await api.expect(201, 'POST', '/api/v1/staff', { username: 'profile_office', password: 'bench-password-2', role: 'office' }, admin);
  const office = (
    await api.expect<{ token: string }>(201, 'POST', '/api/v1/staff/sessions', { username: 'profile_office', password: 'bench-password-2' })
  ).token;
  const n = Number(args.requests);
  const only = args.only?.split(',');
  const published = await api.operations();
  const targets = serviceTargets.filter((t: Target) => (!only || only.includes(t.id)) && !t.requires?.some((op) => !published.has(op)));
  for (const t of targets) {
    const next = await t.prepare({ client: api, admin, office }, n + 20);
    await new Promise((r) => setTimeout(r, 1500)); // let the counter writer flush the setup's counters
    commands.length = 0;
    const latencies: number[] = [];
    const t0 = Date.now();
    await pool(n, Number(args.concurrency), async () => {
      const req = next();
      const s = process.hrtime.bigint();
      const res = await fetch(base + req.path, { method: req.method, headers: req.headers, body: req.body });
      await res.arrayBuffer();
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (res.status !== t.okStatus) throw new Error(`${t.id}: ${res.status}`);
    });
    const wall = Date.now() - t0;
    latencies.sort((a, b) => a - b);
    report(
      `${t.label}: ${n} requests at concurrency ${args.concurrency} in ${wall} ms; p50 ${latencies[Math.floor(n / 2)]!.toFixed(1)} ms`,
      commands,
      n,
      t.label,
    );
  }
  await profileBot(n, commands);
  if (args['write-docs']) replaceBlock(path.join(ROOT, 'docs', 'PERFORMANCE.md'), 'profile', profileTable(n));
  server.close();
  await disconnectDatabase();
  await embedded?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
}

/** The bot engine's share: the same accounting for one chat exchange per use case (engine.handle). */
async function profileBot(n: number, commands: Cmd[]): Promise<void> {
  const { createEngine } = await import('../../bots/engine');
  const { botUseCases } = await import('./bot-usecases');
  const engine = createEngine();
  for (const useCase of Object.values(botUseCases)) {
    let seq = 0;
    const say = (text: string) =>
      engine.handle({
        channel: 'wechaty',
        contactId: `profile-${useCase.id}`,
        messageId: `profile-${useCase.id}-${++seq}`,
        at: new Date(),
        kind: 'text',
        text,
      });
    for (const [text] of useCase.setup) await say(text);
    let measured = 0;
    commands.length = 0;
    const unmeasured: Cmd[] = [];
    for (let i = 0; i < n; i++) {
      const {
        before,
        measured: [text],
      } = useCase.step(i);
      for (const [b] of before) {
        const mark = commands.length;
        await say(b);
        unmeasured.push(...commands.splice(mark));
      }
      const s = process.hrtime.bigint();
      await say(text);
      measured += Number(process.hrtime.bigint() - s) / 1e6;
    }
    report(
      `bot engine: ${useCase.label}: ${n} messages at concurrency 1; mean ${(measured / n).toFixed(1)} ms`,
      commands,
      n,
      `chat (engine): ${useCase.label}`,
    );
  }
}

function profileTable(n: number): string {
  const lines = rows.map((r) => `| ${r.label} | ${r.perRequest.toFixed(1)} | ${r.what} |`);
  return [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${n} requests each, one at a time.`,
    '',
    '| request | database commands | which (per request) |',
    '| --- | ---: | --- |',
    ...lines,
  ].join('\n');
}

function report(title: string, commands: Cmd[], n: number, label: string): void {
  const by = new Map<string, { count: number; ms: number }>();
  for (const c of commands) {
    const k = `${c.name} ${c.collection}`;
    const v = by.get(k) ?? { count: 0, ms: 0 };
    v.count++;
    v.ms += c.ms;
    by.set(k, v);
  }
  console.log(`\n${title}; ${(commands.length / n).toFixed(1)} db commands per request (incl. counter flushes)`);
  const what = [...by]
    .filter(([, v]) => v.count / n >= 0.05)
    .sort((a, b) => b[1].count - a[1].count)
    .map(([k, v]) => `${Number((v.count / n).toFixed(2))} × ${k.replace(' ', ' `')}\``)
    .join(', ');
  rows.push({ label, perRequest: commands.length / n, what });
  for (const [k, v] of [...by].sort((a, b) => b[1].ms - a[1].ms))
    console.log(
      `  ${(v.count / n).toFixed(2).padStart(6)} × ${k.padEnd(40)} ${(v.ms / v.count).toFixed(2).padStart(8)} ms avg  ${(v.ms / n).toFixed(2).padStart(8)} ms/request`,
    );
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
