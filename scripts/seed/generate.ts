import { addDays, dayKey, startOfDay } from '../../src/core/time';

/** What the generator needs to know of the campaign (from content/: communities and indicators). */
export interface SeedShape {
  communities: string[];
  indicators: Array<{ code: string; kind: 'awareness' | 'support' | 'satisfaction' }>;
  /** answers to generate; residents and participations follow from it */
  answers: number;
  /** the last day answers fall on (YYYY-MM-DD), and how many days back they spread */
  lastDay: string;
  days: number;
}

interface SeedAnswer {
  q: string;
  indicator: string;
  kind: string;
  positive: boolean;
  score: number | null;
}

export interface SeedBatch {
  residents: Array<{ _id: string; nickname: string; regionCode: string; createdAt: Date }>;
  participations: Array<{ _id: string; residentId: string; kind: 'survey'; regionCode: string; at: Date; day: string }>;
  /** survey responses (indicator_responses), each of up to ANSWERS_PER_ATTEMPT answers */
  responses: Array<{ _id: string; source: 'survey'; instrumentId: string; regionCode: string; day: string; answers: SeedAnswer[] }>;
}

/** One survey response (one participation) answers this many indicator questions. */
export const ANSWERS_PER_ATTEMPT = 10;
/** Each resident gives about this many answers over the period. */
export const ANSWERS_PER_RESIDENT = 20;
export const SEED_PREFIX = 'seed';

/** mulberry32: a small seeded PRNG, so that the same arguments give the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const residentCount = (answers: number) => Math.max(50, Math.ceil(answers / ANSWERS_PER_RESIDENT));

/**
 * Generates the seed in batches of whole attempts: residents first (spread over the communities),
 * then survey responses of ANSWERS_PER_ATTEMPT indicator answers, each one `survey` participation at
 * a random moment of the period. Awareness differs by community and indicator, so rates vary.
 */
export function* generate(shape: SeedShape, batchAnswers = 5000): Generator<SeedBatch> {
  const rand = prng(20260101);
  const nResidents = residentCount(shape.answers);
  const residentRegion = (r: number) => shape.communities[r % shape.communities.length]!;
  const firstDay = addDays(shape.lastDay, -(shape.days - 1));
  const createdAt = startOfDay(firstDay);
  for (let r = 0; r < nResidents; r += batchAnswers) {
    const residents = [];
    for (let k = r; k < Math.min(nResidents, r + batchAnswers); k++)
      residents.push({ _id: `${SEED_PREFIX}r${k}`, nickname: `压测居民${k}`, regionCode: residentRegion(k), createdAt });
    yield { residents, participations: [], responses: [] };
  }
  const likelihood = (region: number, indicator: number) => 0.45 + 0.5 * (((region * 7 + indicator * 13) % 10) / 10);
  let made = 0;
  let attempt = 0;
  while (made < shape.answers) {
    const batch: SeedBatch = { residents: [], participations: [], responses: [] };
    let inBatch = 0;
    while (inBatch < batchAnswers && made < shape.answers) {
      const r = Math.floor(rand() * nResidents);
      const region = residentRegion(r);
      const day = addDays(firstDay, Math.floor(rand() * shape.days));
      const at = new Date(startOfDay(day).getTime() + Math.floor(rand() * 86_400_000));
      const residentId = `${SEED_PREFIX}r${r}`;
      const id = `${SEED_PREFIX}-${attempt++}`;
      batch.participations.push({ _id: `survey:${id}`, residentId, kind: 'survey', regionCode: region, at, day: dayKey(at) });
      const answers: SeedAnswer[] = [];
      for (let q = 0; q < ANSWERS_PER_ATTEMPT && made < shape.answers; q++, made++, inBatch++) {
        const i = Math.floor(rand() * shape.indicators.length);
        const indicator = shape.indicators[i]!;
        const positive = rand() < likelihood(r % shape.communities.length, i);
        const score = indicator.kind === 'satisfaction' ? (positive ? (rand() < 0.5 ? 100 : 75) : rand() < 0.5 ? 50 : 0) : null;
        answers.push({ q: `q${q}`, indicator: indicator.code, kind: indicator.kind, positive, score });
      }
      batch.responses.push({
        _id: `survey:${id}`,
        source: 'survey',
        instrumentId: `${SEED_PREFIX}-survey`,
        regionCode: region,
        day: dayKey(at),
        answers,
      });
    }
    yield batch;
  }
}
