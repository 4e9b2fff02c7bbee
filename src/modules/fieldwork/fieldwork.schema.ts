import { z } from 'zod';
import { text } from '../../core/text';
import { surveyViewSchema } from '../surveys/surveys.schema';

/** 入户调查 (door-to-door sample survey): the frame, the draw, assignments, visits, review, progress. */

const regionCode = z.string().regex(/^\d{4,20}$/, '不是有效的区域编码');
const householdId = z.string().regex(/^h[0-9a-f]{20}$/, '不是有效的住户编号');
const surveyId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, '问卷编号无效');

export const surveyIdParams = z.object({ id: surveyId });
export const interviewIdParams = z.object({ id: z.string().regex(/^v[0-9a-f]{24}$/, '不是有效的访问编号') });

// —— the frame ——

export const householdImportResultSchema = z.object({
  /** new households added to the frame */
  imported: z.number().int(),
  /** rows already in the frame (same community, building, unit and room): left as they are */
  unchanged: z.number().int(),
  /** rows not imported, each with its row number (the header is row 1), column and reason */
  rejected: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
});
export type HouseholdImportResult = z.infer<typeof householdImportResultSchema>;

export const householdsQuery = z.object({
  regionCode: regionCode.optional().describe('社区、街道或区的编码；默认全市'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

/** A household as the office sees it: the room is masked (3栋2单元***). */
export const maskedHouseholdSchema = z.object({
  id: z.string(),
  regionCode: z.string(),
  community: z.string(),
  address: z.string().describe('脱敏地址，如 3栋2单元***'),
});
export const householdListSchema = z.object({
  total: z.number().int(),
  byCommunity: z.array(z.object({ regionCode: z.string(), name: z.string(), households: z.number().int() })),
  items: z.array(maskedHouseholdSchema),
});

// —— the draw ——

export const drawInputSchema = z.object({
  /** communities (or streets, districts) to draw for; default every community with a target */
  regionCodes: z.array(regionCode).max(500).optional(),
  /** recorded with the draw: the same seed over the same frame draws the same households */
  seed: z
    .string()
    .regex(/^[\w-]{1,64}$/, '随机种子为 1–64 位字母、数字、_ 或 -')
    .optional(),
});
export type DrawInput = z.infer<typeof drawInputSchema>;

export const drawnHouseholdSchema = maskedHouseholdSchema.extend({
  role: z.enum(['sample', 'reserve']),
  /** the household's position (1-based) in the community's frame, in the documented order */
  position: z.number().int(),
});
export const drawSchema = z.object({
  surveyId: z.string(),
  regionCode: z.string(),
  community: z.string(),
  seed: z.string(),
  frameSize: z.number().int(),
  sampleSize: z.number().int(),
  reserveSize: z.number().int(),
  /** sampling interval k = N / n (a real number) */
  interval: z.number(),
  /** random start r in [0, k) */
  start: z.number(),
  drawnAt: z.string(),
  drawnBy: z.string(),
  households: z.array(drawnHouseholdSchema),
});
export type DrawView = z.infer<typeof drawSchema>;
export const drawResultSchema = z.object({
  items: z.array(drawSchema),
  /** communities asked for but not drawn, and why (no target, no households, already assigned) */
  skipped: z.array(z.object({ regionCode: z.string(), message: z.string() })),
});
export const drawListSchema = z.object({ items: z.array(drawSchema) });

// —— assignments ——

export const assignInputSchema = z
  .object({
    enumeratorId: z.string().min(1).max(40),
    householdIds: z.array(householdId).min(1).max(2000).optional(),
    /** every drawn household of the community (sample and reserve) */
    regionCode: regionCode.optional(),
  })
  .refine((b) => Boolean(b.householdIds) !== Boolean(b.regionCode), {
    message: '请指定住户（householdIds）或社区（regionCode），二选一',
    path: ['householdIds'],
  });
export type AssignInput = z.infer<typeof assignInputSchema>;
export const enumeratorListSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });
export const assignResultSchema = z.object({ assigned: z.number().int(), reassigned: z.number().int() });

export const outcomes = ['completed', 'not_home', 'refused', 'vacant', 'other'] as const;
export type Outcome = (typeof outcomes)[number];
export const outcomeLabels: Record<Outcome, string> = {
  completed: '完成',
  not_home: '无人在家',
  refused: '拒访',
  vacant: '空户',
  other: '其他',
};

/** A household's state in a survey's fieldwork. */
export const caseStateSchema = z.object({
  /** the latest visit's outcome; null before the first visit */
  outcome: z.enum(outcomes).nullable(),
  visits: z.number().int(),
  /** no further visit needed: completed, or a final non-completion (refused, vacant, other, or not at home 3 times) */
  final: z.boolean(),
  /** the reserve household that replaced this one */
  replacedBy: z.string().nullable(),
  /** the drawn household this reserve household replaces */
  replacementFor: z.string().nullable(),
});
export type CaseState = z.infer<typeof caseStateSchema>;

export const assignedHouseholdSchema = caseStateSchema.extend({
  id: z.string(),
  regionCode: z.string(),
  community: z.string(),
  /** the full address: only the enumerator it is assigned to sees it */
  address: z.string(),
  note: z.string().nullable(),
  role: z.enum(['sample', 'reserve']),
});
export const myAssignmentsSchema = z.object({
  items: z.array(
    z.object({
      survey: surveyViewSchema,
      /** the households assigned to the caller in this survey, with their full addresses */
      households: z.array(assignedHouseholdSchema),
    }),
  ),
});

// —— visits ——

const instant = z.iso.datetime({ offset: true, error: '请使用带时区的时间，如 2026-03-01T08:00:00+08:00' });
const answerValue = z.union([text(4000), z.number(), z.array(z.string().max(10)).max(26), z.null()]);

export const visitInputSchema = z.object({
  householdId,
  surveyId,
  outcome: z.enum(outcomes),
  note: text(500).optional(),
  startedAt: instant,
  endedAt: instant,
  position: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
  /** the respondent's demographics (gender, ageBand, …): stored with the answers, as the survey's demographic questions */
  respondent: z.record(z.string().max(40), z.union([z.string().max(100), z.number()])).optional(),
  /** same shape as a resident's response: question id → answer */
  answers: z.record(z.string().max(60), answerValue).optional(),
  replacement: z.object({ forHouseholdId: householdId, reason: text(300).min(1) }).optional(),
});
export type VisitInput = z.infer<typeof visitInputSchema>;

export const qualityFlags = ['too_short', 'straight_lining', 'too_many_per_hour', 'far_from_community'] as const;
export type QualityFlag = (typeof qualityFlags)[number];
export const flagSchema = z.object({ code: z.enum(qualityFlags), message: z.string() });
export type Flag = z.infer<typeof flagSchema>;

export const reviewStates = ['none', 'pending', 'accepted', 'rejected'] as const;
export const visitResultSchema = z.object({
  id: z.string(),
  householdId: z.string(),
  surveyId: z.string(),
  outcome: z.enum(outcomes),
  /** quality flags of a completed interview; a flagged one counts only once the office accepts it */
  flags: z.array(flagSchema),
  review: z.enum(reviewStates),
  household: caseStateSchema,
});
export type VisitResult = z.infer<typeof visitResultSchema>;

// —— review ——

export const interviewsQuery = z.object({
  flagged: z.enum(['true', 'false']).optional().describe('true：只看有质量标记的访问'),
  review: z.enum(reviewStates).optional(),
});
export const interviewSchema = z.object({
  id: z.string(),
  surveyId: z.string(),
  regionCode: z.string(),
  community: z.string(),
  /** the masked address (never the room) */
  household: z.string(),
  enumerator: z.object({ id: z.string(), name: z.string() }),
  startedAt: z.string(),
  endedAt: z.string(),
  durationSeconds: z.number(),
  questions: z.number().int(),
  /** metres from the community centre, when a position was sent */
  distanceMeters: z.number().nullable(),
  flags: z.array(flagSchema),
  review: z.enum(reviewStates),
  reviewNote: z.string().nullable(),
  reviewedBy: z.string().nullable(),
});
export type InterviewView = z.infer<typeof interviewSchema>;
export const interviewListSchema = z.object({ items: z.array(interviewSchema) });
export const reviewInputSchema = z.object({ decision: z.enum(['accepted', 'rejected']), note: text(500).optional() });
export type ReviewInput = z.infer<typeof reviewInputSchema>;

// —— progress ——

const progressCounts = {
  frame: z.number().int().describe('抽样框住户数 N'),
  drawn: z.number().int().describe('抽中（样本）户数 n'),
  reserve: z.number().int().describe('备用户数'),
  issued: z.number().int().describe('实际下发：样本户 + 已启用的替换户'),
  contacted: z.number().int().describe('至少上门一次的户数'),
  completed: z.number().int().describe('完成访问（不含被驳回的）'),
  pendingReview: z.number().int().describe('完成但有质量标记、待审核'),
  rejected: z.number().int(),
  refused: z.number().int(),
  notHome: z.number().int(),
  vacant: z.number().int(),
  other: z.number().int(),
  notVisited: z.number().int(),
  replaced: z.number().int().describe('被备用户替换的户数'),
  rr1: z.number().nullable().describe('AAPOR RR1 = 完成 ÷（完成 + 拒访 + 无人在家 + 其他 + 未访）；空户不计'),
  marginOfError: z.number().nullable().describe('p = 0.5、含有限总体校正的 95% 误差范围（按已接受的完成数）'),
};
export const progressSchema = z.object({
  surveyId: z.string(),
  total: z.object(progressCounts),
  items: z.array(z.object({ regionCode: z.string(), name: z.string(), ...progressCounts })),
});
export type Progress = z.infer<typeof progressSchema>;
export type ProgressCounts = Omit<Progress['items'][number], 'regionCode' | 'name'>;
