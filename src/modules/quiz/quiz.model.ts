import { defineModel, mixed, mixedList, type DocOf } from '../../core/db/model';
import type { QuizQuestion } from './quiz.schema';

/**
 * Every hot read here is by a computed string _id (FerretDB pushes nothing else down to SQLite);
 * everything that must never double is the insert of a unique _id. See docs/embedded-database.md.
 */
const opts = { minimize: false } as const;
// Documents are written whole by this module through the driver; a filter or `$set` field must be
// a path of its shape, or mongoose drops it (strictQuery, strict).

export const quizStatuses = ['active', 'retired'] as const;
export type QuizStatus = (typeof quizStatuses)[number];
export const sources = ['content', 'office'] as const;
export type Source = (typeof sources)[number];

/** A quiz: _id its code. `rev` changes on every edit of the quiz or its questions (cache check). */
export const Quiz = defineModel(
  'Quiz',
  'quizzes',
  {
    _id: String,
    title: { type: String, required: true },
    description: { type: String, default: '' },
    draw: mixed<{ size: number; mix: Record<string, number> }>({ required: true }),
    pointsPerCorrect: { type: Number, required: true },
    status: { type: String, enum: quizStatuses, required: true },
    source: { type: String, enum: sources, required: true },
    /** content hash of what content/ last wrote, so an unchanged sync writes nothing */
    hash: String,
    rev: { type: String, required: true },
    order: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  opts,
);
export type QuizDoc = DocOf<typeof Quiz>;

/** A bank question: _id `<quizId>:<questionId>`; `q` is the questionnaire engine's question. */
export const QuizQuestionModel = defineModel(
  'QuizQuestion',
  'quiz_questions',
  {
    _id: String,
    quizId: { type: String, required: true },
    q: mixed<QuizQuestion>({ required: true }),
    status: { type: String, enum: quizStatuses, required: true },
    source: { type: String, enum: sources, required: true },
    hash: String,
    order: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    /**
     * Set on a question the console adds, cleared the first time an attempt draws it. Only a fresh
     * question's scoring may change in place; any other is revised (docs/quizzes.md). Absent means
     * "may have been answered": content, imports and questions older than the flag.
     */
    fresh: Boolean,
    /** the question id this one revises, and the revision that replaced this one */
    revisionOf: String,
    replacedBy: String,
  },
  opts,
);
export type QuizQuestionDoc = DocOf<typeof QuizQuestionModel>;

/**
 * One attempt: _id an ObjectId hex. Holds a server-side snapshot of the drawn questions (answers
 * included, never sent before answering), so answering and finishing are point reads and grading
 * does not move if the office edits the bank meanwhile.
 */
export const QuizAttempt = defineModel(
  'QuizAttempt',
  'quiz_attempts',
  {
    _id: String,
    quizId: { type: String, required: true },
    title: { type: String, required: true },
    residentId: { type: String, required: true },
    questions: mixedList<QuizQuestion>({ required: true }),
    pointsPerCorrect: { type: Number, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  opts,
);
export type QuizAttemptDoc = DocOf<typeof QuizAttempt>;

/** One answer: _id `<attemptId>:<questionId>` — the insert is the "answered once" guard. */
export const QuizAnswer = defineModel(
  'QuizAnswer',
  'quiz_answers',
  {
    _id: String,
    attemptId: { type: String, required: true },
    quizId: { type: String, required: true },
    questionId: { type: String, required: true },
    residentId: { type: String, required: true },
    regionCode: { type: String, default: null },
    choice: { type: [String], required: true },
    correct: { type: Boolean, required: true },
    at: { type: Date, required: true },
    day: { type: String, required: true },
  },
  opts,
);
export type QuizAnswerDoc = DocOf<typeof QuizAnswer>;

/** The result of a finished attempt: _id the attempt id — the insert is the "finished once" guard. */
export const QuizResult = defineModel(
  'QuizResult',
  'quiz_results',
  {
    _id: String,
    quizId: { type: String, required: true },
    residentId: { type: String, required: true },
    regionCode: { type: String, default: null },
    score: { type: Number, required: true },
    correctCount: { type: Number, required: true },
    total: { type: Number, required: true },
    /** null until the finishing request has claimed (or failed to claim) a daily slot */
    pointsAwarded: { type: Number, default: null },
    scored: { type: Boolean, required: true },
    durationMs: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  opts,
);
export type QuizResultDoc = DocOf<typeof QuizResult>;

/** A scored-attempt slot of a day: _id `<residentId>:<day>:<n>`, n = 1..QUIZ_DAILY_SCORED_ATTEMPTS. */
export const QuizDailySlot = defineModel(
  'QuizDailySlot',
  'quiz_daily_slots',
  { _id: String, attemptId: { type: String, required: true }, at: { type: Date, required: true } },
  opts,
);

/** The resident's unfinished attempt of a quiz, to resume: _id `<residentId>:<quizId>`. */
export const QuizOpenAttempt = defineModel(
  'QuizOpenAttempt',
  'quiz_open_attempts',
  { _id: String, attemptId: { type: String, required: true }, startedAt: { type: Date, required: true } },
  opts,
);

/** A resident's best scored result in a period: _id `<quizId>:<periodKey>:<residentId>` (leaderboard source). */
export const QuizBest = defineModel(
  'QuizBest',
  'quiz_best',
  {
    _id: String,
    quizId: { type: String, required: true },
    periodKey: { type: String, required: true },
    residentId: { type: String, required: true },
    nickname: { type: String, required: true },
    district: { type: String, default: null },
    score: { type: Number, required: true },
    durationMs: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  opts,
);
export type QuizBestDoc = DocOf<typeof QuizBest>;

/** One line of a leaderboard (a copy of the resident's best, kept inside the board document). */
export interface BoardEntry {
  residentId: string;
  nickname: string;
  score: number;
  durationMs: number;
  at: Date;
}
/** Top entries of a leaderboard: _id `<quizId>:<periodKey>:<scope>` (scope `city` or a district code). */
export const QuizBoard = defineModel(
  'QuizBoard',
  'quiz_leaderboards',
  { _id: String, entries: mixedList<BoardEntry>({ required: true }) },
  opts,
);
