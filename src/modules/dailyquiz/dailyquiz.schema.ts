import { z } from 'zod';

export const subscriptionViewSchema = z.object({ subscribed: z.boolean() });
export const setSubscriptionSchema = z.object({ subscribed: z.boolean({ error: '请说明是否订阅（true 或 false）' }) });

export const dailyQuestionViewSchema = z.object({
  day: z.string(),
  quizId: z.string(),
  type: z.string(),
  text: z.string(),
  options: z.array(z.object({ key: z.string(), text: z.string() })),
});
export type DailyQuestionView = z.infer<typeof dailyQuestionViewSchema>;
