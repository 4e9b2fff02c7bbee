import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createEngine, type Engine } from '../../bots/engine';
import { Pacer } from '../../bots/send-queue';
import { startWechatyBot, type WechatyBot } from '../../bots/wechaty';

export type ContactMock = ReturnType<mock.Mocker['createContact']>;
export type RoomMock = ReturnType<mock.Mocker['createRoom']>;

export interface MockWeChat {
  mocker: mock.Mocker;
  puppet: PuppetMock;
  running: WechatyBot;
  /** the bot's own WeChat account, logged in */
  botUser: ContactMock;
}

/** Polls until ok() holds (bot replies arrive asynchronously through the puppet). */
export async function waitFor(ok: () => boolean, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The real Wechaty bot over the conversation engine on a PuppetMock, logged in and sending without
 * pacing: what every "whole conversation through WeChat" test starts from.
 */
export async function startMockWeChat(opts: { engine?: Engine } = {}): Promise<MockWeChat> {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const running = await startWechatyBot({ puppet, engine: opts.engine ?? createEngine(), pacer: new Pacer(0) });
  const botUser = mocker.createContact({ name: '文明小助手' });
  mocker.login(botUser);
  await waitFor(() => running.bot.isLoggedIn);
  return { mocker, puppet, running, botUser };
}
