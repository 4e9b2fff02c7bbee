import { z } from 'zod';
import { pageQuery } from '../../core/validate';
import { line, text } from '../../core/text';

// ---- registration and the volunteer ----

const skill = line(20, '每项技能最多 20 个字').min(1, '技能不能为空');

export const consentSchema = z.object({
  /** the person ticked "我已阅读并同意" for this notice (PIPL: a separate, explicit consent) */
  agreed: z.literal(true, { error: '请阅读并同意《志愿者个人信息处理告知书》' }),
  noticeVersion: z.string().min(1).max(40),
});

export const registerVolunteerSchema = z.object({
  realName: line(30, '姓名最多 30 个字')
    .min(2, '姓名至少 2 个字')
    .regex(/^[\u4e00-\u9fa5A-Za-z·•. ]+$/, '姓名只能包含汉字、字母或间隔号'),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, '请输入 11 位中国大陆手机号码'),
  // Checked in the service (check digit, birth date): a bad one is 400 INVALID_ID_NUMBER.
  idNumber: z.string().trim().min(1, '请输入身份证号码').max(40),
  regionCode: z.string().max(40),
  skills: z.array(skill).max(10, '最多选择 10 项技能').default([]),
  consent: consentSchema,
});
export type RegisterVolunteer = z.infer<typeof registerVolunteerSchema>;

export const volunteerViewSchema = z.object({
  id: z.string(),
  volunteerNo: z.string(),
  realName: z.string(),
  phoneMasked: z.string(),
  idNumberMasked: z.string(),
  gender: z.enum(['male', 'female']),
  regionCode: z.string(),
  regionName: z.string(),
  skills: z.array(z.string()),
  /** total service hours, one decimal */
  hours: z.number(),
  /** activities served (checked out with hours) */
  activities: z.number(),
  registeredAt: z.string(),
  consent: z.object({ noticeVersion: z.string(), agreedAt: z.string() }),
});
export type VolunteerView = z.infer<typeof volunteerViewSchema>;

export const privacyNoticeSchema = z.object({
  version: z.string().min(1).max(40),
  title: line().min(1),
  controller: line().min(1),
  contact: line().min(1),
  /** the contact is example data (the demo city's); pages say so until a deployment puts its own */
  example: z.boolean().default(false),
  summary: text().min(1),
  sections: z.array(z.object({ heading: line().min(1), body: text().min(1) })).min(1),
});
export type PrivacyNotice = z.infer<typeof privacyNoticeSchema>;

export const volunteersContentSchema = z.object({
  skills: z.array(skill).min(1),
});

// ---- activities ----

const isoTime = z.iso.datetime({ offset: true, error: '时间格式应为 ISO-8601，例如 2026-12-01T09:00:00+08:00' });
const point = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });

const activityFields = {
  title: line(60, '标题最多 60 个字').min(2, '标题至少 2 个字'),
  description: text(2000).min(1, '请填写活动内容'),
  startAt: isoTime,
  endAt: isoTime,
  regionCode: z.string().max(40),
  address: line(200).min(2, '请填写活动地点'),
  capacity: z.number().int().min(1, '名额至少 1 人').max(10_000),
  location: point.nullable().optional(),
  requireLocation: z.boolean().optional(),
  skills: z.array(skill).max(10).optional(),
  organizer: line(60).min(2).optional(),
  contact: line(60).optional(),
};

const windowOk = (a: { startAt?: string; endAt?: string }) => !a.startAt || !a.endAt || new Date(a.endAt) > new Date(a.startAt);
const windowMsg = { message: '结束时间必须晚于开始时间', path: ['endAt'] };

export const createActivitySchema = z.object(activityFields).refine(windowOk, windowMsg);
export type CreateActivity = z.infer<typeof createActivitySchema>;

export const updateActivitySchema = z
  .object({ ...activityFields, status: z.enum(['open', 'cancelled']) })
  .partial()
  .refine(windowOk, windowMsg);
export type UpdateActivity = z.infer<typeof updateActivitySchema>;

export const activityQuerySchema = pageQuery.extend({
  region: z.string().max(40).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type ActivityQuery = z.infer<typeof activityQuerySchema>;

export const signupStatuses = ['confirmed', 'waitlisted'] as const;
export type SignupStatus = (typeof signupStatuses)[number];

export const myStatusSchema = z.object({
  status: z.enum(signupStatuses),
  position: z.number().optional(),
  checkedInAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  hours: z.number().nullable(),
});
export type MyStatus = z.infer<typeof myStatusSchema>;

export const activityViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  address: z.string(),
  location: point.nullable(),
  requireLocation: z.boolean(),
  capacity: z.number(),
  confirmedCount: z.number(),
  waitlistCount: z.number(),
  seatsLeft: z.number(),
  skills: z.array(z.string()),
  organizer: z.string(),
  contact: z.string().nullable(),
  status: z.enum(['open', 'cancelled']),
  /** open for sign-up now: open, not started, not cancelled */
  signupOpen: z.boolean(),
  /** the caller's sign-up (residents) */
  my: myStatusSchema.nullable().optional(),
  /** organisers only (office, admin) */
  checkinCode: z.string().optional(),
  checkinUrl: z.string().optional(),
});
export type ActivityView = z.infer<typeof activityViewSchema>;

export const activityListSchema = z.object({ items: z.array(activityViewSchema), nextCursor: z.string().nullable() });

export const signupResultSchema = z.object({ status: z.enum(signupStatuses), position: z.number().optional() });
export type SignupResult = z.infer<typeof signupResultSchema>;

export const codeBodySchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '签到码为 6 位数字'),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
});
export type CodeBody = z.infer<typeof codeBodySchema>;

export const checkinResultSchema = z.object({ checkedInAt: z.string(), activityId: z.string(), title: z.string() });
export const checkoutResultSchema = z.object({
  checkedOutAt: z.string(),
  hours: z.number(),
  activityId: z.string(),
  title: z.string(),
  pointsAwarded: z.number(),
});
export type CheckinResult = z.infer<typeof checkinResultSchema>;
export type CheckoutResult = z.infer<typeof checkoutResultSchema>;

export const rosterEntrySchema = z.object({
  residentId: z.string(),
  name: z.string(),
  phoneMasked: z.string(),
  status: z.enum(signupStatuses),
  position: z.number().optional(),
  signedUpAt: z.string(),
  checkedInAt: z.string().nullable().optional(),
  checkedOutAt: z.string().nullable().optional(),
  /** "管理员代签（username）" when an organiser recorded it, null when the volunteer did */
  checkedInBy: z.string().nullable().optional(),
  checkedOutBy: z.string().nullable().optional(),
  /** confirmed only: the volunteer number (search at the door) and the hours booked */
  volunteerNo: z.string().optional(),
  hours: z.number().nullable().optional(),
});
export const rosterViewSchema = z.object({
  activityId: z.string(),
  capacity: z.number(),
  confirmed: z.array(rosterEntrySchema),
  waitlist: z.array(rosterEntrySchema),
});
export type RosterView = z.infer<typeof rosterViewSchema>;

// ---- the console: activity table and 管理员代签 ----

export const activityPhases = ['running', 'upcoming', 'past'] as const;
export const activityTableQuerySchema = z.object({
  phase: z.enum(activityPhases).optional(),
  status: z.enum(['open', 'cancelled']).optional(),
  region: z.string().max(40).optional(),
  /** title, address or organiser contains it */
  q: z.string().trim().max(60).optional(),
  sort: z.enum(['startAt', 'endAt', 'title', 'createdAt']).default('startAt'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ActivityTableQuery = z.infer<typeof activityTableQuerySchema>;
export const activityTableSchema = z.object({
  items: z.array(activityViewSchema.extend({ phase: z.enum(activityPhases) })),
  total: z.number(),
  /** how many activities each phase holds under the same filters (the tabs' badges) */
  phases: z.object({ running: z.number(), upcoming: z.number(), past: z.number() }),
});

export const manualAttendanceSchema = z.object({
  residentId: z.string().min(1).max(64),
  kind: z.enum(['in', 'out']),
  /** the actual time, when recorded afterwards (补录); default now */
  at: isoTime.optional(),
});
export type ManualAttendance = z.infer<typeof manualAttendanceSchema>;
export const manualAttendanceResultSchema = z.object({
  activityId: z.string(),
  residentId: z.string(),
  name: z.string(),
  kind: z.enum(['in', 'out']),
  at: z.string(),
  /** 管理员代签（username） */
  recordedBy: z.string(),
  /** check-out: the hours booked, the same way as a volunteer's own check-out */
  hours: z.number().optional(),
  pointsAwarded: z.number().optional(),
});
export type ManualAttendanceResult = z.infer<typeof manualAttendanceResultSchema>;

export const mySignupSchema = z.object({ activity: activityViewSchema });
export const mySignupsSchema = z.object({ items: z.array(activityViewSchema) });

// ---- the service record (志愿服务记录, 民政部令第67号) ----

export const serviceEntrySchema = z.object({
  activityId: z.string(),
  /** 志愿服务活动名称 */
  title: z.string(),
  /** 服务内容 */
  content: z.string(),
  /** 服务地点 */
  place: z.string(),
  /** 服务时间 */
  startAt: z.string(),
  endAt: z.string(),
  checkedInAt: z.string(),
  checkedOutAt: z.string(),
  /** 服务时长（小时） */
  hours: z.number(),
  /** 组织单位（记录单位） */
  organizer: z.string(),
  /** 记录日期 */
  recordedAt: z.string(),
});
export const serviceRecordSchema = z.object({
  volunteer: z.object({
    volunteerNo: z.string(),
    realName: z.string(),
    gender: z.string(),
    idType: z.string(),
    idNumberMasked: z.string(),
    regionName: z.string(),
    skills: z.array(z.string()),
    registeredAt: z.string(),
  }),
  entries: z.array(serviceEntrySchema),
  totalHours: z.number(),
  activities: z.number(),
  issuedAt: z.string(),
  issuer: z.string(),
});
export type ServiceRecord = z.infer<typeof serviceRecordSchema>;
