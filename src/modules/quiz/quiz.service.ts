import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { config } from '../../config';
import { rawCollection } from '../../core/db';
import { AppError, notFound } from '../../core/errors';
import { dayKey, isoLocal, now } from '../../core/time';
import { claimOnce, putById, readExisting } from '../../core/store';
import { indicatorValueOf, isCorrect, normalizeAnswer, optionsOf } from '../questionnaire/questionnaire.service';
import { awardPoints, getResident } from '../residents/residents.service';
import { recordParticipation, recordResponse } from '../counters';
import { countAnswer } from './quiz.accuracy';
import { activeQuestions, freshQuiz, listQuizSummaries, markDrawn } from './quiz.bank';
import { submitScore } from './quiz.leaderboard';
import {
  QuizAnswer,
  QuizAttempt,
  QuizDailySlot,
  QuizOpenAttempt,
  QuizResult,
  type QuizAnswerDoc,
  type QuizAttemptDoc,
  type QuizResultDoc,
} from './quiz.model';
import type { AnswerResult, AttemptQuestion, AttemptResult, AttemptView, DrawConfig, QuizQuestion, QuizSummary } from './quiz.schema';

/** An unfinished attempt is offered for resuming this long after it started. */
export const RESUME_HOURS = 24;

const pick = <T>(items: T[], n: number): T[] => {
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
};

/** A fresh random draw: each topic of the mix first, the rest from the whole bank, shuffled. */
export function drawQuestions(bank: QuizQuestion[], draw: DrawConfig): QuizQuestion[] {
  const chosen: QuizQuestion[] = [];
  for (const [topic, count] of Object.entries(draw.mix))
    chosen.push(
      ...pick(
        bank.filter((q) => q.topic === topic),
        count,
      ),
    );
  const taken = new Set(chosen.map((q) => q.id));
  chosen.push(
    ...pick(
      bank.filter((q) => !taken.has(q.id)),
      draw.size - chosen.length,
    ),
  );
  return pick(chosen, chosen.length);
}

/** The question as the resident sees it before answering: never the answer or the explanation. */
export function presentAttemptQuestion(q: QuizQuestion): AttemptQuestion {
  return {
    id: q.id,
    type: q.type as AttemptQuestion['type'],
    text: q.text,
    ...(q.topic ? { topic: q.topic } : {}),
    options: optionsOf(q).map((o) => ({ key: o.key, text: o.text })),
  };
}

const feedbackOf = (q: QuizQuestion, a: Pick<QuizAnswerDoc, 'choice' | 'correct'>) => ({
  correct: a.correct,
  choice: a.choice,
  correctChoice: q.answer ?? [],
  explanation: q.explanation ?? '',
});

export async function listQuizzesFor(residentId?: string): Promise<QuizSummary[]> {
  const quizzes = await listQuizSummaries();
  if (!residentId) return quizzes;
  return Promise.all(quizzes.map(async (q) => ({ ...q, openAttemptId: (await openAttemptOf(residentId, q.id))?._id ?? null })));
}

export async function startAttempt(residentId: string, quizId: string): Promise<Omit<AttemptView, 'answers' | 'correctCount' | 'result'>> {
  const c = await freshQuiz(quizId);
  if (c.quiz.status !== 'active') throw notFound('答题');
  const bank = activeQuestions(c).map((d) => d.q);
  if (!bank.length) throw new AppError('CONFLICT', '该答题的题库暂时没有题目');
  const attempt: QuizAttemptDoc = {
    _id: new Types.ObjectId().toHexString(),
    quizId,
    title: c.quiz.title,
    residentId,
    questions: drawQuestions(bank, c.quiz.draw),
    pointsPerCorrect: c.quiz.pointsPerCorrect,
    startedAt: now(),
    finishedAt: null,
  };
  await rawCollection(QuizAttempt).insertOne(attempt);
  // The resident's one pointer to resume from (bot "继续", H5 list); only this resident writes it.
  await putById(QuizOpenAttempt, { _id: `${residentId}:${quizId}`, attemptId: attempt._id, startedAt: attempt.startedAt });
  await markDrawn(
    c,
    attempt.questions.map((q) => q.id),
  );
  return {
    attemptId: attempt._id,
    quizId,
    title: attempt.title,
    startedAt: isoLocal(attempt.startedAt),
    questions: attempt.questions.map(presentAttemptQuestion),
  };
}

/** The attempt, if it is this resident's (another resident's attempt does not exist for them). */
export async function loadAttempt(residentId: string, attemptId: string): Promise<QuizAttemptDoc> {
  const attempt = await QuizAttempt.findById(attemptId).lean<QuizAttemptDoc>();
  if (!attempt || attempt.residentId !== residentId) throw notFound('答题记录');
  return attempt;
}

/** The answers given so far: one point read per drawn question. */
async function answersOf(attempt: QuizAttemptDoc): Promise<Map<string, QuizAnswerDoc>> {
  const docs = await readExisting<QuizAnswerDoc>(
    QuizAnswer,
    attempt.questions.map((q) => `${attempt._id}:${q.id}`),
  );
  return new Map(docs.map((d) => [d.questionId, d]));
}

export async function getAttempt(residentId: string, attemptId: string): Promise<AttemptView> {
  const attempt = await loadAttempt(residentId, attemptId);
  const [answers, result] = await Promise.all([answersOf(attempt), QuizResult.findById(attemptId).lean<QuizResultDoc>()]);
  const shown: AttemptView['answers'] = {};
  for (const q of attempt.questions) {
    const a = answers.get(q.id);
    if (a) shown[q.id] = feedbackOf(q, a);
  }
  return {
    attemptId,
    quizId: attempt.quizId,
    title: attempt.title,
    startedAt: isoLocal(attempt.startedAt),
    questions: attempt.questions.map(presentAttemptQuestion),
    answers: shown,
    correctCount: [...answers.values()].filter((a) => a.correct).length,
    result: result ? presentResult(result) : null,
  };
}

/**
 * Answers one question of an attempt, once: the answer's _id `<attemptId>:<questionId>` is the
 * guard (a second answer, or a race of two, gets 409). Its indicator, if any, counts when the
 * attempt is finished: the attempt, not the answer, is the unit of 答题知晓.
 */
export async function answerQuestion(
  residentId: string,
  attemptId: string,
  questionId: string,
  raw: unknown,
  /** What the caller has just read (the chat has both), so as not to read them again. */
  known: { attempt?: QuizAttemptDoc; resident?: { regionCode?: string | null } } = {},
): Promise<AnswerResult> {
  const [attempt, resident] = await Promise.all([
    known.attempt?._id === attemptId && known.attempt.residentId === residentId ? known.attempt : loadAttempt(residentId, attemptId),
    known.resident ?? getResident(residentId),
  ]);
  if (attempt.finishedAt) throw new AppError('CONFLICT', '本次答题已经结束，请重新开始');
  const q = attempt.questions.find((x) => x.id === questionId);
  if (!q) throw notFound('本次答题中的这道题');
  const choice = normalizeAnswer(q, raw) as string[];
  const at = now();
  const doc: QuizAnswerDoc = {
    _id: `${attemptId}:${questionId}`,
    attemptId,
    quizId: attempt.quizId,
    questionId,
    residentId,
    regionCode: resident.regionCode ?? null,
    choice,
    correct: isCorrect(q, choice),
    at,
    day: dayKey(at),
  };
  if (!(await claimOnce(rawCollection(QuizAnswer), doc))) throw new AppError('ALREADY_ANSWERED', '这道题已经回答过了');
  countAnswer(doc);
  return { ...feedbackOf(q, doc), total: attempt.questions.length };
}

function presentResult(r: QuizResultDoc): AttemptResult {
  return {
    score: r.score,
    correctCount: r.correctCount,
    total: r.total,
    pointsAwarded: r.pointsAwarded ?? 0,
    scored: r.scored,
    dailyLimit: config().QUIZ_DAILY_SCORED_ATTEMPTS,
  };
}

/**
 * Claims one of the day's scored-attempt slots by inserting `<residentId>:<day>:<n>` for n = 1..cap:
 * concurrent finishes each win a different slot or none, so the cap holds without a counter.
 */
async function claimDailySlot(residentId: string, attemptId: string, at: Date): Promise<boolean> {
  const day = dayKey(at);
  for (let n = 1; n <= config().QUIZ_DAILY_SCORED_ATTEMPTS; n++) {
    if (await claimOnce(rawCollection(QuizDailySlot), { _id: `${residentId}:${day}:${n}`, attemptId, at })) return true;
  }
  return false;
}

/** A second finish (retry, double tap) gets the first one's result once it is complete. */
async function settledResult(attemptId: string): Promise<AttemptResult> {
  for (let i = 0; i < 40; i++) {
    const r = await QuizResult.findById(attemptId).lean<QuizResultDoc>();
    if (r && r.pointsAwarded !== null) return presentResult(r);
    // A finishing request that died half-way never completes: its result stands, unscored.
    if (r && now().getTime() - new Date(r.at).getTime() > 60_000) return presentResult({ ...r, pointsAwarded: 0, scored: false });
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new AppError('IDEMPOTENCY_IN_PROGRESS', '正在计算成绩，请稍后再试');
}

/**
 * Finishes an attempt once (the result's _id is the attempt id): scores it, grants points when a
 * daily slot is free, records the participation and updates the leaderboards. Unanswered
 * questions count as wrong.
 */
export async function finishAttempt(residentId: string, attemptId: string): Promise<AttemptResult> {
  const attempt = await loadAttempt(residentId, attemptId);
  if (attempt.finishedAt) return settledResult(attemptId);
  const [answers, resident] = await Promise.all([answersOf(attempt), getResident(residentId)]);
  const total = attempt.questions.length;
  const correctCount = [...answers.values()].filter((a) => a.correct).length;
  const at = now();
  const result: QuizResultDoc = {
    _id: attemptId,
    quizId: attempt.quizId,
    residentId,
    regionCode: resident.regionCode ?? null,
    score: Math.round((correctCount / total) * 100),
    correctCount,
    total,
    pointsAwarded: null,
    scored: false,
    durationMs: at.getTime() - new Date(attempt.startedAt).getTime(),
    at,
  };
  if (!(await claimOnce(rawCollection(QuizResult), result))) return settledResult(attemptId);
  const points = correctCount * attempt.pointsPerCorrect;
  const scored = points > 0 && (await claimDailySlot(residentId, attemptId, at));
  if (scored) await awardPoints(residentId, points, 'quiz', attemptId, attempt.title);
  await recordParticipation({ id: residentId, regionCode: result.regionCode }, 'quiz', at, attemptId);
  await recordResponse({
    source: 'quiz',
    instrumentId: attempt.quizId,
    responseId: attemptId,
    regionCode: result.regionCode,
    at,
    answers: indicatorAnswersOf(attempt, answers),
  });
  await QuizResult.updateOne({ _id: attemptId }, { $set: { pointsAwarded: scored ? points : 0, scored } });
  await QuizAttempt.updateOne({ _id: attemptId }, { $set: { finishedAt: at } });
  await closeOpenPointer(residentId, attempt);
  if (scored)
    await submitScore({
      quizId: attempt.quizId,
      residentId,
      nickname: resident.nickname,
      regionCode: result.regionCode,
      score: result.score,
      durationMs: result.durationMs,
      at,
    });
  return presentResult({ ...result, pointsAwarded: scored ? points : 0, scored });
}

/** The attempt's answered indicator-tagged questions (aware = correct); unanswered ones are not answers. */
function indicatorAnswersOf(attempt: QuizAttemptDoc, answers: Map<string, QuizAnswerDoc>) {
  return attempt.questions.flatMap((q) => {
    const a = answers.get(q.id);
    const value = a && q.indicator ? indicatorValueOf(q, a.choice, 'quiz') : null;
    return value && q.indicator ? [{ questionId: q.id, indicator: q.indicator, value }] : [];
  });
}

async function closeOpenPointer(residentId: string, attempt: QuizAttemptDoc): Promise<void> {
  const id = `${residentId}:${attempt.quizId}`;
  const open = await QuizOpenAttempt.findById(id).lean<{ attemptId: string }>();
  if (open?.attemptId === attempt._id) await QuizOpenAttempt.deleteOne({ _id: id });
}

export interface OpenAttempt {
  attemptId: string;
  answered: number;
  total: number;
}

/** The resident's unfinished attempt of a quiz started within RESUME_HOURS, if any. */
async function openAttemptOf(residentId: string, quizId: string): Promise<QuizAttemptDoc | null> {
  const open = await QuizOpenAttempt.findById(`${residentId}:${quizId}`).lean<{ attemptId: string; startedAt: Date }>();
  if (!open || now().getTime() - new Date(open.startedAt).getTime() > RESUME_HOURS * 3600_000) return null;
  const attempt = await QuizAttempt.findById(open.attemptId).lean<QuizAttemptDoc>();
  return attempt && !attempt.finishedAt ? attempt : null;
}

export async function findOpenAttempt(residentId: string, quizId: string): Promise<OpenAttempt | null> {
  const attempt = await openAttemptOf(residentId, quizId);
  if (!attempt) return null;
  const answers = await answersOf(attempt);
  return { attemptId: attempt._id, answered: answers.size, total: attempt.questions.length };
}
