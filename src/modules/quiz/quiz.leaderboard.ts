import { AppError } from '../../core/errors';
import { dayKey, isoWeekKey, monthKey, now } from '../../core/time';
import { findRegion, regionPath } from '../regions/regions.service';
import { QuizBest, QuizBoard, type BoardEntry, type QuizBestDoc } from './quiz.model';
import type { Leaderboard, Period } from './quiz.schema';
import { keyedSerializer, putById } from '../../core/store';

/**
 * Leaderboards per quiz, per period (ISO week, month, all time) and per scope (the city, a district).
 *
 * Source records: one best-score document per resident, quiz and period (`quiz_best`,
 * `<quizId>:<periodKey>:<residentId>`). Read side: one document per board (`quiz_leaderboards`,
 * `<quizId>:<periodKey>:<scope>`) holding the top BOARD_SIZE entries, so showing a board is one
 * point read however many residents took part. Both are read-modify-write, so each document has
 * one writer per process (a promise chain per _id); a board is a cache of the best scores and can
 * be recomputed from them with `rebuildBoards`.
 */
export const BOARD_SIZE = 100;

const serialized = keyedSerializer();

export function periodKey(period: Period, day: string): string {
  if (period === 'week') return `w:${isoWeekKey(day)}`;
  if (period === 'month') return `m:${monthKey(day)}`;
  return 'all';
}

export function districtOf(regionCode: string | null | undefined): string | null {
  if (!regionCode) return null;
  return regionPath(regionCode).find((r) => r.level === 'district')?.code ?? null;
}

/** Higher score first; on a tie the faster attempt, then the earlier one. */
const ahead = (a: Pick<BoardEntry, 'score' | 'durationMs' | 'at'>, b: Pick<BoardEntry, 'score' | 'durationMs' | 'at'>) =>
  b.score - a.score || a.durationMs - b.durationMs || new Date(a.at).getTime() - new Date(b.at).getTime();

const boardId = (quizId: string, key: string, scope: string) => `${quizId}:${key}:${scope}`;

async function mergeIntoBoard(id: string, entry: BoardEntry): Promise<void> {
  await serialized(id, async () => {
    const board = await QuizBoard.findById(id).lean<{ entries: BoardEntry[] }>();
    const entries = (board?.entries ?? []).filter((e) => e.residentId !== entry.residentId);
    entries.push(entry);
    entries.sort(ahead);
    await putById(QuizBoard, { _id: id, entries: entries.slice(0, BOARD_SIZE) });
  });
}

export interface ScoredResult {
  quizId: string;
  residentId: string;
  nickname: string;
  regionCode: string | null;
  score: number;
  durationMs: number;
  at: Date;
}

/** Records a scored result: improves the resident's best of each period and the boards it reaches. */
export async function submitScore(r: ScoredResult): Promise<void> {
  const day = dayKey(r.at);
  const district = districtOf(r.regionCode);
  const entry: BoardEntry = { residentId: r.residentId, nickname: r.nickname, score: r.score, durationMs: r.durationMs, at: r.at };
  for (const period of ['week', 'month', 'all'] as const) {
    const key = periodKey(period, day);
    const bestId = `${r.quizId}:${key}:${r.residentId}`;
    const improved = await serialized(bestId, async () => {
      const prev = await QuizBest.findById(bestId).lean<QuizBestDoc>();
      if (prev && ahead(prev, entry) <= 0) return false;
      await putById(QuizBest, {
        _id: bestId,
        quizId: r.quizId,
        periodKey: key,
        residentId: r.residentId,
        nickname: r.nickname,
        district,
        score: r.score,
        durationMs: r.durationMs,
        at: r.at,
      });
      return true;
    });
    if (!improved) continue;
    await mergeIntoBoard(boardId(r.quizId, key, 'city'), entry);
    if (district) await mergeIntoBoard(boardId(r.quizId, key, district), entry);
  }
}

function scopeOf(region: string | undefined): { code: string | null; name: string } {
  if (!region) return { code: null, name: '全市' };
  const node = findRegion(region);
  if (!node) throw new AppError('VALIDATION_FAILED', `区域 ${region} 不存在`, [{ path: 'region', message: '区域不存在' }]);
  if (node.level === 'city') return { code: null, name: node.name };
  const district = regionPath(region).find((r) => r.level === 'district')!;
  return { code: district.code, name: district.name };
}

export async function readLeaderboard(
  quizId: string,
  opts: { period: Period; region?: string; limit: number; residentId?: string },
): Promise<Leaderboard> {
  const key = periodKey(opts.period, dayKey(now()));
  const scope = scopeOf(opts.region);
  const board = await QuizBoard.findById(boardId(quizId, key, scope.code ?? 'city')).lean<{ entries: BoardEntry[] }>();
  const entries = board?.entries ?? [];
  const items = entries
    .slice(0, opts.limit)
    .map((e, i) => ({ rank: i + 1, nickname: e.nickname, score: e.score, ...(e.residentId === opts.residentId ? { me: true } : {}) }));
  let me: Leaderboard['me'] = null;
  if (opts.residentId) {
    const at = entries.findIndex((e) => e.residentId === opts.residentId);
    if (at >= 0) me = { rank: at + 1, score: entries[at]!.score };
    else {
      const best = await QuizBest.findById(`${quizId}:${key}:${opts.residentId}`).lean<QuizBestDoc>();
      if (best && (!scope.code || best.district === scope.code)) me = { rank: null, score: best.score };
    }
  }
  return { period: opts.period, periodKey: key, scope, items, me };
}

/** Recomputes every board of a quiz from the best scores (a scan: maintenance only). */
export async function rebuildBoards(quizId: string): Promise<number> {
  const bests = await QuizBest.find({ quizId }).lean<QuizBestDoc[]>();
  const boards = new Map<string, BoardEntry[]>();
  const add = (id: string, e: BoardEntry) => (boards.get(id) ?? boards.set(id, []).get(id)!).push(e);
  for (const b of bests) {
    const e = { residentId: b.residentId, nickname: b.nickname, score: b.score, durationMs: b.durationMs, at: b.at };
    add(boardId(quizId, b.periodKey, 'city'), e);
    if (b.district) add(boardId(quizId, b.periodKey, b.district), e);
  }
  for (const [id, entries] of boards)
    await serialized(id, () => putById(QuizBoard, { _id: id, entries: entries.sort(ahead).slice(0, BOARD_SIZE) }));
  return boards.size;
}
