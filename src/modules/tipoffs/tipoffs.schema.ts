import { z } from 'zod';
import { mediaIdSchema, photoSchema } from '../media/media.schema';
import { nearestPlaceSchema } from '../regions/regions.schema';
import { line, text } from '../../core/text';
import { tipoffStatuses } from './tipoffs.names';

export { statusNames, tipoffStatuses, type TipoffStatus } from './tipoffs.names';

export const tipoffActions = [
  'accept',
  'reject',
  'assign',
  'rectify',
  'close',
  'reopen',
  'merge',
  'request-return',
  'request-extension',
  'approve-request',
  'refuse-request',
] as const;
export type TipoffAction = (typeof tipoffActions)[number];
/** History entries also record how a tip-off began, and a duplicate merged into it (on the primary's timeline). */
export type HistoryAction = TipoffAction | 'submit' | 'merge-in';
/** A unit's pending request: 申请退回 (not ours) or 申请延期 (more time). */
export const requestKinds = ['return', 'extension'] as const;
export type RequestKind = (typeof requestKinds)[number];
export const requestNames: Record<RequestKind, string> = { return: '申请退回', extension: '申请延期' };

export const actionNames: Record<HistoryAction, string> = {
  submit: '提交举报',
  accept: '受理',
  reject: '不予受理',
  assign: '分派',
  rectify: '整改完成',
  close: '办结',
  reopen: '退回重新整改',
  merge: '合并为重复问题',
  'merge-in': '合并重复举报',
  'request-return': '申请退回',
  'request-extension': '申请延期',
  'approve-request': '同意申请',
  'refuse-request': '不同意申请',
};

export const tipoffIdSchema = z.string().regex(/^T\d{6}[0-9A-Z]{6}$/, '不是有效的随手拍编号');
export const tipoffParams = z.object({ id: tipoffIdSchema });

/** Multipart fields arrive as strings: numbers and the switch are coerced here, once. */
// Strict: anything but these words is a 400, not a silent false (overdue=maybe must not list everything).
const TRUE = ['true', '1', 'on', 'yes'];
const FALSE = ['false', '0', 'off', 'no'];
const flag = z.preprocess(
  (v) => (typeof v === 'string' && [...TRUE, ...FALSE].includes(v.toLowerCase()) ? TRUE.includes(v.toLowerCase()) : v),
  z.boolean('须为 true 或 false'),
);
const code = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{2,40}$/, '编码格式不正确');

export const submitTipoffSchema = z.object({
  categoryCode: code,
  description: text(500, '描述最多 500 个字').min(2, '请简单描述问题（至少 2 个字）'),
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  address: line(200, '地址最多 200 个字').optional(),
  regionCode: code.optional(),
  anonymous: flag.default(false),
  /** photos uploaded beforehand with POST /api/v1/media (the mini-program sends one file per request) */
  photoIds: z
    .preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(mediaIdSchema).max(3, '最多 3 张照片'))
    .optional(),
});
export type SubmitTipoff = z.infer<typeof submitTipoffSchema>;

/** How a tip-off's point was found: 'community' = the centre of a community chosen in chat (approximate). */
export const locationSources = ['community'] as const;
export type LocationSource = (typeof locationSources)[number];

export const transitionSchema = z.object({
  action: z.enum(tipoffActions, `操作必须是 ${tipoffActions.join('、')} 之一`),
  unitCode: code.optional(),
  note: text(500, '说明最多 500 个字').optional(),
  /** media ids of photos uploaded with POST /api/v1/media (or sent as multipart files) */
  photos: z
    .preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(mediaIdSchema).max(3, '最多 3 张照片'))
    .optional(),
  /** merge: the earlier tip-off this one repeats (default: the possible duplicate found at submission) */
  duplicateOf: tipoffIdSchema.optional(),
  /** accept / assign: the community it is in (places a city system's report that came without one, or corrects it) */
  regionCode: code.optional(),
  /** request-extension: the new deadline the unit asks for */
  deadlineAt: z.iso.datetime({ offset: true, error: '新的整改时限格式应为 2026-12-01T18:00:00+08:00' }).optional(),
});
export type TransitionInput = z.infer<typeof transitionSchema>;

export const listQuerySchema = z.object({
  status: z.enum([...tipoffStatuses, 'open']).optional(),
  category: code.optional(),
  region: code.optional(),
  unit: code.optional(),
  overdue: flag.optional(),
  sort: z.enum(['newest', 'deadline']).default('newest'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;
export const mineQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: tipoffIdSchema.optional() });

const actorSchema = z.object({ kind: z.enum(['resident', 'staff', 'system', 'open311']), name: z.string() });
export const historyEntrySchema = z.object({
  action: z.string(),
  actionName: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  at: z.string(),
  note: z.string().nullable(),
  actor: actorSchema,
  unitCode: z.string().nullable(),
  unitName: z.string().nullable(),
  photos: z.array(photoSchema),
});

export const tipoffViewSchema = z.object({
  id: z.string(),
  status: z.enum(tipoffStatuses),
  statusName: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  description: z.string(),
  /** lat/lng null: reported by a city system with an address only; source 'community': lat/lng are the chosen community's centre, not the spot */
  location: z.object({
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    address: z.string().nullable(),
    source: z.enum(locationSources).nullable(),
  }),
  /** the located spot as residents read it (nearest community, street, distance); null without a located spot */
  place: nearestPlaceSchema.nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string(),
  unitCode: z.string(),
  unitName: z.string(),
  photos: z.array(photoSchema),
  afterPhotos: z.array(photoSchema),
  source: z.enum(['resident', 'open311']),
  createdAt: z.string(),
  updatedAt: z.string(),
  acceptedAt: z.string().nullable(),
  deadlineAt: z.string().nullable(),
  rectifiedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  overdue: z.boolean(),
  possibleDuplicateOf: z.string().nullable(),
  mergedInto: z.string().nullable(),
  /** merged: the primary it follows, with the primary's status now */
  follows: z
    .object({ id: z.string(), status: z.enum(tipoffStatuses), statusName: z.string() })
    .nullable()
    .optional(),
  /** 受理时限: submitted only, when the office should have accepted or refused it */
  acceptDueAt: z.string().nullable(),
  /** submitted past its 受理时限 */
  acceptOverdue: z.boolean(),
  /** the running deadline as people say it: "剩余 3 小时", "已超期 46 天 16 小时" (acceptance while submitted) */
  dueText: z.string().nullable(),
  /** a unit's request waiting for the office (申请退回 / 申请延期) */
  request: z
    .object({
      kind: z.enum(requestKinds),
      kindName: z.string(),
      reason: z.string(),
      deadlineAt: z.string().nullable(),
      at: z.string(),
      unitCode: z.string(),
      unitName: z.string(),
    })
    .nullable(),
  history: z.array(historyEntrySchema),
  /** the reporter and the office only; never a unit */
  anonymous: z.boolean().optional(),
  /** the office only, and only when not anonymous */
  reporter: z.object({ id: z.string(), nickname: z.string() }).nullable().optional(),
  /** a city system's photo link (Open311 media_url), staff only */
  mediaUrl: z.string().nullable().optional(),
  /** staff: the actions this viewer may take now */
  allowedActions: z.array(z.enum(tipoffActions)).optional(),
});
export type TipoffView = z.infer<typeof tipoffViewSchema>;
export const tipoffListSchema = z.object({ items: z.array(tipoffViewSchema), nextCursor: z.string().nullable() });
export type TipoffList = z.infer<typeof tipoffListSchema>;

/** The triage table: a number or words (`q`), filters, sort, page (tipoffs.triage.ts). */
export const triageQuerySchema = z.object({
  /** a number (编号, one point read) or words looked for in the recent window */
  q: line(60, '搜索词最多 60 个字').optional(),
  /** a status, or `open` (default: unfinished) */
  status: z.enum([...tipoffStatuses, 'open']).optional(),
  category: code.optional(),
  region: code.optional(),
  unit: code.optional(),
  /** past the 受理时限 (submitted) or the unit's deadline */
  overdue: flag.optional(),
  sort: z.enum(['newest', 'oldest', 'deadline']).default('newest'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TriageQuery = z.infer<typeof triageQuerySchema>;
export const triageExportQuerySchema = triageQuerySchema.omit({ page: true, pageSize: true }).extend({
  /** the selected rows (comma-separated numbers); without it, every row of the filter */
  ids: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v),
      z.array(tipoffIdSchema).max(100, '一次最多导出选中的 100 条'),
    )
    .optional(),
});
export type TriageExportQuery = z.infer<typeof triageExportQuerySchema>;

export const triagePageSchema = z.object({
  items: z.array(tipoffViewSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** where the rows came from: number (point read), text (recent window), queue (unfinished), archive */
  source: z.enum(['number', 'text', 'queue', 'archive']),
  /** text search: the period searched, and a sentence saying so */
  window: z.object({ from: z.string(), to: z.string(), days: z.number(), text: z.string() }).nullable(),
  /** more matches than shown (text search cap, archive cap): narrow the search */
  truncated: z.boolean(),
});
export type TriagePage = z.infer<typeof triagePageSchema>;

export const bulkActions = ['accept', 'assign', 'close'] as const;
export const bulkSchema = z.object({
  ids: z.array(tipoffIdSchema).min(1, '请至少选择一条').max(100, '一次最多处理 100 条'),
  action: z.enum(bulkActions, '批量操作只能是 accept 受理、assign 分派 或 close 办结'),
  /** accept: the unit (default: each category's unit); assign: required */
  unitCode: code.optional(),
  note: text(500, '说明最多 500 个字').optional(),
});
export type BulkInput = z.infer<typeof bulkSchema>;
export const bulkResultSchema = z.object({
  done: z.array(z.string()),
  failed: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;
