import { AppError } from '../../src/core/errors';
import { addDays, now, setClock, startOfDay } from '../../src/core/time';
import { listUnits } from '../../src/modules/catalog/catalog.service';
import { listQuizSummaries } from '../../src/modules/quiz/quiz.bank';
import { communitiesUnder } from '../../src/modules/regions/regions.service';
import { createResident } from '../../src/modules/residents/residents.service';
import { counterWriter } from '../../src/modules/counters';
import { listSurveys } from '../../src/modules/surveys/surveys.service';
import { listCategories } from '../../src/modules/catalog/catalog.service';
import type { ActivityDoc } from '../../src/modules/volunteers/activities.service';
import * as act from './actors';
import { between, chance, nickname, personalTemperament, pick, rng, temperamentOf, weightedCommunity } from './plan';

export interface DemoOptions {
  residents: number;
  days: number;
  seed: number;
}

export interface DemoReport {
  residents: number;
  events: number;
  skipped: number;
  from: string;
  to: string;
}

interface DemoEvent {
  at: number;
  seq: number;
  run: () => Promise<unknown>;
}

const HOUR = 3_600_000;

/**
 * Builds the demo city's 60 days (or `days`) as a timeline of acts, then plays it in time order with
 * the service clock set to each hour, through the module services, so every counter is the one the
 * live system would keep. Acts refused by a service (a closed check-in window, a full activity) are
 * counted as skipped, as they would be in real life.
 */
export async function seedDemo(opts: DemoOptions, progress: (done: number, total: number) => void = () => undefined): Promise<DemoReport> {
  const rand = rng(opts.seed);
  const end = now().getTime();
  const from = act.firstDemoDay(opts.days);
  const start = startOfDay(from).getTime();
  const communities = communitiesUnder();
  const office = await act.ensureStaff('demo_office', 'office', undefined, '市文明办（演示）');
  const units = new Map<string, Awaited<ReturnType<typeof act.ensureStaff>>>();
  for (const u of listUnits()) units.set(u.code, await act.ensureStaff(`demo_${u.code}`, 'unit', u.code, `${u.name}（演示）`));
  const quizzes = (await listQuizSummaries()).map((q) => q.id);
  const surveys = (await listSurveys()).filter(
    (s) => !s.questions.some((q) => q.required && q.type === 'text' && q.demographic !== 'community'),
  );

  const events: DemoEvent[] = [];
  let seq = 0;
  const at = (t: number, run: () => Promise<unknown>) => t <= end && events.push({ at: t, seq: seq++, run });
  const dayTime = (day: number) => start + day * 24 * HOUR + between(rand, 7, 21) * HOUR + between(rand, 0, 59) * 60_000;
  const volunteers: act.DemoResident[] = [];

  for (let i = 0; i < opts.residents; i++) planResident(i);
  for (let d = 1; d < opts.days - 3; d += between(rand, 2, 4)) planActivity(start + d * 24 * HOUR + 9 * HOUR);
  // The volunteer pages show every state: one running now (started an hour ago) and some upcoming
  // with seats left to sign up for.
  planActivity(end - 3 * 24 * HOUR, { startsIn: 3 * 24 * HOUR - between(rand, 1, 2) * HOUR, hours: 4, fill: 0.6 });
  for (const days of [2, 5, 9])
    planActivity(end - between(rand, 1, 2) * 24 * HOUR, {
      startsIn: (days + 2) * 24 * HOUR,
      hours: between(rand, 2, 3),
      fill: 0.25 + rand() * 0.4,
    });

  function planResident(i: number): void {
    const community = chance(rand, 0.08) ? null : weightedCommunity(rand, communities);
    const r: act.DemoResident = { id: '', community, temperament: personalTemperament(rand, temperamentOf(community?.code ?? 'none')) };
    const joinDay = Math.floor(rand() ** 1.6 * opts.days * 0.8);
    const joined = dayTime(joinDay);
    at(joined, async () => void (r.id = (await createResident({ regionCode: community?.code ?? null, nickname: nickname(rand, i) }))._id));
    const later = () => Math.max(joined + HOUR, dayTime(between(rand, joinDay, opts.days - 1)));
    if (quizzes.length && chance(rand, 0.75))
      for (let k = between(rand, 1, 3); k > 0; k--) at(later(), () => act.takeQuiz(rand, r, pick(rand, quizzes)));
    for (const s of surveys)
      if (chance(rand, Object.keys(s.targets ?? {}).length ? 0.45 : 0.2)) at(later(), () => act.answerSurvey(rand, r, s, communities));
    if (community && chance(rand, 0.14)) at(later(), async () => (await act.registerAsVolunteer(rand, r), volunteers.push(r)));
    if (chance(rand, 0.3)) for (let k = between(rand, 1, 2); k > 0; k--) planTipoff(r, later());
  }

  function planTipoff(r: act.DemoResident, t: number): void {
    const place = r.community ?? pick(rand, communities);
    const state = { id: '' };
    at(t, async () => void (state.id = await act.reportProblem(rand, r, place)));
    const roll = rand();
    if (roll > 0.93) return; // still waiting for triage
    const triaged = t + between(rand, 1, 20) * HOUR;
    at(triaged, () => act.triage(state.id, office, roll < 0.85));
    if (roll >= 0.85) return;
    const deadline = pick(rand, listCategories()).deadlineHours;
    const fix = rand();
    if (fix > 0.9) return; // overdue, not rectified yet
    const rectified = triaged + Math.max(1, Math.round(deadline * (fix < 0.8 ? 0.2 + rand() * 0.7 : 1.1 + rand()))) * HOUR;
    at(rectified, () => act.rectify(rand, state.id, units));
    at(rectified + between(rand, 4, 30) * HOUR, () => act.closeOrReopen(state.id, office, chance(rand, 0.08)));
  }

  /**
   * An activity published at `published`, starting a day later (or `startsIn`), signed up to its
   * capacity from the volunteers there are (or to the `fill` share of it, leaving seats free).
   */
  function planActivity(published: number, o: { startsIn?: number; hours?: number; fill?: number } = {}): void {
    const community = weightedCommunity(rand, communities);
    const startsAt = published + (o.startsIn ?? 24 * HOUR);
    const hours = o.hours ?? between(rand, 2, 4);
    const state: { a?: ActivityDoc; crew: act.DemoResident[]; came: act.DemoResident[] } = { crew: [], came: [] };
    at(published, async () => (state.a = await act.publishActivity(rand, office, community, new Date(startsAt), hours)));
    at(published + 2 * HOUR, async () => {
      const seats = o.fill === undefined ? state.a!.capacity : Math.floor(state.a!.capacity * o.fill);
      const pool = [...volunteers].sort(() => rand() - 0.5).slice(0, seats);
      state.crew = pool;
      for (const v of pool) await act.signUp(v, state.a!);
    });
    at(startsAt - 0.2 * HOUR, async () => {
      for (const v of state.crew) if (chance(rand, 0.9)) await act.arrive(v, state.a!).then(() => state.came.push(v), skipRefusal);
    });
    at(startsAt + (hours + 0.1) * HOUR, async () => {
      for (const v of state.came) if (chance(rand, 0.92)) await act.leave(v, state.a!).catch(skipRefusal);
    });
  }

  events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  let done = 0;
  let skipped = 0;
  try {
    for (let i = 0; i < events.length;) {
      const slot = Math.floor(events[i]!.at / HOUR);
      const batch: DemoEvent[] = [];
      while (i < events.length && Math.floor(events[i]!.at / HOUR) === slot) batch.push(events[i++]!);
      const realStart = Date.now();
      setClock(() => new Date(batch[0]!.at + (Date.now() - realStart)));
      // One hour of the city at a time: its acts run side by side, like concurrent requests.
      await Promise.all(batch.map((e) => e.run().catch((err) => (skipRefusal(err), skipped++))));
      progress((done += batch.length), events.length);
    }
  } finally {
    setClock(undefined);
  }
  await counterWriter.flush();
  return { residents: opts.residents, events: events.length, skipped, from, to: addDays(from, opts.days - 1) };
}

/** A service's refusal (409, 400) is part of the story; anything else is a bug and stops the seed. */
function skipRefusal(err: unknown): void {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
}
