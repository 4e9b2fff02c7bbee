import crypto from 'node:crypto';
import { trusted } from 'mongoose';
import { AppError } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { communitiesUnder, findRegion, getRegion, regionLabel } from '../regions/regions.service';
import { getSurvey } from '../surveys/surveys.service';
import { householdsOf, orderFrame } from './fieldwork.frame';
import { byIds, Draw, FieldCase, Household, type DrawDoc, type HouseholdDoc } from './fieldwork.model';
import type { DrawInput, DrawView } from './fieldwork.schema';

/**
 * A uniform number in [0, 1) from the seed, the community and a purpose: sha-256, first 48 bits.
 * Deterministic, so a recorded seed redraws the same households over the same frame.
 */
export function uniform(seed: string, regionCode: string, purpose: string): number {
  const h = crypto.createHash('sha256').update(`${seed}|${regionCode}|${purpose}`).digest();
  return h.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Systematic sampling with a random start (docs/fieldwork.md): n of the N positions 0…N−1 at
 * ⌊r + i·k⌋ for i = 0…n−1, with the interval k = N / n and the start r = u·k, u uniform in [0, 1).
 * Every position has probability n / N exactly; n ≥ N takes every position.
 */
export function systematic(N: number, n: number, u: number): { positions: number[]; interval: number; start: number } {
  if (n <= 0 || N <= 0) return { positions: [], interval: 0, start: 0 };
  if (n >= N) return { positions: [...Array(N).keys()], interval: 1, start: 0 };
  const interval = N / n;
  const start = u * interval;
  return { positions: Array.from({ length: n }, (_, i) => Math.floor(start + i * interval)), interval, start };
}

/**
 * One community's draw: the sample by systematic sampling over the ordered frame, then the reserve
 * (as many again, or what is left) by a second systematic pass, with its own start, over the
 * households the first pass left out, in the same order.
 */
export function drawCommunity(frame: HouseholdDoc[], n: number, seed: string, regionCode: string) {
  const ordered = orderFrame(frame);
  const first = systematic(ordered.length, n, uniform(seed, regionCode, 'sample'));
  const taken = new Set(first.positions);
  const rest = ordered.map((h, i) => ({ h, position: i })).filter((x) => !taken.has(x.position));
  const second = systematic(rest.length, Math.min(n, rest.length), uniform(seed, regionCode, 'reserve'));
  return {
    interval: first.interval,
    start: first.start,
    sample: first.positions.map((p) => ({ id: ordered[p]!._id, position: p + 1 })),
    reserve: second.positions.map((p) => ({ id: rest[p]!.h._id, position: rest[p]!.position + 1 })),
  };
}

async function present(d: DrawDoc): Promise<DrawView> {
  const ids = [...d.sample, ...d.reserve].map((x) => x.id);
  const masked = new Map((await byIds<HouseholdDoc>(Household, ids)).map((h) => [h._id, h.masked]));
  const row = (role: 'sample' | 'reserve') => (x: { id: string; position: number }) => ({
    id: x.id,
    regionCode: d.regionCode,
    community: regionLabel(d.regionCode),
    address: masked.get(x.id) ?? '',
    role,
    position: x.position,
  });
  return {
    surveyId: d.surveyId,
    regionCode: d.regionCode,
    community: regionLabel(d.regionCode),
    seed: d.seed,
    frameSize: d.frameSize,
    sampleSize: d.sample.length,
    reserveSize: d.reserve.length,
    interval: d.interval,
    start: d.start,
    drawnAt: isoLocal(d.drawnAt),
    drawnBy: d.drawnBy,
    households: [...d.sample.map(row('sample')), ...d.reserve.map(row('reserve'))],
  };
}

/** The communities a draw is for: those asked for (any level, expanded), else every community with a target. */
function communitiesFor(targets: Record<string, number>, codes?: string[]): string[] {
  if (!codes?.length) return Object.keys(targets).filter((c) => findRegion(c)?.level === 'community' && targets[c]! > 0);
  return [...new Set(codes.flatMap((c) => (getRegion(c), communitiesUnder(c).map((x) => x.code))))];
}

/**
 * POST /surveys/:id/fieldwork/draws. Redrawing a community replaces its draw until a household of
 * it is assigned; after that the draw is the fieldwork's and stays.
 */
export async function drawSample(
  surveyId: string,
  input: DrawInput,
  username: string,
): Promise<{ items: DrawView[]; skipped: Array<{ regionCode: string; message: string }> }> {
  const survey = await getSurvey(surveyId, { drafts: true });
  const seed = input.seed ?? crypto.randomBytes(8).toString('hex');
  const codes = communitiesFor(survey.targets ?? {}, input.regionCodes);
  if (!codes.length)
    throw new AppError('VALIDATION_FAILED', '问卷没有设置社区样本目标，无法抽样。请先在问卷中设置各社区的样本量', [
      { path: 'regionCodes', message: '没有可抽样的社区' },
    ]);
  const frames = new Map<string, HouseholdDoc[]>();
  for (const h of await householdsOf(codes)) frames.set(h.regionCode, [...(frames.get(h.regionCode) ?? []), h]);
  const items: DrawView[] = [];
  const skipped: Array<{ regionCode: string; message: string }> = [];
  for (const code of codes) {
    const n = survey.targets?.[code] ?? 0;
    const frame = frames.get(code) ?? [];
    if (n <= 0) skipped.push({ regionCode: code, message: `${regionLabel(code)}没有样本目标` });
    else if (!frame.length) skipped.push({ regionCode: code, message: `${regionLabel(code)}还没有导入住户清单` });
    else if (await FieldCase.exists({ surveyId, regionCode: code, enumeratorId: trusted({ $ne: null }) }))
      skipped.push({ regionCode: code, message: `${regionLabel(code)}已分派调查员，抽样结果不再改变` });
    else items.push(await present(await storeDraw(surveyId, code, frame, n, seed, username)));
  }
  if (!items.length && skipped.length) throw new AppError('CONFLICT', `没有社区可以抽样：${skipped[0]!.message}`, skipped);
  return { items, skipped };
}

async function storeDraw(
  surveyId: string,
  regionCode: string,
  frame: HouseholdDoc[],
  n: number,
  seed: string,
  username: string,
): Promise<DrawDoc> {
  const d = drawCommunity(frame, n, seed, regionCode);
  const doc: DrawDoc = {
    _id: `${surveyId}:${regionCode}`,
    surveyId,
    regionCode,
    seed,
    frameSize: frame.length,
    ...d,
    drawnAt: now(),
    drawnBy: username,
  };
  await Draw.replaceOne({ _id: doc._id }, doc, { upsert: true });
  // The fieldwork records of this draw: the previous draw's go (none of them was assigned).
  await FieldCase.deleteMany({ surveyId, regionCode });
  const cases = [...d.sample.map((x) => ({ x, role: 'sample' })), ...d.reserve.map((x) => ({ x, role: 'reserve' }))].map(({ x, role }) => ({
    _id: `${surveyId}:${x.id}`,
    surveyId,
    householdId: x.id,
    regionCode,
    role,
    enumeratorId: null,
    assignedAt: null,
    outcome: null,
    visits: 0,
    notHome: 0,
    review: null,
    replacedBy: null,
    replacementFor: null,
    replacementReason: null,
  }));
  if (cases.length) await FieldCase.insertMany(cases, { ordered: false });
  return doc;
}

export async function listDraws(surveyId: string): Promise<{ items: DrawView[] }> {
  await getSurvey(surveyId, { drafts: true });
  const draws = await Draw.find({ surveyId }).lean<DrawDoc[]>();
  draws.sort((a, b) => (a.regionCode < b.regionCode ? -1 : 1));
  return { items: await Promise.all(draws.map(present)) };
}

export const getDraw = (surveyId: string, regionCode: string) => Draw.findById(`${surveyId}:${regionCode}`).lean<DrawDoc>();
