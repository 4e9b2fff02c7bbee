import { z } from 'zod';
import { line, text } from '../../core/text';

/**
 * The questionnaire engine quizzes and surveys share: question types, options with keys, an
 * optional indicator tag and the criterion that makes an answer count as aware / positive.
 */
export const questionTypes = ['single', 'multiple', 'judge', 'scale', 'text'] as const;
export type QuestionType = (typeof questionTypes)[number];

/** survey: what a demographic question asks (community answers are community codes, picked from the region tree) */
export const demographics = ['age', 'gender', 'community', 'occupation', 'education'] as const;

export const optionKey = z.string().regex(/^[A-Z]$/, '选项键为单个大写字母 A–Z');

/** An option as every question has it: a letter key and its words. */
export const optionSchema = z.object({ key: optionKey, text: line(200).min(1) });

/** A survey option adds the marks that make a choice count towards an indicator. */
export const markedOptionSchema = optionSchema.extend({
  /** choosing it means the respondent knows the fact (知晓) */
  aware: z.boolean().optional(),
  /** choosing it counts as support / satisfaction (支持 / 满意) */
  positive: z.boolean().optional(),
  /** 0–100 score of a satisfaction option */
  score: z.number().min(0).max(100).optional(),
});
export type QuestionOption = z.infer<typeof markedOptionSchema>;

/** What every question is, quiz or survey: the engine's base, `.extend()`ed by each. */
export const baseQuestionSchema = z.object({
  id: z.string().regex(/^[\w.-]{1,60}$/, '题目编号只能包含字母、数字、_ . -'),
  type: z.enum(questionTypes),
  text: text(500).min(2),
  options: z.array(optionSchema).max(26).optional(),
  /** indicator code from content/indicators.yaml */
  indicator: z.string().optional(),
});
export type BaseQuestion = z.infer<typeof baseQuestionSchema>;

/** What a quiz question adds: the answer that scores it, the explanation shown after, a topic for draws. */
export const quizExtension = z.object({
  /** the correct option keys (judge: ["A"] = 对, ["B"] = 错) */
  answer: z.array(optionKey).optional(),
  explanation: text(1000).optional(),
  topic: line(40).optional(),
});

const scaleSchema = z.object({
  min: z.number().int(),
  max: z.number().int(),
  minLabel: line(40).optional(),
  maxLabel: line(40).optional(),
});

/** What a survey question adds: marked options, who the respondent is, optional questions, scales, free text. */
export const surveyExtension = z.object({
  options: z.array(markedOptionSchema).max(26).optional(),
  demographic: z.enum(demographics).optional(),
  required: z.boolean().default(true),
  /** scale: inclusive range, e.g. 1–5 */
  scale: scaleSchema.optional(),
  /** text: longest answer accepted */
  maxLength: z.number().int().min(1).max(2000).optional(),
});

/** The rules every question keeps whatever extends it: enough distinct options, answers among them, a scale's range. */
export function checkQuestion(q: Question, ctx: z.RefinementCtx): void {
  // Judge questions without options get 对 (A) / 错 (B).
  const keys = q.options?.length ? q.options.map((o) => o.key) : q.type === 'judge' ? ['A', 'B'] : [];
  if (['single', 'multiple', 'judge'].includes(q.type) && keys.length < 2)
    ctx.addIssue({ code: 'custom', path: ['options'], message: '选择题至少需要两个选项' });
  if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['options'], message: '选项键重复' });
  for (const k of q.answer ?? [])
    if (!keys.includes(k)) ctx.addIssue({ code: 'custom', path: ['answer'], message: `答案 ${k} 不在选项中` });
  // an empty answer is the quiz rule's to explain (请填写正确答案)
  if (q.type === 'single' || q.type === 'judge')
    if (q.answer?.length && q.answer.length !== 1) ctx.addIssue({ code: 'custom', path: ['answer'], message: '单选题/判断题只有一个答案' });
  if (q.type === 'scale' && !q.scale && !q.options?.length)
    ctx.addIssue({ code: 'custom', path: ['scale'], message: '量表题需要 scale 或选项' });
}

/**
 * Any question the engine takes: the base with what either extension adds, each optional (a quiz
 * question and a survey question both fit). Content checks and engine tests parse with it.
 */
export const questionSchema = baseQuestionSchema
  .extend(quizExtension.shape)
  .extend(surveyExtension.partial().shape)
  .superRefine((q, ctx) => checkQuestion(q, ctx));
export type Question = z.infer<typeof questionSchema>;

/** What a respondent may see: never the answer, never the explanation before answering. */
export const publicQuestionSchema = baseQuestionSchema.extend({
  ...surveyExtension.shape,
  required: z.boolean().optional(),
  maxLength: z.number().optional(),
});
export type PublicQuestion = z.infer<typeof publicQuestionSchema>;

/** A question as chat and H5 pages ask it: a quiz attempt's, the daily question's and a survey's all fit. */
export type ChatQuestion = Pick<PublicQuestion, 'type' | 'text'> &
  Partial<Pick<PublicQuestion, 'options' | 'required' | 'scale' | 'maxLength' | 'demographic'>>;

/** A normalized answer value: option keys for choice questions, a number for scales, text. */
export type AnswerValue = string[] | number | string;
