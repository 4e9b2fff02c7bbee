import fs from 'node:fs';
import path from 'node:path';
import { FileBox } from 'file-box';
import QRCode from 'qrcode';
import {
  types,
  WechatyBuilder,
  type Contact,
  type Message,
  type OfficialPuppetNpmName,
  type Room,
  type Wechaty,
  type WechatyOptions,
} from 'wechaty';
import { config, ConfigError } from '../src/config';
import { bootstrap } from '../src/bootstrap';
import { disconnectDatabase } from '../src/core/db';
import { logger } from '../src/core/logger';
import { now } from '../src/core/time';
import { defaultEngine, type Engine } from './engine';
import type { Inbound, Outbound } from './messages';
import { createRoomQueue, type RoomPost, type RoomQueue } from './room-queue';
import { createSendQueue, Pacer, type SendQueue } from './send-queue';
import { pruneHandledMessages } from './store';
import { texts } from './texts';

/** A puppet instance (tests pass a PuppetMock); in production the puppet comes by name from WECHATY_PUPPET. */
export type BotPuppet = Exclude<NonNullable<WechatyOptions['puppet']>, string>;

export interface WechatyBotOptions {
  puppet?: BotPuppet;
  engine?: Engine;
  pacer?: Pacer;
}

export interface WechatyBot {
  bot: Wechaty;
  queue: SendQueue;
  rooms: RoomQueue;
  stop(): Promise<void>;
}

/** Media a person may send that the bot cannot read: answered with a hint instead of silence. */
const UNREADABLE = new Set([
  types.Message.Audio,
  types.Message.Video,
  types.Message.Emoticon,
  types.Message.Attachment,
  types.Message.Url,
  types.Message.MiniProgram,
]);

async function toInbound(bot: Wechaty, msg: Message): Promise<Inbound | undefined> {
  const room = msg.room();
  const mentioned = room ? await msg.mentionSelf() : false;
  const base = {
    channel: 'wechaty' as const,
    contactId: msg.talker().id,
    messageId: msg.id,
    at: msg.date(),
    ...(room ? { room: { id: room.id, mentioned } } : {}),
  };
  switch (msg.type()) {
    case types.Message.Text:
      return { ...base, kind: 'text', text: mentioned ? await msg.mentionText() : msg.text() };
    case types.Message.Image: {
      if (room) return undefined; // group photos are not for the bot (they cannot carry an @-mention)
      const box = await msg.toFileBox();
      return { ...base, kind: 'image', file: await box.toBuffer(), name: box.name };
    }
    case types.Message.Location: {
      if (room) return undefined;
      // Message#toLocation() throws in wechaty 1.20 ("WUC can not be instantiated directly"); the puppet has the payload.
      const loc = await bot.puppet.messageLocation(msg.id);
      return { ...base, kind: 'location', lat: loc.latitude, lng: loc.longitude, address: loc.address || loc.name || undefined };
    }
    default:
      return undefined;
  }
}

async function send(bot: Wechaty, to: Contact | Room, out: Outbound, talker?: Contact): Promise<void> {
  if (out.kind === 'text') {
    await (talker && 'topic' in to ? to.say(out.text, talker) : to.say(out.text));
  } else if (out.kind === 'image') {
    // A base64 FileBox serializes over every puppet (puppet-service/gRPC cannot carry a buffer one).
    await to.say(FileBox.fromBase64(out.file.toString('base64'), out.name));
  } else {
    try {
      await to.say(new bot.UrlLink({ title: out.title, description: out.description, url: out.url }));
    } catch {
      await to.say(`${out.title}\n${out.description}\n${out.url}`); // puppets without link cards
    }
  }
}

function onScan(qrcode: string, status: types.ScanStatus): void {
  if (status !== types.ScanStatus.Waiting && status !== types.ScanStatus.Timeout) return;
  QRCode.toString(qrcode, { type: 'terminal', small: true })
    .then((art) => process.stderr.write(`请用机器人的微信号扫描二维码登录：\n${art}\n`))
    .catch((err) => logger.warn({ err }, 'bot QR code not printable'));
  logger.info(
    { status: types.ScanStatus[status], url: `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}` },
    'bot waiting for QR code scan',
  );
}

/** Where a named puppet keeps its login session, so a restart does not need a new scan. */
function memoryCardName(): string {
  const dir = path.join(config().dataDir, 'wechaty');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, 'wenming');
}

function buildBot(puppet?: BotPuppet): Wechaty {
  if (puppet) return WechatyBuilder.build({ puppet });
  const cfg = config();
  // Any npm package named wechaty-puppet-* resolves at run time; the type lists only the official ones.
  const name = cfg.WECHATY_PUPPET as OfficialPuppetNpmName;
  return WechatyBuilder.build({ name: memoryCardName(), puppet: name, puppetOptions: { token: cfg.WECHATY_PUPPET_TOKEN } });
}

/**
 * The WeChat adapter: maps Wechaty messages to the engine's inbound messages and its replies back,
 * through one pacer shared with the outbox push queue (WeChat bans accounts that send in bursts).
 */
export async function startWechatyBot(opts: WechatyBotOptions = {}): Promise<WechatyBot> {
  const engine = opts.engine ?? defaultEngine();
  const pacer = opts.pacer ?? new Pacer();
  const bot = buildBot(opts.puppet);
  const deliver = async (contactId: string, text: string) => {
    const contact = await bot.Contact.find({ id: contactId });
    if (!contact) throw new Error(`contact ${contactId} not found`);
    await contact.say(text);
  };
  const queue = createSendQueue({ channel: 'wechaty', deliver, pacer });
  // Group rooms: the daily question to rooms that subscribed, the weekly brief to the office's room.
  const rooms = createRoomQueue({
    pacer,
    deliver: async (ref, post: RoomPost) => {
      const room = await bot.Room.find('id' in ref ? { id: ref.id } : { topic: ref.topic });
      if (!room) throw new Error(`room ${'id' in ref ? ref.id : ref.topic} not found`);
      // Base64 boxes serialize (puppet-service, PuppetMock); buffer boxes do not.
      await room.say(post.kind === 'text' ? post.text : FileBox.fromBase64(post.file.toString('base64'), post.name));
    },
  });
  const inflight = new Set<Promise<void>>();

  async function onMessage(msg: Message): Promise<void> {
    if (msg.self()) return;
    const inbound = await toInbound(bot, msg);
    const to: Contact | Room = msg.room() ?? msg.talker();
    if (!inbound) {
      if (!msg.room() && UNREADABLE.has(msg.type()) && msg.age() < config().BOT_STALE_SECONDS)
        await pacer.run(() => to.say(texts.unsupported));
      return;
    }
    for (const out of await engine.handle(inbound)) await pacer.run(() => send(bot, to, out, inbound.room ? msg.talker() : undefined));
  }

  bot.on('scan', onScan);
  bot.on('login', (user) => {
    logger.info({ user: user.name(), id: user.id }, 'bot logged in');
    queue.start();
    rooms.start();
  });
  bot.on('logout', (user, reason) => {
    logger.info({ user: user.name(), id: user.id, reason }, 'bot logged out');
    void queue.stop();
    void rooms.stop();
  });
  bot.on('error', (err) => logger.warn({ err }, 'bot error'));
  bot.on('message', (msg) => {
    const run: Promise<void> = onMessage(msg)
      .catch((err) => logger.error({ err, messageId: msg.id }, 'bot message not handled'))
      .finally(() => inflight.delete(run));
    inflight.add(run);
  });

  // Handled-message ids only guard against redelivery: a week of them is plenty.
  const prune = setInterval(() => void pruneHandledMessages(new Date(now().getTime() - 7 * 86400_000)).catch(() => undefined), 3600_000);
  prune.unref();
  await bot.start();
  return {
    bot,
    queue,
    rooms,
    async stop() {
      clearInterval(prune);
      await queue.stop();
      await rooms.stop();
      await Promise.allSettled([...inflight]);
      await bot.stop();
    },
  };
}

/** `npm run bot`: the WeChat bot alone, on the configured (or embedded) database. */
async function runAlone(): Promise<void> {
  try {
    if (!config().WECHATY_PUPPET)
      throw new ConfigError('未设置 WECHATY_PUPPET（例如 wechaty-puppet-service），无法启动微信机器人 / WECHATY_PUPPET is not set');
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const started = await bootstrap({ progress: (l) => process.stderr.write(l + '\n') });
  const running = await startWechatyBot();
  const shutdown = async () => {
    await running.stop().catch((err) => logger.error({ err }, 'bot stop failed'));
    await started.stop().catch((err) => logger.error({ err }, 'stop failed'));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

if (require.main === module) {
  runAlone().catch(async (err) => {
    process.stderr.write(`机器人启动失败 / bot start-up failed: ${(err as Error).message}\n`);
    await disconnectDatabase().catch(() => undefined);
    process.exit(1);
  });
}
