import { startTestApp, type TestApp } from '../harness/app';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';

const root = path.resolve(__dirname, '../..');
let app: TestApp;
let uri: string;
beforeAll(async () => {
  app = await startTestApp();
  // The child talks to this test file's database: its name goes in the URI path.
  uri = `${process.env.WM_TEST_MONGO_URI}/${mongoose.connection.name}`;
});
afterAll(() => app.close());

/** `npm run chat` as a child process with stdin and stdout as pipes. */
class Chat {
  readonly child: ChildProcessWithoutNullStreams;
  out = '';
  private read = 0;
  readonly exited: Promise<number | null>;

  constructor(contact: string) {
    this.child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['bots/chat.ts'], {
      cwd: root,
      env: { ...process.env, MONGODB_URI: uri, WM_CHAT_CONTACT: contact, LOG_LEVEL: 'silent' },
    });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    this.child.stderr.resume();
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  /** Resolves with the output since the last call once it matches (replies end with an empty line). */
  async until(pattern: RegExp, ms = 30_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const fresh = this.out.slice(this.read);
      if (pattern.test(fresh)) {
        this.read = this.out.length;
        return fresh;
      }
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`no ${pattern} in chat output:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  say(line: string, expect: RegExp): Promise<string> {
    this.child.stdin.write(line + '\n');
    return this.until(expect);
  }
}

describe('npm run chat', () => {
  it('holds a Chinese conversation through the menu, region choice and 我的, and ends on /quit', async () => {
    const chat = new Chat('chat-tester');
    expect(await chat.until(/已连接文明城市机器人（联系人：chat-tester）/)).toMatch(/\/quit 退出/);
    expect(await chat.say('你好', /6\. 帮助\n/)).toMatch(/欢迎参与明州市文明城市创建[\s\S]*1\. 知识问答/);
    expect(await chat.say('1', /第 1\/10 题[\s\S]*请回复/)).toMatch(/【创建全国文明城市知识问答】/);
    expect(await chat.say('设置社区', /返回/)).toMatch(/1\. 东湖区\n2\. 西岭区\n3\. 南港区/);
    expect(await chat.say('3', /返回/)).toMatch(/南港区 › 请选择您所在的街道[\s\S]*2\. 建设街道/);
    expect(await chat.say('2', /返回/)).toMatch(/2\. 幸福里社区/);
    expect(await chat.say('2', /已将您的社区设置为/)).toMatch(/南港区 建设街道 幸福里社区/);
    const me = await chat.say('我的', /查看更多/);
    expect(me).toMatch(/【我的】[\s\S]*社区：南港区 建设街道 幸福里社区[\s\S]*积分：0 分/);
    chat.child.stdin.write('/quit\n');
    expect(await chat.exited).toBe(0);
    expect(chat.out).toMatch(/再见！/);
    expect((await findResidentByIdentity('chat', 'chat-tester'))?.regionCode).toBe('330203002002');
  });

  it('sends photos and locations, and explains a bad command', async () => {
    const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wm-chat-')), 'street.png');
    fs.writeFileSync(photo, Buffer.from('89504e470d0a1a0a', 'hex'));
    const chat = new Chat('chat-media');
    await chat.until(/已连接/);
    expect(await chat.say(`/photo ${photo}`, /随手拍/)).toMatch(/收到您的图片啦/);
    expect(await chat.say('/photo /no/such/file.jpg', /找不到/)).toMatch(/找不到图片文件：\/no\/such\/file\.jpg/);
    expect(await chat.say('/location 29.8402,121.5831 港城路', /社区/)).toMatch(/离您最近的社区是：南港区 港城街道 海晏社区/);
    expect(await chat.say('/location here', /用法/)).toMatch(/\/location 纬度,经度/);
    chat.child.stdin.end();
    expect(await chat.exited).toBe(0);
    fs.rmSync(path.dirname(photo), { recursive: true, force: true });
  });

  it('exits cleanly on end of input and resumes the conversation in the next run', async () => {
    const first = new Chat('chat-resume');
    await first.until(/已连接/);
    await first.say('设置社区', /东湖区/);
    await first.say('2', /青山街道/);
    first.child.stdin.end();
    expect(await first.exited).toBe(0);

    const second = new Chat('chat-resume');
    await second.until(/已连接/);
    expect(await second.say('1', /返回/)).toMatch(/西岭区 青山街道 › 请选择您所在的社区[\s\S]*1\. 青山社区/);
    second.child.stdin.write('/quit\n');
    expect(await second.exited).toBe(0);
  });
});
