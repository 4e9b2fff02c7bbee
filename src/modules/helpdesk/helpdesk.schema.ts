import { z } from 'zod';
import { text } from '../../core/text';

export const helpChannelSchema = z.enum(['chat', 'wechaty', 'mp', 'h5']);
export type HelpChannel = z.infer<typeof helpChannelSchema>;

export const helpRequestViewSchema = z.object({
  id: z.string(),
  residentId: z.string(),
  channel: helpChannelSchema,
  said: z.string(),
  transcript: z.array(z.object({ from: z.enum(['resident', 'bot']), text: z.string(), at: z.string() })),
  status: z.enum(['open', 'answered', 'closed']),
  replies: z.array(z.object({ username: z.string(), text: z.string(), at: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HelpRequestView = z.infer<typeof helpRequestViewSchema>;

export const helpRequestListSchema = z.object({ items: z.array(helpRequestViewSchema), open: z.number().int() });
export type HelpRequestList = z.infer<typeof helpRequestListSchema>;

export const newHelpRequestSchema = z.object({
  said: text(500, '问题描述最多 500 字').min(2, '请用一两句话说明您的问题'),
});
export const helpReplySchema = z.object({
  text: text(500, '回复最多 500 字').min(1, '请填写回复内容'),
  /** close the request with this reply (nothing more to do) */
  close: z.boolean().optional(),
});
export type HelpReply = z.infer<typeof helpReplySchema>;
export const helpParams = z.object({ id: z.string().regex(/^R\d{6}[A-Z0-9]{6}$/, '不是有效的人工服务编号') });
export const helpListQuery = z.object({ status: z.enum(['open', 'all']).default('open') });

/** What the resident is told when they ask for a person: who answers, when, and the hotline. */
export const HELP_PROMISE =
  '工作人员会在 1 个工作日内（工作日 9:00–17:30）回复您，回复会发到这里。紧急或需要立即处理的事项，请拨打 12345 政务服务便民热线。';
