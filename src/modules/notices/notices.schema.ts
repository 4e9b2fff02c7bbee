import { z } from 'zod';
import { pageQuery } from '../../core/validate';
import { line, text } from '../../core/text';

export const noticeViewSchema = z.object({
  id: z.string(),
  audience: z.string(),
  kind: z.string(),
  title: z.string(),
  text: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NoticeView = z.infer<typeof noticeViewSchema>;

export const noticeListSchema = z.object({ items: z.array(noticeViewSchema), unread: z.number(), nextCursor: z.string().nullable() });
export type NoticeList = z.infer<typeof noticeListSchema>;

export const noticeQuery = pageQuery.extend({
  /** office and admin only: read a unit's inbox instead of the office's */
  unit: z
    .string()
    .max(40)
    .regex(/^[\w-]+$/, '不是有效的单位代码')
    .optional(),
});
export const noticeParams = z.object({ id: z.string().min(1).max(300) });

export const newNoticeSchema = z.object({
  kind: z.string().min(1).max(40),
  title: line(100).min(1),
  text: text(2000).min(1),
  link: z.string().max(300).nullable().optional(),
});
export type NewNotice = z.infer<typeof newNoticeSchema>;
