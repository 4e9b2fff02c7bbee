import { claimOnce } from '../../core/store';
import { now } from '../../core/time';
import { optionsOf } from '../questionnaire/questionnaire.service';
import { activeQuestions, freshQuiz, listQuizSummaries } from '../quiz/quiz.bank';
import { DailyQuestion, type DailyQuestionDoc } from './dailyquiz.model';

/** Days since 1970-01-01 of a YYYY-MM-DD day: the rotation index. */
const dayNumber = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/**
 * The question of `day`: the one already chosen, or the next in rotation through every active question
 * of the active quizzes (ordered by id, so each question comes once before any repeats). The first
 * insert of the day's document wins; later callers read it.
 */
export async function questionOfDay(day: string): Promise<DailyQuestionDoc | undefined> {
  const chosen = await DailyQuestion.findById(day).lean<DailyQuestionDoc>();
  if (chosen) return chosen;
  const pool = [];
  for (const s of await listQuizSummaries()) pool.push(...activeQuestions(await freshQuiz(s.id)));
  if (!pool.length) return undefined;
  pool.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  const pick = pool[dayNumber(day) % pool.length]!;
  const doc = {
    _id: day,
    quizId: pick.quizId,
    questionId: pick.q.id,
    type: pick.q.type,
    text: pick.q.text,
    options: optionsOf(pick.q).map((o) => ({ key: o.key, text: o.text })),
    answer: pick.q.answer ?? [],
    explanation: pick.q.explanation ?? null,
    createdAt: now(),
  };
  if (await claimOnce(DailyQuestion, doc)) return doc as DailyQuestionDoc;
  return (await DailyQuestion.findById(day).lean<DailyQuestionDoc>()) ?? undefined; // another process chose first
}

/** The question already chosen for a day, without choosing one (for "昨日答案"). */
export async function chosenQuestion(day: string): Promise<DailyQuestionDoc | undefined> {
  return (await DailyQuestion.findById(day).lean<DailyQuestionDoc>()) ?? undefined;
}
