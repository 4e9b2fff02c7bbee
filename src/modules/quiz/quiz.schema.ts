import { z } from 'zod';
import { baseQuestionSchema, checkQuestion, optionKey, optionSchema, quizExtension } from '../questionnaire/questionnaire.schema';
import { line, text } from '../../core/text';

/**
 * Quizzes: question banks (content/quizzes/*.yaml and the office's edits) and the attempts residents
 * make. Quiz questions are the questionnaire engine's questions restricted to what can be scored.
 */
export const quizId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, '答题编号只能包含小写字母、数字和 -（2–40 位）');
/** No dots: question ids are field names of the accuracy counters. */
export const quizQuestionId = z.string().regex(/^[\w-]{1,60}$/, '题目编号只能包含字母、数字、_ 和 -');
export const quizQuestionTypes = ['single', 'multiple', 'judge'] as const;

/** A quiz question: the engine's base question extended with an answer, an explanation and a topic. */
export const quizQuestionSchema = baseQuestionSchema
  .extend({ ...quizExtension.shape, id: quizQuestionId, type: z.enum(quizQuestionTypes, { error: '答题只支持单选、多选、判断题' }) })
  .superRefine((q, ctx) => {
    checkQuestion(q, ctx);
    if (!q.answer?.length) ctx.addIssue({ code: 'custom', path: ['answer'], message: '请填写正确答案' });
    if (q.type === 'multiple' && q.answer && q.answer.length < 2)
      ctx.addIssue({ code: 'custom', path: ['answer'], message: '多选题至少有两个正确选项' });
  });
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;

export const drawSchema = z
  .object({
    /** questions per attempt */
    size: z.number().int().min(1).max(50).default(10),
    /** topic → how many of that topic each attempt draws; the rest comes from the whole bank */
    mix: z.record(z.string().min(1).max(40), z.number().int().min(0).max(50)).default({}),
  })
  .refine((d) => Object.values(d.mix).reduce((a, b) => a + b, 0) <= d.size, { message: '各主题题数之和不能超过每次题数', path: ['mix'] });
export type DrawConfig = z.infer<typeof drawSchema>;

const quizFields = {
  title: line(60).min(2),
  description: text(500).default(''),
  draw: drawSchema.default({ size: 10, mix: {} }),
  /** points per correct answer of a scored attempt */
  pointsPerCorrect: z.number().int().min(0).max(100).default(2),
};

/** content/quizzes/<file>.yaml: one quiz and its bank. */
export const quizFileSchema = z
  .object({ id: quizId, ...quizFields, questions: z.array(quizQuestionSchema).min(1) })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.questions.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `题目编号 ${q.id} 重复` });
      seen.add(q.id);
    });
  });
export type QuizFile = z.infer<typeof quizFileSchema>;

export const createQuizSchema = z.object({ id: quizId.optional(), ...quizFields });
export const updateQuizSchema = z
  .object({
    title: quizFields.title.optional(),
    description: text(500).optional(),
    draw: drawSchema.optional(),
    pointsPerCorrect: quizFields.pointsPerCorrect.unwrap().optional(),
    status: z.enum(['active', 'retired']).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: '没有要修改的内容' });
export type CreateQuiz = z.infer<typeof createQuizSchema>;
export type UpdateQuiz = z.infer<typeof updateQuizSchema>;

/** A question edit: any of the fields; the merged question is validated again as a whole. */
export const updateQuestionSchema = z
  .object({
    type: z.enum(quizQuestionTypes).optional(),
    text: text(500).min(2).optional(),
    options: z.array(optionSchema).max(26).optional(),
    answer: z.array(optionKey).optional(),
    explanation: text(1000).optional(),
    indicator: z.string().max(40).nullable().optional(),
    topic: line(40).nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: '没有要修改的内容' });
export type UpdateQuestion = z.infer<typeof updateQuestionSchema>;

/** The office's bank table: search, filters, sort and pages over the bank (a few hundred questions, held in memory). */
export const bankQuery = z.object({
  /** words of the stem, an option, the explanation, or the question id */
  q: z.string().trim().max(60).optional(),
  type: z.enum(quizQuestionTypes).optional(),
  /** an indicator code, or `none` for questions without one */
  indicator: z.string().max(40).optional(),
  topic: z.string().max(40).optional(),
  status: z.enum(['active', 'retired']).optional(),
  sort: z.enum(['order', 'id', 'updatedAt', 'type']).default('order'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).default(1),
  /** absent: the whole bank on one page */
  pageSize: z.coerce.number().int().min(1).max(1000).default(1000),
});
export type BankQuery = z.infer<typeof bankQuery>;

export const quizParams = z.object({ id: quizId });
export const questionParams = z.object({ id: quizId, questionId: quizQuestionId });
export const attemptParams = z.object({ attemptId: z.string().regex(/^[0-9a-f]{24}$/, '不是有效的答题编号') });

// ---- responses ----

export const quizSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  questionCount: z.number(),
  drawSize: z.number(),
  pointsPerCorrect: z.number(),
  status: z.enum(['active', 'retired']),
  /** the caller's unfinished attempt, to resume */
  openAttemptId: z.string().nullable().optional(),
  /** office views only: the whole draw rule, who owns the quiz, when it last changed */
  draw: z.object({ size: z.number(), mix: z.record(z.string(), z.number()) }).optional(),
  source: z.enum(['content', 'office']).optional(),
  updatedAt: z.string().optional(),
  /** office views only: active questions per topic, so a draw rule can be checked against the bank */
  topics: z.record(z.string(), z.number()).optional(),
});
export type QuizSummary = z.infer<typeof quizSummarySchema>;

const publicOption = optionSchema;
/** A question of an attempt as the resident sees it: never the answer or the explanation. */
export const attemptQuestionSchema = baseQuestionSchema
  .pick({ id: true, text: true })
  .extend({ type: z.enum(quizQuestionTypes), topic: quizExtension.shape.topic, options: z.array(optionSchema) });
export type AttemptQuestion = z.infer<typeof attemptQuestionSchema>;

export const feedbackSchema = z.object({
  correct: z.boolean(),
  correctChoice: z.array(z.string()),
  explanation: z.string(),
});
/**
 * The answer's feedback. No running tally: it would cost a read of every answer of the attempt
 * on each answer (one point read per question); GET /quiz-attempts/:id gives the whole progress.
 */
export const answerResultSchema = feedbackSchema.extend({
  choice: z.array(z.string()),
  total: z.number(),
});
export type AnswerResult = z.infer<typeof answerResultSchema>;

export const resultSchema = z.object({
  score: z.number(),
  correctCount: z.number(),
  total: z.number(),
  pointsAwarded: z.number(),
  /** false when the day's scored attempts were used up (QUIZ_DAILY_SCORED_ATTEMPTS) */
  scored: z.boolean(),
  dailyLimit: z.number(),
});
export type AttemptResult = z.infer<typeof resultSchema>;

export const attemptSchema = z.object({
  attemptId: z.string(),
  quizId: z.string(),
  title: z.string(),
  startedAt: z.string(),
  questions: z.array(attemptQuestionSchema),
  /** feedback for the questions already answered (and only those) */
  answers: z.record(z.string(), feedbackSchema.extend({ choice: z.array(z.string()) })),
  correctCount: z.number(),
  result: resultSchema.nullable(),
});
export type AttemptView = z.infer<typeof attemptSchema>;
export const newAttemptSchema = attemptSchema.pick({ attemptId: true, quizId: true, title: true, startedAt: true, questions: true });

export const answerBodySchema = z.object({
  questionId: quizQuestionId,
  /** option keys, e.g. ["A","C"]; "AC", "a c" and 对/错 are accepted too */
  choice: z.union([z.array(z.string().max(10)).max(26), z.string().max(60)]),
});

export const periods = ['week', 'month', 'all'] as const;
export type Period = (typeof periods)[number];
export const leaderboardQuery = z.object({
  period: z.enum(periods).default('week'),
  /** a district code (or any region under it): the district's board; absent: the city's */
  region: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const leaderboardSchema = z.object({
  period: z.enum(periods),
  periodKey: z.string(),
  scope: z.object({ code: z.string().nullable(), name: z.string() }),
  items: z.array(z.object({ rank: z.number(), nickname: z.string(), score: z.number(), me: z.boolean().optional() })),
  /** the caller's own best score in the period, and rank when on the board */
  me: z.object({ rank: z.number().nullable(), score: z.number() }).nullable(),
});
export type Leaderboard = z.infer<typeof leaderboardSchema>;

/** The office's view of a question: everything, answer included. */
export const officeQuestionSchema = z.object({
  id: z.string(),
  type: z.enum(quizQuestionTypes),
  text: z.string(),
  options: z.array(publicOption),
  answer: z.array(z.string()),
  explanation: z.string(),
  topic: z.string().nullable(),
  indicator: z.string().nullable(),
  status: z.enum(['active', 'retired']),
  source: z.enum(['content', 'office']),
  updatedAt: z.string(),
  /** drawn into an attempt at least once: its scoring (type, options, answer, indicator) is frozen, an edit makes a new revision */
  used: z.boolean(),
  /** the question this one is a revision of, and the revision that replaced this one */
  revisionOf: z.string().nullable(),
  replacedBy: z.string().nullable(),
  /** in the answer to an edit that made a new revision: the id it replaced (now retired) */
  revisedFrom: z.string().optional(),
});
export type OfficeQuestion = z.infer<typeof officeQuestionSchema>;

export const accuracyQuery = z.object({
  region: z.string().max(40).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
const rateFields = { n: z.number(), correct: z.number(), rate: z.number().nullable(), lowSample: z.boolean() };
export const accuracySchema = z.object({
  quizId: z.string(),
  region: z.object({ code: z.string().nullable(), name: z.string() }),
  /** the days counted: from..to (default: 1 January of to's year through today) */
  days: z.object({ from: z.string(), to: z.string() }),
  overall: z.object(rateFields),
  /** weakest first: the knowledge gaps */
  questions: z.array(
    z.object({ id: z.string(), text: z.string(), topic: z.string().nullable(), indicator: z.string().nullable(), ...rateFields }),
  ),
  byRegion: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      ...rateFields,
      weakest: z.array(z.object({ id: z.string(), text: z.string(), ...rateFields })),
    }),
  ),
});
export type Accuracy = z.infer<typeof accuracySchema>;

export const importQuery = z.object({ mode: z.enum(['merge', 'replace']).default('merge') });
export const importResultSchema = z.object({ total: z.number(), created: z.number(), updated: z.number(), retired: z.number() });
export const exportQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  includeRetired: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
