import { invalid, notFound } from '../../core/errors';
import { claimOnce } from '../../core/store';
import { dayKey, now } from '../../core/time';
import { awardPoints } from '../residents/residents.service';
import { DailyQuizAnswer, type DailyAnswerDoc, type DailyQuestionDoc } from './dailyquiz.model';
import { questionOfDay } from './dailyquiz.pick';
import type { DailyAnswerView } from './dailyquiz.schema';

/** A right answer to the day's question earns this many points (once a day). */
export const DAILY_QUIZ_POINTS = 1;

/** "b", "A C", "ca" → "AC" (sorted keys); a true/false question takes A (对) or B (错). */
function normalizedChoice(q: DailyQuestionDoc, choice: string): string {
  const keys = q.options.map((o) => o.key ?? '');
  const letters = [...new Set(choice.toUpperCase().replace(/[\s,，、;；]+/g, ''))].sort();
  const unknown = letters.filter((k) => !keys.includes(k));
  if (!letters.length || unknown.length) throw invalid(`本题没有选项 ${unknown.join('、') || choice}，请从 ${keys.join('、')} 中选择`);
  if (q.type !== 'multiple' && letters.length > 1) throw invalid('这道题只能选一个选项');
  return letters.join('');
}

export function answerText(q: DailyQuestionDoc): string {
  if (q.type === 'judge') return q.answer[0] === 'A' ? '对' : '错';
  return q.answer.map((k) => `${k}. ${q.options.find((o) => o.key === k)?.text ?? ''}`).join('；');
}

function view(q: DailyQuestionDoc, a: DailyAnswerDoc, points: number, alreadyAnswered: boolean): DailyAnswerView {
  return {
    day: q._id,
    choice: a.choice,
    correct: a.correct,
    answer: [...q.answer],
    answerText: answerText(q),
    explanation: q.explanation ?? null,
    points,
    alreadyAnswered,
  };
}

/**
 * Answers today's question, from chat or H5 alike: the first answer of the day counts and earns
 * points when right; a later one gets the first one's result back, marked alreadyAnswered.
 */
export async function answerDailyQuestion(residentId: string, choice: string, at: Date = now()): Promise<DailyAnswerView> {
  const day = dayKey(at);
  const q = await questionOfDay(day);
  if (!q) throw notFound('今日一题');
  const picked = normalizedChoice(q, choice);
  const doc: DailyAnswerDoc = {
    _id: `${day}:${residentId}`,
    day,
    residentId,
    choice: picked,
    correct: picked === [...q.answer].sort().join(''),
    at,
  };
  if (!(await claimOnce(DailyQuizAnswer, doc))) {
    const first = await DailyQuizAnswer.findById(doc._id).lean<DailyAnswerDoc>();
    return view(q, first ?? doc, 0, true);
  }
  const points = doc.correct && (await awardPoints(residentId, DAILY_QUIZ_POINTS, 'dailyquiz', day, '每日一题')) ? DAILY_QUIZ_POINTS : 0;
  return view(q, doc, points, false);
}

/** The resident's answer to today's question, if any (H5 shows the result instead of the options). */
export async function todaysAnswer(residentId: string, at: Date = now()): Promise<DailyAnswerView | null> {
  const day = dayKey(at);
  const [q, a] = await Promise.all([questionOfDay(day), DailyQuizAnswer.findById(`${day}:${residentId}`).lean<DailyAnswerDoc>()]);
  return q && a ? view(q, a, 0, true) : null;
}
