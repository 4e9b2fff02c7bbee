import type { IdentityChannel } from '../../src/modules/residents/residents.model';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { findOpenAttempt, getAttempt } from '../../src/modules/quiz/quiz.service';
import { answerKey, CONTENT_QUIZ } from './factories';

export interface Asked {
  attemptId: string;
  index: number;
  total: number;
  type: 'single' | 'multiple' | 'judge';
  options: string[];
  /** option key → its text */
  optionTexts: Record<string, string>;
  answer: string[];
}

/** The question the bot is asking a contact now (the first unanswered one of their open attempt). */
export async function questionAsked(channel: IdentityChannel, contactId: string, quizId = CONTENT_QUIZ): Promise<Asked> {
  const resident = await findResidentByIdentity(channel, contactId);
  const open = await findOpenAttempt(resident!._id, quizId);
  if (!open) throw new Error('no open attempt');
  const view = await getAttempt(resident!._id, open.attemptId);
  const index = view.questions.findIndex((q) => !view.answers[q.id]);
  const q = view.questions[index]!;
  const answer = (await answerKey(quizId)).get(q.id)!;
  return {
    attemptId: open.attemptId,
    index,
    total: view.questions.length,
    type: q.type,
    options: q.options.map((o) => o.key),
    optionTexts: Object.fromEntries(q.options.map((o) => [o.key, o.text])),
    answer,
  };
}

/** How a person might type the right answer, varied on purpose: "b", "A C", "AC", "对", "错". */
export function rightReply(q: Asked, variant: number): string {
  if (q.type === 'judge') return q.answer[0] === 'A' ? '对' : '错';
  if (q.type === 'multiple') return variant % 2 ? q.answer.join(' ') : q.answer.join('');
  return variant % 2 ? q.answer[0]!.toLowerCase() : q.answer[0]!;
}

export function wrongReply(q: Asked): string {
  if (q.type === 'judge') return q.answer[0] === 'A' ? '错' : '对';
  return q.options.find((k) => !q.answer.includes(k))!;
}
