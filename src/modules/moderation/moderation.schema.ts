import { z } from 'zod';
import { line } from '../../core/text';

/** What can be held: a tip-off (its description and photos), a nickname, a survey's text answer. */
export const moderationKinds = ['tipoff', 'nickname', 'survey-answer'] as const;
export type ModerationKind = (typeof moderationKinds)[number];
export const kindNames: Record<ModerationKind, string> = { tipoff: '随手拍', nickname: '昵称', 'survey-answer': '问卷文字答案' };

/**
 * An item's life: `pending` (photos sent to WeChat, verdict not back yet: hidden meanwhile), `held`
 * (flagged: waits for the office), `passed` (WeChat's verdict came back clean), `approved`, `rejected`.
 */
export const moderationStatuses = ['pending', 'held', 'passed', 'approved', 'rejected'] as const;
export type ModerationStatus = (typeof moderationStatuses)[number];

/** Who flagged it: the sensitive-word list (敏感词) or WeChat's content security (微信). */
export const verdictSources = ['words', 'wechat'] as const;
export type VerdictSource = (typeof verdictSources)[number];
export const sourceNames: Record<VerdictSource, string> = { words: '敏感词', wechat: '微信' };

/** One verdict: WeChat's three suggestions; the word list only ever says risky. */
export interface Verdict {
  suggest: 'pass' | 'review' | 'risky';
  source: VerdictSource;
  /** in Chinese: 辱骂、广告、联系方式… or WeChat's label name */
  label: string;
}

export const moderationItemView = z.object({
  id: z.string(),
  kind: z.enum(moderationKinds),
  kindName: z.string(),
  ref: z.string().describe('被审核内容的编号（随手拍编号、居民编号、答卷编号:题号）'),
  status: z.enum(moderationStatuses),
  excerpt: z.string().describe('文字摘要（至多 120 字）'),
  photos: z.array(z.object({ id: z.string(), url: z.string(), thumbUrl: z.string() })),
  label: z.string().describe('命中原因，如“辱骂：傻逼”或微信的标签'),
  source: z.enum(verdictSources).nullable(),
  sourceName: z.string(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  reason: z.string().nullable(),
});
export type ModerationItemView = z.infer<typeof moderationItemView>;

export const moderationListQuery = z.object({
  status: z.enum(['held', 'pending', 'approved', 'rejected']).default('held'),
  kind: z.enum(moderationKinds).optional(),
  q: z.string().trim().max(40).optional().describe('内容包含（文字摘要中查找）'),
  order: z.enum(['asc', 'desc']).default('desc').describe('按提交时间（待审核）或审核时间（已审核）排序'),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ModerationListQuery = z.infer<typeof moderationListQuery>;

export const moderationList = z.object({ items: z.array(moderationItemView), total: z.number(), page: z.number(), pageSize: z.number() });
export type ModerationList = z.infer<typeof moderationList>;

const itemId = z
  .string()
  .min(3)
  .max(120)
  .regex(/^[\w:.-]+$/);
export const moderationParams = z.object({ id: itemId });

// The reason is sent to the resident in 消息 and chat: cleaned like every other text we store.
export const rejectBody = z.object({ reason: line(200).min(2, '请填写不通过的原因（至少 2 个字）') });
export type RejectBody = z.infer<typeof rejectBody>;

export const bulkApproveBody = z.object({ ids: z.array(itemId).min(1, '请至少选择一条').max(100) });

export const decisionResult = z.object({ id: z.string(), status: z.enum(moderationStatuses) });
export const bulkResult = z.object({ approved: z.array(z.string()), skipped: z.array(z.object({ id: z.string(), why: z.string() })) });

/** WeChat's labels (msg_sec_check / media_check_async v2) in Chinese. */
export const wechatLabels: Record<number, string> = {
  100: '正常',
  10001: '广告',
  20001: '时政',
  20002: '色情',
  20003: '辱骂',
  20006: '违法犯罪',
  20008: '欺诈',
  20012: '低俗',
  20013: '版权',
  21000: '其他',
};
