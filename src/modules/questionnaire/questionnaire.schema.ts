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

export const optionSchema = z.object({
  key: optionKey,
  text: line(200).min(1),
  /** survey: choosing it means the respondent knows the fact (知晓) */
  aware: z.boolean().optional(),
  /** survey: choosing it counts as support / satisfaction (支持 / 满意) */
  positive: z.boolean().optional(),
  /** survey: 0–100 score of a satisfaction option */
  score: z.number().min(0).max(100).optional(),
});
export type QuestionOption = z.infer<typeof optionSchema>;

export const questionSchema = z
  .object({
    id: z.string().regex(/^[\w.-]{1,60}$/, '题目编号只能包含字母、数字、_ . -'),
    type: z.enum(questionTypes),
    text: text(500).min(2),
    options: z.array(optionSchema).max(26).optional(),
    /** quiz: the correct option keys (judge: ["A"] = 对, ["B"] = 错) */
    answer: z.array(optionKey).optional(),
    explanation: text(1000).optional(),
    /** indicator code from content/indicators.yaml */
    indicator: z.string().optional(),
    topic: line(40).optional(),
    demographic: z.enum(demographics).optional(),
    required: z.boolean().default(true),
    /** scale: inclusive range, e.g. 1–5 */
    scale: z.object({ min: z.number().int(), max: z.number().int(), minLabel: line(40).optional(), maxLabel: line(40).optional() }).optional(),
    /** text: longest answer accepted */
    maxLength: z.number().int().min(1).max(2000).optional(),
  })
  .superRefine((q, ctx) => {
    // Judge questions without options get 对 (A) / 错 (B).
    const keys = q.options?.length ? q.options.map((o) => o.key) : q.type === 'judge' ? ['A', 'B'] : [];
    if (['single', 'multiple', 'judge'].includes(q.type) && keys.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: '选择题至少需要两个选项' });
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['options'], message: '选项键重复' });
    for (const k of q.answer ?? []) if (!keys.includes(k)) ctx.addIssue({ code: 'custom', path: ['answer'], message: `答案 ${k} 不在选项中` });
    // an empty answer is the quiz rule's to explain (请填写正确答案)
    if (q.type === 'single' || q.type === 'judge') if (q.answer?.length && q.answer.length !== 1) ctx.addIssue({ code: 'custom', path: ['answer'], message: '单选题/判断题只有一个答案' });
    if (q.type === 'scale' && !q.scale && !q.options?.length) ctx.addIssue({ code: 'custom', path: ['scale'], message: '量表题需要 scale 或选项' });
  });
export type Question = z.infer<typeof questionSchema>;

/** What a respondent may see: never the answer, never the explanation before answering. */
export const publicQuestionSchema = z.object({
  id: z.string(),
  type: z.enum(questionTypes),
  text: z.string(),
  required: z.boolean().optional(),
  indicator: z.string().optional(),
  demographic: z.enum(demographics).optional(),
  options: z.array(optionSchema.pick({ key: true, text: true }).extend({ aware: z.boolean().optional(), positive: z.boolean().optional(), score: z.number().optional() })).optional(),
  scale: z.object({ min: z.number(), max: z.number(), minLabel: line(40).optional(), maxLabel: line(40).optional() }).optional(),
  maxLength: z.number().optional(),
});
export type PublicQuestion = z.infer<typeof publicQuestionSchema>;

/** A normalized answer value: option keys for choice questions, a number for scales, text. */
export type AnswerValue = string[] | number | string;
