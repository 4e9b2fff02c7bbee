import type { AnswerValue, ChatQuestion } from '../../src/modules/questionnaire';
import { normalizeText } from '../messages';

/**
 * How every chat flow asks a question and reads the reply: the quiz, the survey and the daily
 * question. Options are shown with their letters, the keys they are stored, scored and exported
 * with, so "B" means the same in the chat, on the H5 page, in an explanation and in the console;
 * letters also never clash with the numbers of the menu (a bare "B" outside any flow answers the
 * daily question, a bare "2" picks menu item 2). Numbers are accepted as well, because residents
 * type them most easily: "2" is the second option.
 */

export type Read<V = AnswerValue> = { value: V } | { problem: string };

const TYPE_LABEL: Record<ChatQuestion['type'], string> = {
  single: '单选题',
  multiple: '多选题',
  judge: '判断题',
  scale: '打分题',
  text: '填空题',
};
const JUDGE = [
  { key: 'A', text: '对' },
  { key: 'B', text: '错' },
];
const TRUE_WORDS = /^(对|正确|是|√|✓|t|true|y|yes)$/;
const FALSE_WORDS = /^(错|错误|不对|否|×|✗|f|false|n|no)$/;
const PREFIX = /^(我选|选择|选|答案是|答案为|答案)\s*[:：]?\s*/;
const SEPARATORS = /[\s,，、;；/]+/;

const optionsOf = (q: ChatQuestion) => (q.options?.length ? q.options : q.type === 'judge' ? JUDGE : []);
const hasOptions = (q: ChatQuestion) => optionsOf(q).length > 0;

/** How to answer, said under the question and again after a reply that did not fit. */
function answerHint(q: ChatQuestion): string {
  if (q.type === 'judge') return '请回复“对”或“错”。';
  const keys = optionsOf(q).map((o) => o.key);
  if (keys.length && q.type === 'multiple')
    return `可多选，请回复所选选项的字母，如“${keys.slice(0, 2).join('')}”或“${keys.slice(0, 2).join(' ')}”。`;
  if (keys.length) return `请回复 ${keys[0]}–${keys[keys.length - 1]} 中的一个字母。`;
  if (q.type === 'scale' && q.scale) {
    const { min, max, minLabel, maxLabel } = q.scale;
    return `请回复 ${min}–${max} 的数字${minLabel && maxLabel ? `（${min} = ${minLabel}，${max} = ${maxLabel}）` : ''}。`;
  }
  if (q.demographic === 'community') return '请回复您所在社区的名称，例如“柳岸社区”。';
  return '请直接输入您的回答。';
}

/** The question as one chat message: "第 2/5 题（多选题，选填）：…", lettered options, how to answer. */
export function questionLines(q: ChatQuestion, index: number, total: number): string[] {
  const tags = [TYPE_LABEL[q.type], q.required === false ? '选填' : ''].filter(Boolean).join('，');
  const lines = [`第 ${index + 1}/${total} 题（${tags}）：${q.text}`];
  if (q.type !== 'judge') lines.push(...optionsOf(q).map((o) => `${o.key}. ${o.text}`));
  lines.push(answerHint(q));
  return lines;
}

/** Chosen options as chat shows them: "A. 乱扔垃圾；C. 占道经营", or "对" / "错". */
export function choiceLabel(q: ChatQuestion, keys: readonly string[]): string {
  if (q.type === 'judge') return keys[0] === 'A' ? '对' : '错';
  return keys.map((k) => `${k}. ${optionsOf(q).find((o) => o.key === k)?.text ?? ''}`.trim()).join('；');
}

/** Does a message outside any flow look like a lettered answer (so the daily question may take it)? Digits are the menu's. */
export const looksLikeChoice = (text: string) =>
  /^(我选|选择|选|答案是|答案为|答案)?[:：]?\s*([a-hA-H][\s,，、]*){1,8}[。.!！]?$|^(对|错|正确|错误|√|×)$/.test(text.trim());

/**
 * Reads a reply into a normalized answer, or says what to fix (ending with the hint). Choice
 * questions take letters, numbers, an option's words, 对/错 and several of them for a multiple
 * choice ("A C", "a、c", "ac", "1 3", "1，3", "13"); scales a whole number in range; text as typed.
 * Full-width letters and digits count as their ASCII forms.
 */
export function readAnswer(q: ChatQuestion, typed: string): Read {
  if (hasOptions(q)) return readChoice(q, typed);
  if (q.type === 'scale' && q.scale) return readScale(q, typed);
  const value = typed.trim();
  if (!value) return { problem: `请输入您的回答。` };
  const max = q.maxLength ?? 500;
  if (value.length > max) return { problem: `回答最多 ${max} 个字，请精简后重新回复。` };
  return { value };
}

function readScale(q: ChatQuestion, typed: string): Read {
  const { min, max } = q.scale!;
  const m = /^(-?\d+)\s*(分|星)?$/.exec(normalizeText(typed));
  const n = m ? Number(m[1]) : NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return { value: n };
  return { problem: `请选择 ${min}–${max} 之间的整数。` };
}

/** A choice question's reply as option keys in option order (readAnswer's rules for choices). */
export function readChoice(q: ChatQuestion, typed: string): Read<string[]> {
  const text = normalizeText(typed)
    .replace(PREFIX, '')
    .replace(/[。.!！?？"“”'‘’]/g, '')
    .trim();
  const options = optionsOf(q);
  const invalid = { problem: `“${typed.trim()}”不是有效的${q.type === 'judge' ? '回答' : '选项'}。${answerHint(q)}` };
  if (q.type === 'judge' && TRUE_WORDS.test(text)) return { value: ['A'] };
  if (q.type === 'judge' && FALSE_WORDS.test(text)) return { value: ['B'] };
  const whole = options.find((o) => normalizeText(o.text) === text);
  if (whole) return { value: [whole.key] };
  const picked = text ? picks(q, text.split(SEPARATORS).filter(Boolean)) : undefined;
  if (!picked) return invalid;
  const missing = picked.find((p) => !p.key);
  if (missing) return { problem: `本题没有${missing.said}。${answerHint(q)}` };
  const keys = options.map((o) => o.key).filter((k) => picked.some((p) => p.key === k));
  if (q.type !== 'multiple' && keys.length > 1) return { problem: `这是${TYPE_LABEL[q.type]}，只能选一个选项。${answerHint(q)}` };
  return { value: keys };
}

interface Pick {
  /** the option key, undefined when the question has no such option */
  key?: string;
  /** how the person named it, for the problem: "选项 Z", "第 5 个选项" */
  said: string;
}

/** Each part of a reply as an option: its words, a letter, a number; undefined when a part is none of these. */
function picks(q: ChatQuestion, tokens: string[]): Pick[] | undefined {
  const options = optionsOf(q);
  const byNumber = (n: number): Pick => ({ key: options[n - 1]?.key, said: `第 ${n} 个选项` });
  const byLetter = (l: string): Pick => ({ key: options.find((o) => o.key === l.toUpperCase())?.key, said: `选项 ${l.toUpperCase()}` });
  // "13" for a multiple choice of up to nine options is options 1 and 3; otherwise it is option 13.
  const digitsEach = q.type === 'multiple' && options.length <= 9;
  const out: Pick[] = [];
  for (const t of tokens) {
    const named = options.find((o) => normalizeText(o.text) === t);
    if (named) out.push({ key: named.key, said: t });
    else if (/^\d+$/.test(t) && !digitsEach) out.push(byNumber(Number(t)));
    else if (/^[a-z\d]+$/.test(t)) out.push(...[...t].map((c) => (/\d/.test(c) ? byNumber(Number(c)) : byLetter(c))));
    else return undefined;
  }
  return out.length ? out : undefined;
}
