import { AppError } from '../../core/errors';
import type { AnswerValue, PublicQuestion, Question } from './questionnaire.schema';

export const JUDGE_OPTIONS = [
  { key: 'A', text: '对' },
  { key: 'B', text: '错' },
];

/** Options of a question (judge questions get 对/错 when none are given). */
export function optionsOf(q: Question): Array<{ key: string; text: string; aware?: boolean; positive?: boolean; score?: number }> {
  return q.options?.length ? q.options : q.type === 'judge' ? JUDGE_OPTIONS : [];
}

/**
 * The question as a respondent sees it. Quizzes never show answers; surveys show their indicator
 * marks (a survey's indicator marks are public, a quiz's answers are not).
 */
export function presentQuestion(q: Question, opts: { revealMarks: boolean }): PublicQuestion {
  const options = optionsOf(q).map((o) =>
    opts.revealMarks ? { key: o.key, text: o.text, aware: o.aware, positive: o.positive, score: o.score } : { key: o.key, text: o.text },
  );
  return {
    id: q.id,
    type: q.type,
    text: q.text,
    ...(opts.revealMarks
      ? {
          required: q.required,
          ...(q.indicator ? { indicator: q.indicator } : {}),
          ...(q.demographic ? { demographic: q.demographic } : {}),
        }
      : {}),
    ...(options.length ? { options } : {}),
    ...(q.scale ? { scale: q.scale } : {}),
    ...(q.type === 'text' ? { maxLength: q.maxLength ?? 500 } : {}),
  };
}

const bad = (q: Question, message: string) => new AppError('VALIDATION_FAILED', `第「${q.id}」题：${message}`, [{ path: q.id, message }]);

/**
 * Checks an answer against its question and normalizes it. Choice answers accept "A", ["A","C"],
 * "AC", "a c"; judge answers also 对/错/√/×; scale answers a number in range or an option key.
 */
export function normalizeAnswer(q: Question, raw: unknown): AnswerValue {
  if (q.type === 'text') {
    if (typeof raw !== 'string') throw bad(q, '请填写文字');
    const text = raw.trim();
    if (text.length > (q.maxLength ?? 500)) throw bad(q, `最多 ${q.maxLength ?? 500} 个字`);
    return text;
  }
  if (q.type === 'scale' && !q.options?.length) {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    const { min, max } = q.scale!;
    if (!Number.isInteger(n) || n < min || n > max) throw bad(q, `请选择 ${min}–${max} 之间的整数`);
    return n;
  }
  const keys = choiceKeys(q, raw);
  const known = new Set(optionsOf(q).map((o) => o.key));
  const unknown = keys.filter((k) => !known.has(k));
  if (unknown.length) throw bad(q, `没有选项 ${unknown.join('、')}`);
  if (!keys.length) throw bad(q, '请选择一个选项');
  if (q.type !== 'multiple' && keys.length > 1) throw bad(q, '这是单选题，只能选一个');
  return [...new Set(keys)].sort();
}

function choiceKeys(q: Question, raw: unknown): string[] {
  const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : typeof raw === 'number' ? [String(raw)] : [];
  const keys: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') continue;
    const s = p.trim().toUpperCase();
    if (q.type === 'judge' && /^(对|正确|是|√|✓|T|TRUE|Y)$/.test(s)) keys.push('A');
    else if (q.type === 'judge' && /^(错|错误|否|×|✗|F|FALSE|N)$/.test(s)) keys.push('B');
    else keys.push(...s.replace(/[\s,，、;；]+/g, '').split(''));
  }
  return keys;
}

/** Quiz scoring: a multiple-choice answer is correct only when it is exactly the set of right keys. */
export function isCorrect(q: Question, value: AnswerValue): boolean {
  if (!q.answer || !Array.isArray(value)) return false;
  const want = [...q.answer].sort();
  return want.length === value.length && want.every((k, i) => k === value[i]);
}

/**
 * The indicator value an answer yields, for recordIndicator: quiz → aware = correct; survey →
 * positive when a chosen option is marked aware/positive, with the option's score (0–100) or a
 * scale answer mapped linearly onto 0–100. Undefined when the question has no indicator.
 */
export function indicatorValueOf(
  q: Question,
  value: AnswerValue,
  mode: 'quiz' | 'survey',
): { positive: boolean; score: number | null } | undefined {
  if (!q.indicator) return undefined;
  if (mode === 'quiz') return { positive: isCorrect(q, value), score: null };
  if (typeof value === 'number' && q.scale) {
    const score = ((value - q.scale.min) / (q.scale.max - q.scale.min)) * 100;
    return { positive: score >= 75, score };
  }
  if (!Array.isArray(value)) return undefined;
  const chosen = optionsOf(q).filter((o) => value.includes(o.key));
  const scores = chosen.map((o) => o.score).filter((s): s is number => typeof s === 'number');
  return {
    positive: chosen.some((o) => o.aware || o.positive),
    score: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
  };
}

/** 'A C' style label of keys for messages: "A、C". */
export const keysLabel = (keys: string[]): string => keys.join('、');
