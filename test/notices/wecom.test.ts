import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../harness/app';
import { startFakeWeChat, type FakeWeChat } from '../harness/fake-wechat';
import { config, setConfig } from '../../src/config';
import { setClock } from '../../src/core/time';
import { generateWeeklyBrief } from '../../src/modules/briefs/briefs.service';
import { notifyStaff } from '../../src/modules/notices/notices.service';
import { createWecomRobot, createWecomSender, fitImage, splitText, WECOM_LIMITS } from '../../src/modules/notices/wecom';

let app: TestApp;
let fake: FakeWeChat;
let sender: ReturnType<typeof createWecomSender>;

beforeAll(async () => {
  fake = await startFakeWeChat();
  app = await startTestApp();
  setConfig({ WECOM_WEBHOOK_URL: fake.wecom.url });
  sender = createWecomSender(createWecomRobot(fake.wecom.url));
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
afterEach(() => setClock(undefined));

const bytes = (s: string) => Buffer.byteLength(s);
const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');
/** A PNG of random pixels: it does not compress, so 1200 × 1200 is about 4 MB. */
const noisyPng = (edge: number) =>
  sharp(crypto.randomBytes(edge * edge * 3), { raw: { width: edge, height: edge, channels: 3 } })
    .png()
    .toBuffer();

describe('the weekly brief to the 企业微信 group robot', () => {
  it('posts the text, then the chart as an image (base64 + md5), within WeCom limits', async () => {
    const before = fake.wecom.messages.length;
    await generateWeeklyBrief(new Date('2026-11-16T09:00:00+08:00'));
    expect(await sender.drainOnce()).toEqual({ sent: 1, retried: 0, dropped: 0 });

    const posts = fake.wecom.messages.slice(before);
    expect(posts.map((m) => m.msgtype)).toEqual(['markdown', 'image']);
    expect(posts[0]!.markdown!.content).toMatch(/^【文明城市创建工作周报】2026年第46周/);
    const chart = fs.readFileSync(path.join(config().dataDir, 'briefs', '2026-W46.png'));
    const image = Buffer.from(posts[1]!.image!.base64, 'base64');
    expect(image.equals(chart)).toBe(true);
    expect(posts[1]!.image!.md5).toBe(md5(chart));
    expect(fake.wecom.refused).toEqual([]);

    await generateWeeklyBrief(new Date('2026-11-16T10:00:00+08:00')); // the same week again
    expect(await sender.drainOnce()).toEqual({ sent: 0, retried: 0, dropped: 0 });
  });

  it('goes on from the part it stopped at when WeCom refuses one (the text is not posted twice)', async () => {
    fake.mp.failNext('/cgi-bin/webhook/send', 45009); // the first post (the text) is refused
    const before = fake.wecom.messages.length;
    await generateWeeklyBrief(new Date('2026-11-23T09:00:00+08:00'));
    expect(await sender.drainOnce()).toMatchObject({ retried: 1 });
    expect(await sender.drainOnce()).toMatchObject({ sent: 0 }); // waits before trying again
    setClock(() => new Date(Date.now() + 2 * 60_000));
    expect(await sender.drainOnce()).toMatchObject({ sent: 1 });
    expect(fake.wecom.messages.slice(before).map((m) => m.msgtype)).toEqual(['markdown', 'image']);
  });
});

describe('office notices to the robot', () => {
  it('posts a 督办 to the office, and nothing for a unit’s own notice', async () => {
    const before = fake.wecom.messages.length;
    await notifyStaff(
      'office',
      { kind: 'tipoff-escalated', title: '督办：市环境卫生管理处逾期未整改', text: '问题（编号 T1）已逾期 3 天仍未整改，请督办。' },
      'wecom-test:office',
    );
    await notifyStaff('unit:hwc', { kind: 'tipoff-overdue', title: '随手拍 T1 已逾期', text: '请尽快整改。' }, 'wecom-test:unit');
    await sender.drainOnce();
    expect(fake.wecom.messages.slice(before).map((m) => m.markdown?.content)).toEqual([
      '**督办：市环境卫生管理处逾期未整改**\n问题（编号 T1）已逾期 3 天仍未整改，请督办。',
    ]);
  });

  it('splits a text over 4096 bytes at line breaks into marked parts, nothing lost', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `${i + 1}. 某单位承办的问题已逾期，请督办整改并反馈结果。`);
    const before = fake.wecom.messages.length;
    await notifyStaff('office', { kind: 'tipoff-escalated', title: '督办汇总', text: lines.join('\n') }, 'wecom-test:long');
    await sender.drainOnce();
    const parts = fake.wecom.messages.slice(before).map((m) => m.markdown!.content);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => bytes(p) <= WECOM_LIMITS.textBytes)).toBe(true);
    expect(parts[1]).toMatch(/^（续）\n/);
    for (const line of lines) expect(parts.join('\n')).toContain(line);
  });

  it('cuts even a single giant line by characters, never inside one', () => {
    const parts = splitText('文'.repeat(3000));
    expect(parts.every((p) => bytes(p) <= WECOM_LIMITS.textBytes)).toBe(true);
    expect(parts.join('').replaceAll('（续）\n', '')).toBe('文'.repeat(3000));
  });
});

describe('the robot within WeCom limits', () => {
  it('re-encodes an image over 2 MB smaller, and WeCom takes it', async () => {
    const big = await noisyPng(1200);
    expect(big.length).toBeGreaterThan(WECOM_LIMITS.imageBytes);
    const fitted = await fitImage(big);
    expect(fitted.length).toBeLessThanOrEqual(WECOM_LIMITS.imageBytes);
    const before = fake.wecom.messages.length;
    await createWecomRobot(fake.wecom.url).sendImage(big);
    expect(fake.wecom.messages.slice(before).map((m) => m.msgtype)).toEqual(['image']);
  });

  it('paces posts to 20 in any window, so WeCom never refuses one as too frequent', async () => {
    fake.wecom.windowMs = 1_000; // WeCom's minute, shortened for the test on both sides
    try {
      const robot = createWecomRobot(fake.wecom.url, { windowMs: 1_000 });
      const before = { ok: fake.wecom.messages.length, refused: fake.wecom.refused.length };
      await new Promise((r) => setTimeout(r, 1_000)); // earlier tests' posts out of the window
      const started = Date.now();
      await Promise.all(Array.from({ length: 25 }, (_, i) => robot.sendText(`第 ${i + 1} 条`)));
      expect(fake.wecom.messages.length - before.ok).toBe(25);
      expect(fake.wecom.refused.length).toBe(before.refused);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000); // the 21st waited for the window
    } finally {
      fake.wecom.windowMs = 60_000;
    }
  });
});
