import crypto from 'node:crypto';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { dayKey, now, startOfDay } from '../../core/time';
import { claimOnce } from '../../core/store';
import { indicatorValueOf, normalizeAnswer } from '../questionnaire/questionnaire.service';
import type { AnswerValue, Question } from '../questionnaire/questionnaire.schema';
import { findRegion, regionLabel } from '../regions/regions.service';
import { awardPoints, getResident } from '../residents/residents.service';
import { recordParticipation, recordResponse } from '../counters';
import { countResponse } from './surveys.counters';
import { SurveyGuard, SurveyResponse, type ResponseDoc, type SurveyDoc } from './surveys.model';
import type { ResponseResult } from './surveys.schema';
import { screenTextAnswers } from './surveys.moderation';
import { getSurvey, guardIdOf, isOpen } from './surveys.service';

export interface AnswerIssue {
  path: string;
  questionId: string;
  message: string;
}

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && v.length === 0);
const shortText = (s: string) => (s.length > 18 ? `${s.slice(0, 18)}…` : s);
export const questionLabel = (q: Question, index: number) => `第 ${index + 1} 题「${shortText(q.text)}」`;

/** A community question's answer is a community code. */
function checkCommunity(value: AnswerValue): string {
  const code = String(value);
  if (findRegion(code)?.level !== 'community')
    throw new AppError('VALIDATION_FAILED', '请选择所在社区', [{ path: 'community', message: '请从列表中选择所在社区' }]);
  return code;
}

/** One answer, normalized by the questionnaire engine (throws 400 naming the question). */
export function answerOne(q: Question, raw: unknown): AnswerValue {
  const value = normalizeAnswer(q, raw);
  return q.demographic === 'community' ? checkCommunity(value) : value;
}

/**
 * Validates a whole response against the definition: every required question answered, every
 * option known, scales in range, texts not too long, no unknown questions. All problems are
 * reported at once, each naming its question (`answers.<questionId>`).
 */
export function validateAnswers(survey: Pick<SurveyDoc, 'questions'>, raw: Record<string, unknown>): ResponseDoc['answers'] {
  const issues: AnswerIssue[] = [];
  const known = new Set(survey.questions.map((q) => q.id));
  for (const id of Object.keys(raw))
    if (!known.has(id)) issues.push({ path: `answers.${id}`, questionId: id, message: `问卷中没有编号为 ${id} 的题目` });
  const answers: ResponseDoc['answers'] = [];
  survey.questions.forEach((q, i) => {
    const v = raw[q.id];
    const issue = (message: string) =>
      issues.push({ path: `answers.${q.id}`, questionId: q.id, message: `${questionLabel(q, i)}${message}` });
    if (isBlank(v)) return q.required ? issue('为必答题，请作答') : undefined;
    try {
      answers.push({ q: q.id, v: answerOne(q, v) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const detail = (err.details as Array<{ message?: string }> | undefined)?.[0]?.message ?? err.message;
      issue(`：${detail}`);
    }
  });
  if (issues.length) {
    const head = issues.length === 1 ? issues[0]!.message : `有 ${issues.length} 道题需要修改：${issues[0]!.message}`;
    throw new AppError('VALIDATION_FAILED', head, issues);
  }
  return answers;
}

/** Claims the one-response guard: a unique _id insert, so concurrent submissions yield exactly one. */
async function claimGuard(guardId: string): Promise<void> {
  if (!(await claimOnce(SurveyGuard, { _id: guardId }))) throw new AppError('ALREADY_RESPONDED', '您已经填写过这份问卷了，感谢您的参与！');
}

/** 24 random hex digits: an id that, unlike an ObjectId, carries no time. */
const randomId = () => crypto.randomBytes(12).toString('hex');

/**
 * Records a resident's response. Named surveys keep who and when; anonymous ones keep neither:
 * the guard is a keyed hash unconnected to the stored response, the response has a random id and
 * only the day, and indicator answers carry a per-response pseudonym.
 */
export async function submitResponse(residentId: string, surveyId: string, raw: Record<string, unknown>): Promise<ResponseResult> {
  const [survey, resident] = await Promise.all([getSurvey(surveyId), getResident(residentId)]);
  const at = now();
  if (!isOpen(survey, at))
    throw new AppError('SURVEY_CLOSED', survey.opensAt && survey.opensAt > at ? '问卷尚未开始，请稍后再来' : '问卷已结束，感谢您的关注');
  const answers = validateAnswers(survey, raw);
  const community = survey.questions.find((q) => q.demographic === 'community');
  const answered = community ? answers.find((a) => a.q === community.id)?.v : undefined;
  // The resident's community when answering; the community they answered when they have none.
  const regionCode = resident.regionCode ?? (typeof answered === 'string' ? answered : null);

  const guardId = guardIdOf(survey, residentId);
  await claimGuard(guardId);
  const day = dayKey(at);
  const response: ResponseDoc = survey.anonymous
    ? { _id: randomId(), surveyId, rev: survey.rev, anonymous: true, regionCode, day, answers, mode: 'self' }
    : { _id: guardId, surveyId, rev: survey.rev, anonymous: false, residentId, regionCode, day, at, answers, mode: 'self' };
  try {
    await SurveyResponse.create(response);
  } catch (err) {
    await SurveyGuard.deleteOne({ _id: guardId }).catch(() => undefined); // let the resident try again
    throw err;
  }
  await screenTextAnswers(survey, response, residentId).catch((err) =>
    logger.error({ err, survey: survey._id }, 'survey text answers not screened'),
  );
  const pointsAwarded = await recordEffects(survey, response, { residentId, guardId, at });
  return {
    id: survey.anonymous ? guardId : response._id,
    anonymous: survey.anonymous,
    pointsAwarded,
    thanks: survey.thanks ?? '感谢您参与文明城市创建问卷调查！您的意见将帮助我们把城市建设得更好。',
  };
}

/**
 * Statistics of a stored response: result counters, one participation, the response with its
 * indicator answers (the unit of the rates), points. Participation records the resident (the
 * participation rate counts people) under the guard id, never the response id; the recorded
 * response carries only its community and day, so nothing joins it to the resident.
 */
async function recordEffects(survey: SurveyDoc, r: ResponseDoc, who: { residentId: string; guardId: string; at: Date }): Promise<number> {
  const answers = indicatorAnswersOf(survey, r);
  const at = survey.anonymous ? startOfDay(r.day) : who.at;
  // Independent of each other, so at once: each is idempotent by its own ids.
  const [, participation, response, points] = await Promise.allSettled([
    Promise.resolve().then(() => countResponse(survey, r)),
    recordParticipation({ id: who.residentId, regionCode: r.regionCode }, 'survey', who.at, who.guardId),
    recordResponse({ source: 'survey', instrumentId: survey._id, responseId: r._id, regionCode: r.regionCode, at, answers }),
    awardPoints(who.residentId, survey.points, 'survey', survey._id, survey.title),
  ]);
  for (const outcome of [participation, response, points]) {
    // The response is stored and stays the resident's one response; the figures can be rebuilt.
    if (outcome.status === 'rejected') logger.error({ err: outcome.reason, survey: survey._id }, 'survey response statistics failed');
  }
  return points.status === 'fulfilled' && points.value ? survey.points : 0;
}

/** A response's answers to indicator-tagged questions, as the statistics record them. */
function indicatorAnswersOf(survey: SurveyDoc, r: ResponseDoc) {
  const byId = new Map(survey.questions.map((q) => [q.id, q]));
  return r.answers.flatMap((a) => {
    const q = byId.get(a.q);
    const value = q ? indicatorValueOf(q, a.v, 'survey') : undefined;
    return q?.indicator && value ? [{ questionId: q.id, indicator: q.indicator, value }] : [];
  });
}

/**
 * A household interview's answers (入户调查, docs/fieldwork.md) as a response of mode `household`:
 * validated like a resident's, with no resident, no points and no participation (the respondent is
 * a sampled person, not an account). Anonymous surveys keep the day only and a random id, so the
 * response names neither the household nor the enumerator. A held response (flagged at sync) is
 * stored but counted nowhere until released.
 */
export async function storeInterviewResponse(
  survey: SurveyDoc,
  answers: ResponseDoc['answers'],
  opts: { regionCode: string; at: Date; held: boolean },
): Promise<string> {
  const day = dayKey(opts.at);
  const common = {
    surveyId: survey._id,
    rev: survey.rev,
    regionCode: opts.regionCode,
    day,
    answers,
    mode: 'household' as const,
    ...(opts.held ? { hold: 'review' as const } : {}),
  };
  const response: ResponseDoc = survey.anonymous
    ? { _id: randomId(), anonymous: true, ...common }
    : { _id: randomId(), anonymous: false, at: opts.at, ...common };
  await SurveyResponse.create(response);
  if (!opts.held) await countInterview(survey, response);
  return response._id;
}

/** Result counters and the indicator response (the unit of the rates), keyed as household. */
async function countInterview(survey: SurveyDoc, r: ResponseDoc): Promise<void> {
  countResponse(survey, r);
  const at = r.at ?? startOfDay(r.day);
  await recordResponse({
    source: 'survey',
    instrumentId: survey._id,
    responseId: r._id,
    regionCode: r.regionCode,
    at,
    answers: indicatorAnswersOf(survey, r),
    mode: 'household',
  });
}

/**
 * The office accepted a flagged interview: its response now counts, once. Counted before the hold
 * is lifted: should the lift fail, a retry may add the result counters twice (the rebuild repairs
 * them) but never loses the indicator response, which is recorded once by its id.
 */
export async function releaseInterviewResponse(responseId: string): Promise<void> {
  const r = await SurveyResponse.findById(responseId).lean<ResponseDoc>();
  if (!r || r.hold !== 'review') return;
  const { hold: _held, ...counted } = r;
  await countInterview(await getSurvey(r.surveyId, { drafts: true }), counted);
  await SurveyResponse.updateOne({ _id: responseId }, { $unset: { hold: 1 } });
}

/** The office rejected a flagged interview: its response stays out of every count and export. */
export async function rejectInterviewResponse(responseId: string): Promise<void> {
  await SurveyResponse.updateOne({ _id: responseId, hold: 'review' }, { $set: { hold: 'rejected' } });
}

/** A stored answer as a person reads it (export, chat summary). */
export function answerText(q: Question, v: AnswerValue | undefined): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.map((k) => q.options?.find((o) => o.key === k)?.text ?? k).join('；');
  if (q.demographic === 'community') return regionLabel(String(v));
  return String(v);
}
