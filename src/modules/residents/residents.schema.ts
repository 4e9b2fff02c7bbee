import { z } from 'zod';
import { line } from '../../core/text';

export const residentSchema = z.object({
  id: z.string(),
  nickname: z.string(),
  regionCode: z.string().nullable(),
  regionName: z.string().optional(),
  createdAt: z.string(),
});
export type ResidentView = z.infer<typeof residentSchema>;

export const meSchema = z.object({
  id: z.string(),
  nickname: z.string(),
  regionCode: z.string().nullable(),
  regionName: z.string(),
  points: z.number(),
  /** acts by the summary key each feature declares: quizzes, surveys, tipoffs, activities, … */
  participation: z.record(z.string(), z.number()),
  /** 长辈模式: larger text and touch targets on the H5 pages, remembered per resident */
  elderMode: z.boolean(),
});
export type Me = z.infer<typeof meSchema>;

export const updateMeSchema = z.object({
  regionCode: z.string().max(40).optional(),
  nickname: line(20, '昵称最多 20 个字')
    .min(1, '昵称不能为空')
    .refine((s) => !/[<>]/.test(s), '昵称不能包含 < 或 >')
    .optional(),
  elderMode: z.boolean().optional().describe('长辈模式：大字、大按钮、无限时步骤'),
});
export type UpdateMe = z.infer<typeof updateMeSchema>;

export const sessionSchema = z.object({ token: z.string(), resident: residentSchema });
export const miniprogramLoginSchema = z.object({ code: z.string().min(1).max(128) });
