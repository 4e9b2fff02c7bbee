import { trusted } from 'mongoose';
import { config } from '../../config';
import type { Question } from '../questionnaire/questionnaire.schema';
import { distanceMeters, findRegion } from '../regions/regions.service';
import type { ResponseDoc } from '../surveys/surveys.model';
import { Visit } from './fieldwork.model';
import type { Flag } from './fieldwork.schema';

/** The thresholds (config, documented in docs/fieldwork.md and the README). */
export function thresholds() {
  const c = config();
  return {
    secondsPerQuestion: c.FIELDWORK_SECONDS_PER_QUESTION,
    straightLineMin: c.FIELDWORK_STRAIGHT_LINE_MIN,
    maxPerHour: c.FIELDWORK_MAX_PER_HOUR,
    maxDistanceM: c.FIELDWORK_MAX_DISTANCE_M,
  };
}

const HOUR_MS = 3_600_000;

/**
 * The position of an answer on a scale-like question: a 1–5 scale's value from its minimum, or a
 * single choice's option index when it has at least 3 options (a Likert item written as options).
 */
function scalePosition(q: Question, v: unknown): number | undefined {
  if (q.type === 'scale' && typeof v === 'number') return v - (q.scale?.min ?? 1);
  if (q.type === 'single' && (q.options?.length ?? 0) >= 3 && Array.isArray(v) && v.length === 1) {
    const i = q.options!.findIndex((o) => o.key === v[0]);
    return i >= 0 ? i : undefined;
  }
  return undefined;
}

/** Same position on every scale-like question, when at least `min` of them were answered. */
export function isStraightLined(questions: Question[], answers: ResponseDoc['answers'], min: number): boolean {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const positions = answers.flatMap((a) => {
    const q = byId.get(a.q);
    const p = q ? scalePosition(q, a.v) : undefined;
    return p === undefined ? [] : [p];
  });
  return positions.length >= min && positions.every((p) => p === positions[0]);
}

export interface InterviewFacts {
  enumeratorId: string;
  regionCode: string;
  startedAt: Date;
  endedAt: Date;
  position?: { lat: number; lng: number } | undefined;
  questions: Question[];
  answers: ResponseDoc['answers'];
}

/** Metres from the community's centre, when both are known. */
export function distanceFromCommunity(regionCode: string, position?: { lat: number; lng: number }): number | null {
  const centre = findRegion(regionCode)?.center;
  return position && centre ? Math.round(distanceMeters(position, centre)) : null;
}

/**
 * The quality flags of a completed interview, computed when it syncs. "Too many per hour" counts
 * the enumerator's completed interviews started in the 60 minutes up to this one's start, itself
 * included (interviews synced later are judged when they sync).
 */
export async function qualityFlags(f: InterviewFacts): Promise<Flag[]> {
  const t = thresholds();
  const flags: Flag[] = [];
  const seconds = (f.endedAt.getTime() - f.startedAt.getTime()) / 1000;
  const minimum = f.questions.length * t.secondsPerQuestion;
  if (seconds < minimum)
    flags.push({
      code: 'too_short',
      message: `用时 ${Math.round(seconds)} 秒，${f.questions.length} 道题应不少于 ${minimum} 秒（每题 ${t.secondsPerQuestion} 秒）`,
    });
  if (isStraightLined(f.questions, f.answers, t.straightLineMin))
    flags.push({ code: 'straight_lining', message: `所有量表题都选了同一位置的选项（至少 ${t.straightLineMin} 题）` });
  const from = new Date(f.startedAt.getTime() - HOUR_MS);
  const earlier = await Visit.countDocuments({
    enumeratorId: f.enumeratorId,
    outcome: 'completed',
    startedAt: trusted({ $gte: from, $lte: f.startedAt }),
  });
  if (earlier + 1 > t.maxPerHour)
    flags.push({ code: 'too_many_per_hour', message: `该调查员 1 小时内完成 ${earlier + 1} 份访问，超过 ${t.maxPerHour} 份` });
  const distance = distanceFromCommunity(f.regionCode, f.position);
  if (distance !== null && distance > t.maxDistanceM)
    flags.push({ code: 'far_from_community', message: `访问位置距社区中心 ${distance} 米，超过 ${t.maxDistanceM} 米` });
  return flags;
}
