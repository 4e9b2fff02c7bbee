import { z } from 'zod';

export const subscriptionViewSchema = z.object({ subscribed: z.boolean() });
export const setSubscriptionSchema = z.object({ subscribed: z.boolean({ error: '请说明是否订阅（true 或 false）' }) });

export const dailyAnswerInputSchema = z.object({
  choice: z.string({ error: '请选择答案' }).trim().min(1, '请选择答案').max(10, '答案太长，请回复选项字母'),
});
export type DailyAnswerInput = z.infer<typeof dailyAnswerInputSchema>;

export const dailyAnswerViewSchema = z.object({
  day: z.string(),
  /** the resident's first answer of the day (option keys, e.g. "B" or "AC") */
  choice: z.string(),
  correct: z.boolean(),
  answer: z.array(z.string()),
  /** the correct answer with its text, e.g. "B. 文明用语" or "对" */
  answerText: z.string(),
  explanation: z.string().nullable(),
  /** points this answer earned (0 when wrong, or when the day was already answered) */
  points: z.number().int(),
  /** true when the day had been answered before (this answer was not counted) */
  alreadyAnswered: z.boolean(),
});
export type DailyAnswerView = z.infer<typeof dailyAnswerViewSchema>;

export const dailyQuestionViewSchema = z.object({
  day: z.string(),
  quizId: z.string(),
  type: z.string(),
  text: z.string(),
  options: z.array(z.object({ key: z.string(), text: z.string() })),
  /** the resident's answer today, with the right answer; null until they answer */
  myAnswer: dailyAnswerViewSchema.nullable(),
});
export type DailyQuestionView = z.infer<typeof dailyQuestionViewSchema>;
