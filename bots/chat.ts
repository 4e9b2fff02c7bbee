import './chat-env';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { config } from '../src/config';
import { bootstrap } from '../src/bootstrap';
import { disconnectDatabase } from '../src/core/db';
import { now } from '../src/core/time';
import { defaultEngine } from './engine';
import type { Inbound, Outbound } from './messages';

/**
 * `npm run chat`: the bot in a terminal, on the same engine and database as WeChat. Each line is a
 * text message; `/photo PATH` sends a picture, `/location LAT,LNG [address]` a location, `/quit` ends.
 * Works with stdin as a pipe (tests drive it as a child process).
 */
const USAGE = '命令：/photo 图片路径 发送图片；/location 纬度,经度 [地址] 发送位置；/quit 退出。';

/** What a typed line carries; the envelope (who, when, which id) is added when it is sent. */
type Body<M = Inbound> = M extends unknown ? Omit<M, 'channel' | 'contactId' | 'messageId' | 'at' | 'room'> : never;

function print(line: string): void {
  process.stdout.write(line + '\n');
}

function render(out: Outbound): string {
  if (out.kind === 'text') return out.text;
  if (out.kind === 'image') return `[图片] ${out.name}（${Math.ceil(out.file.length / 1024)} KB）`;
  return `[链接] ${out.title}\n${out.description}\n${out.url}`;
}

/** A typed line as a message body, or a Chinese explanation of what is wrong with it. */
function parseLine(line: string): Body | string {
  const [command, ...rest] = line.split(/\s+/);
  const arg = rest.join(' ');
  if (command === '/photo') {
    if (!arg) return `用法：/photo 图片路径`;
    const file = path.resolve(arg);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return `找不到图片文件：${arg}`;
    return { kind: 'image', file: fs.readFileSync(file), name: path.basename(file) };
  }
  if (command === '/location') {
    const m = rest[0]?.match(/^(-?\d+(?:\.\d+)?)[,，](-?\d+(?:\.\d+)?)$/);
    if (!m) return '用法：/location 纬度,经度 [地址]，例如 /location 29.8731,121.5602 柳岸路';
    return { kind: 'location', lat: Number(m[1]), lng: Number(m[2]), address: rest.slice(1).join(' ') || undefined };
  }
  if (command?.startsWith('/') && command.length > 1 && /^\/[a-z]+$/i.test(command)) return `未知命令 ${command}。${USAGE}`;
  return { kind: 'text', text: line };
}

async function converse(contactId: string, line: string): Promise<void> {
  const body = parseLine(line);
  if (typeof body === 'string') return print(body);
  const inbound: Inbound = { ...body, channel: 'chat', contactId, messageId: crypto.randomUUID(), at: now() };
  const replies = await defaultEngine().handle(inbound);
  for (const r of replies) print(render(r));
  print('');
}

async function main(): Promise<void> {
  config(); // a bad variable stops here, naming it
  const started = await bootstrap({ progress: (l) => process.stderr.write(l + '\n') });
  const contactId = process.env.WM_CHAT_CONTACT || os.userInfo().username;
  print(`已连接文明城市机器人（联系人：${contactId}）。输入“菜单”开始。${USAGE}`);
  const rl = readline.createInterface({ input: process.stdin, terminal: process.stdin.isTTY === true, prompt: '> ' });
  rl.on('SIGINT', () => rl.close());
  process.once('SIGTERM', () => rl.close());
  if (process.stdin.isTTY) rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '/quit') break;
    if (line) await converse(contactId, line);
    if (process.stdin.isTTY) rl.prompt();
  }
  rl.close();
  print('再见！');
  await started.stop();
}

main()
  .then(() => process.exit(0))
  .catch(async (err) => {
    process.stderr.write(`聊天启动失败 / chat failed: ${(err as Error).message}\n`);
    await disconnectDatabase().catch(() => undefined);
    process.exit(1);
  });
