/**
 * `npm run seed:bulk -- --answers 1000000 [--days 90] [--no-rebuild]`: fills the configured (or
 * embedded) database fast for the scale measurements: residents, survey participations and survey
 * responses of 10 indicator answers by batched insertMany, then every counter and marker by the same exact
 * rebuild as `npm run stats:rebuild`. Earlier seed records (ids starting with "seed") are replaced.
 * The last line of output is `SEED_RESULT {json}` with the timings (read by the bench).
 */
import { parseArgs } from 'node:util';
import { rawCollection } from '../src/core/db';
import { addDays, dayKey, now } from '../src/core/time';
import { listIndicators } from '../src/modules/catalog/catalog.service';
import { communitiesUnder } from '../src/modules/regions/regions.service';
import { Resident } from '../src/modules/residents/residents.model';
import { IndicatorResponse, Participation, rebuildCounters } from '../src/modules/counters';
import { progressBar, runScript } from './cli';
import { ANSWERS_PER_ATTEMPT, generate, residentCount, SEED_PREFIX } from './seed/generate';

const { values } = parseArgs({
  options: {
    answers: { type: 'string', default: '10000' },
    days: { type: 'string', default: '90' },
    'no-rebuild': { type: 'boolean', default: false },
  },
});
const answers = Number(values.answers);
const days = Number(values.days);
if (!Number.isInteger(answers) || answers < 1 || !Number.isInteger(days) || days < 1 || days > 366) {
  process.stderr.write('用法 / usage: npm run seed:bulk -- --answers N [--days 1..366] [--no-rebuild]\n');
  process.exit(2);
}

const collections = [Resident, Participation, IndicatorResponse].map((m) => rawCollection(m));
const seconds = (t: number) => Math.round((Date.now() - t) / 100) / 10;

void runScript(async () => {
  const t0 = Date.now();
  for (const c of collections) await c.deleteMany({ _id: { $regex: `^((survey|quiz):)?${SEED_PREFIX}` } });
  const [residents, participations, responses] = collections;
  const nResidents = residentCount(answers);
  const total = nResidents + answers + Math.ceil(answers / ANSWERS_PER_ATTEMPT);
  const bar = progressBar('inserting');
  const shape = {
    communities: communitiesUnder().map((c) => c.code),
    indicators: listIndicators(),
    answers,
    lastDay: addDays(dayKey(now()), -1),
    days,
  };
  let done = 0;
  const t1 = Date.now();
  for (const batch of generate(shape)) {
    for (const [col, docs] of [
      [residents, batch.residents],
      [participations, batch.participations],
      [responses, batch.responses],
    ] as const) {
      for (let i = 0; i < docs.length; i += 1000) await col!.insertMany(docs.slice(i, i + 1000) as never[], { ordered: false });
      done += docs.length;
    }
    bar(done, total);
  }
  bar(total, total);
  const insertSeconds = seconds(t1);
  let rebuildSeconds: number | null = null;
  let counters: number | null = null;
  if (!values['no-rebuild']) {
    const t2 = Date.now();
    const bars = new Map<string, ReturnType<typeof progressBar>>();
    const report = await rebuildCounters((stage, d, n) => {
      if (!bars.has(stage)) bars.set(stage, progressBar(stage.padEnd(18)));
      bars.get(stage)!(d, n);
    });
    rebuildSeconds = seconds(t2);
    counters = report.counters;
  }
  const result = {
    answers,
    residents: nResidents,
    participations: Math.ceil(answers / ANSWERS_PER_ATTEMPT),
    days,
    insertSeconds,
    insertDocsPerSecond: Math.round(total / insertSeconds),
    rebuildSeconds,
    counters,
    totalSeconds: seconds(t0),
  };
  console.log(
    `✓ ${answers} answers, ${result.participations} participations, ${nResidents} residents in ${insertSeconds} s (${result.insertDocsPerSecond} docs/s)${rebuildSeconds !== null ? `; counters rebuilt in ${rebuildSeconds} s` : ''}`,
  );
  console.log(`SEED_RESULT ${JSON.stringify(result)}`);
});
