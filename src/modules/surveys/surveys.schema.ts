import { z } from 'zod';
import { baseQuestionSchema, checkQuestion, publicQuestionSchema, surveyExtension } from '../questionnaire/questionnaire.schema';
import { line, text } from '../../core/text';

/** Surveys ask single, multiple, scale and text questions; judge questions and answers are a quiz's. */
export const surveyQuestionTypes = ['single', 'multiple', 'scale', 'text'] as const;

/** A survey with at most this many questions (and no community picker) is answered in the chat. */
export const CHAT_MAX_QUESTIONS = 8;

const surveyId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, '问卷编号只能包含小写字母、数字和 -（2–60 位）');

/** A day (2026-03-01, the start of that day in China) or an instant with offset. */
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: '请使用日期 2026-03-01 或带时区的时间 2026-03-01T08:00:00+08:00',
});

/** Per-community target sample sizes: community code → number of responses wanted. */
const targets = z.record(z.string().regex(/^\d{6,20}$/, '社区编码无效'), z.number().int().min(0).max(1_000_000));

/** A survey question: the engine's base question extended with marks, demographics, optional questions, scales and text. */
export const surveyQuestionSchema = baseQuestionSchema
  .extend({
    ...surveyExtension.shape,
    type: z.enum(surveyQuestionTypes, { error: '问卷题型只能是 single、multiple、scale 或 text' }),
    // said, rather than silently dropped: an author who gives one thinks the survey is scored
    answer: z.undefined({ error: '问卷题目没有标准答案' }).optional(),
  })
  .superRefine((q, ctx) => {
    checkQuestion(q, ctx);
    if (q.demographic === 'community' && q.type !== 'text')
      ctx.addIssue({ code: 'custom', path: ['type'], message: '社区题的题型为 text（答案为社区编码）' });
    if (q.type === 'scale' && q.scale && (q.scale.max <= q.scale.min || q.scale.max - q.scale.min > 10))
      ctx.addIssue({ code: 'custom', path: ['scale'], message: '量表范围应为 2–11 级，例如 1–5' });
    if (q.type === 'text' && q.indicator) ctx.addIssue({ code: 'custom', path: ['indicator'], message: '填空题不能计入指标' });
  });
export type SurveyQuestion = z.infer<typeof surveyQuestionSchema>;
const surveyQuestion = surveyQuestionSchema;

const surveyFields = {
  title: line(100).min(2),
  description: text(1000).optional(),
  /** promised anonymity: no resident id, openid or IP is stored with the answers */
  anonymous: z.boolean().default(false),
  /** answered question by question in the chat; default: short surveys without a community picker */
  chat: z.boolean().optional(),
  points: z.number().int().min(0).max(100).default(5),
  thanks: text(300).optional(),
  opensAt: instant.nullable().optional(),
  closesAt: instant.nullable().optional(),
  targets: targets.default({}),
  questions: z.array(surveyQuestion).min(1).max(80),
};

function checkQuestions(s: { questions: Array<{ id: string }> }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  s.questions.forEach((q, i) => {
    if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `题目编号 ${q.id} 重复` });
    seen.add(q.id);
  });
}

/** A survey definition: a file of content/surveys/, or the body of POST /surveys. */
export const surveyInputSchema = z.object({ id: surveyId, ...surveyFields }).superRefine(checkQuestions);
export const createSurveySchema = z.object({ id: surveyId.optional(), ...surveyFields }).superRefine(checkQuestions);
export type SurveyInput = z.infer<typeof surveyInputSchema>;
export type CreateSurvey = z.infer<typeof createSurveySchema>;

/** PATCH: the window and the targets change any time; title, questions and anonymity only while no one answered. */
export const updateSurveySchema = z
  .object({
    title: surveyFields.title,
    description: surveyFields.description,
    anonymous: z.boolean(),
    chat: z.boolean().nullable(),
    points: surveyFields.points.unwrap(),
    thanks: surveyFields.thanks,
    opensAt: instant.nullable(),
    closesAt: instant.nullable(),
    targets,
    questions: surveyFields.questions,
  })
  .partial()
  .superRefine((s, ctx) => s.questions && checkQuestions({ questions: s.questions }, ctx));
export type UpdateSurvey = z.infer<typeof updateSurveySchema>;
/** The fields an edit may change only while the survey has no responses. */
export const DEFINITION_FIELDS = ['title', 'anonymous', 'questions'] as const;

export const openSurveySchema = z.object({ closesAt: instant.nullable().optional() });

export const surveyIdParams = z.object({ id: surveyId });

/** POST /surveys/:id/responses: question id → answer (option keys, a scale number, text, a community code). */
export const responseInputSchema = z.object({
  answers: z.record(z.string().max(60), z.union([text(4000), z.number(), z.array(z.string().max(10)).max(26), z.null()])),
});
export type ResponseInput = z.infer<typeof responseInputSchema>;

export const surveyListItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  open: z.boolean(),
  anonymous: z.boolean(),
  chat: z.boolean(),
  questionCount: z.number(),
  points: z.number(),
  closesAt: z.string().nullable(),
  responded: z.boolean().optional(),
});
export const surveyListSchema = z.object({ items: z.array(surveyListItemSchema) });

export const surveyViewSchema = surveyListItemSchema.extend({
  description: z.string().nullable(),
  thanks: z.string().nullable(),
  questions: z.array(publicQuestionSchema),
});

/** What the office sees besides the public definition. */
export const surveyAdminSchema = surveyViewSchema.extend({
  opensAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  targets: z.record(z.string(), z.number()),
  /** responses counted towards the targets (each community's capped at its target) */
  sample: z.object({ target: z.number(), achievedOfTarget: z.number() }),
  responses: z.number(),
  locked: z.boolean(),
  /** why questions, title and anonymity can no longer change (null while no one has answered) */
  lockedReason: z.string().nullable(),
  rev: z.number(),
  source: z.enum(['content', 'office']),
  /** created or edited in the console: content sync leaves it alone */
  consoleOwned: z.boolean(),
  editedAt: z.string().nullable(),
});

export const responseResultSchema = z.object({
  /** the response id; for an anonymous survey a receipt that is stored with no answers */
  id: z.string(),
  anonymous: z.boolean(),
  pointsAwarded: z.number(),
  thanks: z.string(),
});

const countSchema = z.object({ count: z.number(), percent: z.number() });
export const questionResultSchema = z.object({
  id: z.string(),
  type: z.string(),
  text: z.string(),
  indicator: z.string().nullable(),
  demographic: z.string().nullable(),
  answered: z.number(),
  options: z.array(countSchema.extend({ key: z.string(), text: z.string() })).optional(),
  values: z.array(countSchema.extend({ value: z.string(), label: z.string() })).optional(),
  mean: z.number().nullable().optional(),
  positive: countSchema.nullable(),
  meanScore: z.number().nullable(),
});
export const surveyResultsSchema = z.object({
  id: z.string(),
  title: z.string(),
  anonymous: z.boolean(),
  responses: z.number(),
  questions: z.array(questionResultSchema),
});

export const sampleProgressSchema = z.object({
  responses: z.number(),
  target: z.number(),
  achievedOfTarget: z.number(),
  noCommunity: z.number(),
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      target: z.number(),
      achieved: z.number(),
      percent: z.number().nullable(),
      met: z.boolean(),
    }),
  ),
});

export type SurveyListItem = z.infer<typeof surveyListItemSchema>;
export type SurveyView = z.infer<typeof surveyViewSchema>;
export type SurveyAdminView = z.infer<typeof surveyAdminSchema>;
export type ResponseResult = z.infer<typeof responseResultSchema>;
export type QuestionResult = z.infer<typeof questionResultSchema>;
export type SurveyResults = z.infer<typeof surveyResultsSchema>;
export type SampleProgress = z.infer<typeof sampleProgressSchema>;

export const inviteInputSchema = z.object({
  /** a district, street or community code; the whole city when left out */
  regionCode: z
    .string()
    .regex(/^\d{4,15}$/, '不是有效的区域编码')
    .nullable()
    .optional(),
});
export const inviteQuerySchema = z.object({
  regionCode: z
    .string()
    .regex(/^\d{4,15}$/, '不是有效的区域编码')
    .optional(),
});
export const surveyInvitationViewSchema = z.object({
  surveyId: z.string(),
  regionCode: z.string().nullable(),
  status: z.enum(['running', 'done']),
  /** residents of the region when the run started */
  residents: z.number().int(),
  /** invited by this run */
  invited: z.number().int(),
  /** already answered, or already invited before */
  skipped: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type SurveyInvitationView = z.infer<typeof surveyInvitationViewSchema>;
