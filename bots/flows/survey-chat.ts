import { AppError } from '../../src/core/errors';
import { type AnswerValue, type Question, optionsOf } from '../../src/modules/questionnaire';
import { communitiesUnder } from '../../src/modules/regions';
import { answerOne, answerText } from '../../src/modules/surveys';
import { normalizeText } from '../messages';
import { askAgain } from '../texts';

/** How the survey flow asks one question in the chat and reads the reply. */

export const SKIP_WORDS = new Set(['跳过', '不填', '无']);
export const BACK_WORDS = new Set(['上一题', '上一个']);

export function questionLines(q: Question, index: number, total: number): string[] {
  const tags = [q.required ? '' : '选填', q.type === 'multiple' ? '可多选' : ''].filter(Boolean);
  const lines = [`第 ${index + 1}/${total} 题${tags.length ? `（${tags.join('，')}）` : ''}：${q.text}`];
  const options = optionsOf(q);
  if (options.length) {
    lines.push(options.map((o, i) => `${i + 1}. ${o.text}`).join('\n'));
    lines.push(q.type === 'multiple' ? '请回复序号，多个序号用空格隔开，如“1 3”。' : '请回复序号。');
  } else if (q.type === 'scale' && q.scale) {
    const { min, max, minLabel, maxLabel } = q.scale;
    const ends = minLabel && maxLabel ? `（${min} = ${minLabel}，${max} = ${maxLabel}）` : '';
    lines.push(`请回复 ${min}–${max} 的数字${ends}。`);
  } else if (q.demographic === 'community') {
    lines.push('请回复您所在社区的名称，例如“柳岸社区”。');
  } else {
    lines.push('请直接输入您的回答。');
  }
  const extras = [q.required ? '' : '回复“跳过”跳过此题', index > 0 ? '回复“上一题”修改上一题' : ''].filter(Boolean);
  if (extras.length) lines.push(`${extras.join('，')}。`);
  return lines;
}

/** Option numbers ("1 3", "1,3", "13" for a single digit list) become option keys; letters pass through. */
function choiceReply(q: Question, text: string): unknown {
  const options = optionsOf(q);
  const byText = options.find((o) => normalizeText(o.text) === text);
  if (byText) return byText.key;
  const tokens = text.split(/[\s,，、;；]+/).filter(Boolean);
  const digits = tokens.length === 1 && /^\d+$/.test(tokens[0]!) && options.length <= 9 && q.type === 'multiple' ? tokens[0]!.split('') : tokens;
  if (/^[a-z]+$/.test(tokens.join(''))) return tokens.join('');
  if (!digits.every((t) => /^\d+$/.test(t))) throw new AppError('VALIDATION_FAILED', '请回复选项序号', [{ path: q.id, message: `请回复选项序号（1–${options.length}）` }]);
  return digits.map((t) => {
    const option = options[Number(t) - 1];
    if (!option) throw new AppError('VALIDATION_FAILED', `没有第 ${t} 个选项`, [{ path: q.id, message: `没有第 ${t} 个选项，请回复 1–${options.length} 的序号` }]);
    return option.key;
  });
}

function communityReply(text: string): string {
  const found = communitiesUnder().find((c) => normalizeText(c.name) === text || normalizeText(c.name) === `${text}社区`);
  if (!found) throw new AppError('VALIDATION_FAILED', '没有找到这个社区', [{ path: 'community', message: `没有找到“${text}”，请回复社区全称，例如“柳岸社区”` }]);
  return found.code;
}

/**
 * Reads a reply to a question into a normalized answer (the survey service's own rules), or
 * throws an AppError whose first detail says what to fix.
 */
export function readReply(q: Question, text: string, raw: string): AnswerValue {
  if (optionsOf(q).length) return answerOne(q, choiceReply(q, text));
  if (q.demographic === 'community') return answerOne(q, communityReply(text));
  if (q.type === 'text') return answerOne(q, raw.trim());
  return answerOne(q, text);
}

/** What to tell a person whose reply did not fit. */
export function problemOf(err: AppError): string {
  const detail = (err.details as Array<{ message?: string }> | undefined)?.[0]?.message;
  return askAgain(detail ?? err.message, '请重新回复。');
}

export function summaryLines(questions: Question[], answers: Record<string, AnswerValue>): string[] {
  return questions.map((q, i) => `${i + 1}. ${q.text}\n   → ${answers[q.id] === undefined ? '（未填）' : answerText(q, answers[q.id])}`);
}
