import type { OfficeQuestion, UpdateQuestion } from '../../../../../modules/quiz/quiz.schema';
import { JUDGE_OPTIONS, type NewQuestionBody } from './quizzes-admin-api';

/** The question form's state and the bodies it sends (the dialog only binds them). */
export type QuestionType = OfficeQuestion['type'];
export interface QuestionForm {
  id: string;
  type: QuestionType;
  text: string;
  options: Array<{ key: string; text: string }>;
  answer: string[];
  explanation: string;
  topic: string;
  indicator: string;
}

/** Option letters the form offers (the import's columns 选项A…选项H). */
export const OPTION_KEYS = 'ABCDEFGH';
const blankOptions = () => ['', '', '', ''].map((text, i) => ({ key: OPTION_KEYS[i]!, text }));
const newId = () => `q${Date.now().toString(36).slice(-6)}`;

export function formOf(q: OfficeQuestion | null): QuestionForm {
  return {
    id: q?.id ?? newId(),
    type: q?.type ?? 'single',
    text: q?.text ?? '',
    options: q && q.type !== 'judge' ? q.options.map((o) => ({ ...o })) : blankOptions(),
    answer: [...(q?.answer ?? [])],
    explanation: q?.explanation ?? '',
    topic: q?.topic ?? '',
    indicator: q?.indicator ?? '',
  };
}

/** A type change keeps what still fits: one answer for single/judge, option keys for choices. */
export function changeType(f: QuestionForm, before: QuestionType): void {
  if (f.type === 'judge' || before === 'judge') f.answer = [];
  else if (f.type === 'single') f.answer = f.answer.slice(0, 1);
}

/** Removes an option; the later ones move up a letter and the ticked answers follow them. */
export function removeOption(f: QuestionForm, i: number): void {
  const key = f.options[i]!.key;
  f.options.splice(i, 1);
  f.answer = f.answer.filter((k) => k !== key).map((k) => (k > key ? OPTION_KEYS[OPTION_KEYS.indexOf(k) - 1]! : k));
  f.options.forEach((o, n) => (o.key = OPTION_KEYS[n]!));
}

export function toggleAnswer(f: QuestionForm, key: string, on: boolean): void {
  f.answer = on ? [...new Set([...f.answer, key])].sort() : f.answer.filter((k) => k !== key);
}

/** The options residents will see: 对/错 for a judge question, the filled-in ones otherwise. */
export const choicesOf = (f: QuestionForm) =>
  f.type === 'judge' ? JUDGE_OPTIONS : f.options.filter((o) => o.text.trim()).map((o) => ({ key: o.key, text: o.text.trim() }));

/** A problem the form can name before asking the server. */
export const formProblem = (f: QuestionForm): string | undefined =>
  f.type !== 'judge' && choicesOf(f).length !== f.options.length ? '请填写每个选项的内容，或删除空的选项' : undefined;

const common = (f: QuestionForm) => ({
  type: f.type,
  text: f.text.trim(),
  answer: f.answer,
  explanation: f.explanation.trim(),
  ...(f.type === 'judge' ? {} : { options: choicesOf(f) }),
});

export const newQuestionBody = (f: QuestionForm): NewQuestionBody => ({
  ...common(f),
  id: f.id.trim(),
  ...(f.topic.trim() ? { topic: f.topic.trim() } : {}),
  ...(f.indicator ? { indicator: f.indicator } : {}),
});

export const editBody = (f: QuestionForm): UpdateQuestion => ({
  ...common(f),
  topic: f.topic.trim() || null,
  indicator: f.indicator || null,
});
