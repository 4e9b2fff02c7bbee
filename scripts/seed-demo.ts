/**
 * `npm run seed:demo [-- --residents 240] [--days 60] [--seed 7] [--reset]`: a demo city for the
 * office dashboard: residents who take quizzes, answer surveys, volunteer and report problems over
 * the last 60 days, all through the module services (so every counter is what the live system
 * keeps), with staff accounts `demo_office` and `demo_<unit>` (password printed at the end).
 * Runs once per database; `--reset` first empties the whole database (and stored photos).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { config } from '../src/config';
import { syncContent } from '../src/bootstrap';
import { ensureIndexes } from '../src/core/db';
import { now } from '../src/core/time';
import { mediaRoot } from '../src/modules/media/media.service';
import { ensureFirstAdmin } from '../src/modules/staff/staff.service';
import { progressBar, runScript } from './cli';
import { DEMO_PASSWORD } from './demo/actors';
import { seedDemo } from './demo/seed';

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '240' },
    days: { type: 'string', default: '60' },
    seed: { type: 'string', default: '7' },
    reset: { type: 'boolean', default: false },
  },
});
const opts = { residents: Number(values.residents), days: Number(values.days), seed: Number(values.seed) };
if (![opts.residents, opts.days, opts.seed].every(Number.isInteger) || opts.residents < 1 || opts.days < 1 || opts.days > 366) {
  process.stderr.write('用法 / usage: npm run seed:demo -- [--residents N] [--days 1..366] [--seed N] [--reset]\n');
  process.exit(2);
}

void runScript(async () => {
  const runs = mongoose.connection.db!.collection<{ _id: string; at: Date; options?: unknown; report?: unknown }>('demo_runs');
  const previous = await runs.findOne({ _id: 'demo' });
  if (previous && !values.reset) {
    console.log(`演示数据已于 ${previous.at.toISOString()} 生成，未做改动。重新生成请加 --reset（会清空整个数据库）。`);
    return;
  }
  if (values.reset) {
    process.stderr.write('清空数据库 / dropping the database…\n');
    await mongoose.connection.dropDatabase();
    const media = mediaRoot();
    if (media.startsWith(path.resolve(config().dataDir))) fs.rmSync(media, { recursive: true, force: true });
    await ensureIndexes();
    await syncContent();
    await ensureFirstAdmin(config().ADMIN_USERNAME, config().ADMIN_PASSWORD);
  }
  const bar = progressBar('演示数据 demo');
  const report = await seedDemo(opts, bar);
  await runs.replaceOne({ _id: 'demo' }, { at: now(), options: opts, report }, { upsert: true });
  console.log(
    `✓ ${report.from} 至 ${report.to}：${report.residents} 位居民，${report.events} 个事件（${report.skipped} 个被业务规则拒绝，属正常）`,
  );
  console.log(`  工作台 /h5/#/console 账号 demo_office（文明办）与 demo_<单位编码>（责任单位），密码 ${DEMO_PASSWORD}`);
});
