import { AppError } from '../../src/core/errors';
import { type AnswerValue, type Question } from '../../src/modules/questionnaire';
import { communitiesUnder } from '../../src/modules/regions';
import { answerOne, answerText } from '../../src/modules/surveys';
import { normalizeText } from '../messages';
import { askAgain } from '../texts';
import { choiceLabel, questionLines, readAnswer, type Read } from './questions';

/** What only the survey flow adds to the shared question chat: skipping, going back, the community, the summary. */

export const SKIP_WORDS = new Set(['跳过', '不填', '无']);
export const BACK_WORDS = new Set(['上一题', '上一个']);

export function surveyQuestionLines(q: Question, index: number, total: number): string[] {
  const extras = [q.required === false ? '回复“跳过”跳过此题' : '', index > 0 ? '回复“上一题”修改上一题' : ''].filter(Boolean);
  return [...questionLines(q, index, total), ...(extras.length ? [`${extras.join('，')}。`] : [])];
}

function communityReply(text: string): Read {
  const t = normalizeText(text);
  const found = communitiesUnder().find((c) => normalizeText(c.name) === t || normalizeText(c.name) === `${t}社区`);
  return found ? { value: found.code } : { problem: `没有找到“${text.trim()}”，请回复社区全称，例如“柳岸社区”。` };
}

/**
 * Reads a reply as the quiz does (questions.ts), then by the survey service's own rules; a community
 * question takes a community's name.
 */
export function readReply(q: Question, raw: string): Read {
  const read = q.demographic === 'community' ? communityReply(raw) : readAnswer(q, raw);
  if ('problem' in read) return read;
  try {
    return { value: answerOne(q, read.value) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const detail = (err.details as Array<{ message?: string }> | undefined)?.[0]?.message;
    return { problem: askAgain(detail ?? err.message, '请重新回复。') };
  }
}

export function summaryLines(questions: Question[], answers: Record<string, AnswerValue>): string[] {
  const shown = (q: Question, v: AnswerValue | undefined) =>
    v === undefined ? '（未填）' : Array.isArray(v) ? choiceLabel(q, v) : answerText(q, v);
  return questions.map((q, i) => `${i + 1}. ${q.text}\n   → ${shown(q, answers[q.id])}`);
}
