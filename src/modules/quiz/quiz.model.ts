import mongoose, { Schema } from 'mongoose';
import type { QuizQuestion } from './quiz.schema';

/**
 * Every hot read here is by a computed string _id (FerretDB pushes nothing else down to SQLite);
 * everything that must never double is the insert of a unique _id. See docs/embedded-database.md.
 */
const opts = { versionKey: false, minimize: false } as const;
// Documents are written whole by this module (types below); a filter field must be a schema path,
// or strictQuery drops it from the filter.

export type QuizStatus = 'active' | 'retired';
export type Source = 'content' | 'office';

/** A quiz: _id its code. `rev` changes on every edit of the quiz or its questions (cache check). */
export interface QuizDoc {
  _id: string;
  title: string;
  description: string;
  draw: { size: number; mix: Record<string, number> };
  pointsPerCorrect: number;
  status: QuizStatus;
  source: Source;
  /** content hash of what content/ last wrote, so an unchanged sync writes nothing */
  hash?: string;
  rev: string;
  order: number;
  updatedAt: Date;
}
export const Quiz = mongoose.model('Quiz', new Schema({ _id: String, draw: Schema.Types.Mixed }, { ...opts, strict: false }), 'quizzes');

/** A bank question: _id `<quizId>:<questionId>`; `q` is the questionnaire engine's question. */
export interface QuizQuestionDoc {
  _id: string;
  quizId: string;
  q: QuizQuestion;
  status: QuizStatus;
  source: Source;
  hash?: string;
  order: number;
  updatedAt: Date;
  /**
   * Set on a question the console adds, cleared the first time an attempt draws it. Only a fresh
   * question's scoring may change in place; any other is revised (docs/quizzes.md). Absent means
   * "may have been answered": content, imports and questions older than the flag.
   */
  fresh?: boolean;
  /** the question id this one revises, and the revision that replaced this one */
  revisionOf?: string;
  replacedBy?: string;
}
export const QuizQuestionModel = mongoose.model(
  'QuizQuestion',
  new Schema({ _id: String, quizId: { type: String, required: true }, q: Schema.Types.Mixed, status: String, source: String, hash: String, order: Number, updatedAt: Date, fresh: Boolean, revisionOf: String, replacedBy: String }, opts),
  'quiz_questions',
);

/**
 * One attempt: _id an ObjectId hex. Holds a server-side snapshot of the drawn questions (answers
 * included, never sent before answering), so answering and finishing are point reads and grading
 * does not move if the office edits the bank meanwhile.
 */
export interface QuizAttemptDoc {
  _id: string;
  quizId: string;
  title: string;
  residentId: string;
  questions: QuizQuestion[];
  pointsPerCorrect: number;
  startedAt: Date;
  finishedAt?: Date | null;
}
export const QuizAttempt = mongoose.model('QuizAttempt', new Schema({ _id: String, questions: [Schema.Types.Mixed] }, { ...opts, strict: false }), 'quiz_attempts');

/** One answer: _id `<attemptId>:<questionId>` — the insert is the "answered once" guard. */
export interface QuizAnswerDoc {
  _id: string;
  attemptId: string;
  quizId: string;
  questionId: string;
  residentId: string;
  regionCode: string | null;
  choice: string[];
  correct: boolean;
  at: Date;
  day: string;
}
export const QuizAnswer = mongoose.model('QuizAnswer', new Schema({ _id: String }, { ...opts, strict: false }), 'quiz_answers');

/** The result of a finished attempt: _id the attempt id — the insert is the "finished once" guard. */
export interface QuizResultDoc {
  _id: string;
  quizId: string;
  residentId: string;
  regionCode: string | null;
  score: number;
  correctCount: number;
  total: number;
  /** null until the finishing request has claimed (or failed to claim) a daily slot */
  pointsAwarded: number | null;
  scored: boolean;
  durationMs: number;
  at: Date;
}
export const QuizResult = mongoose.model('QuizResult', new Schema({ _id: String }, { ...opts, strict: false }), 'quiz_results');

/** A scored-attempt slot of a day: _id `<residentId>:<day>:<n>`, n = 1..QUIZ_DAILY_SCORED_ATTEMPTS. */
export const QuizDailySlot = mongoose.model('QuizDailySlot', new Schema({ _id: String }, { ...opts, strict: false }), 'quiz_daily_slots');

/** The resident's unfinished attempt of a quiz, to resume: _id `<residentId>:<quizId>`. */
export const QuizOpenAttempt = mongoose.model('QuizOpenAttempt', new Schema({ _id: String }, { ...opts, strict: false }), 'quiz_open_attempts');

/** A resident's best scored result in a period: _id `<quizId>:<periodKey>:<residentId>` (leaderboard source). */
export interface QuizBestDoc {
  _id: string;
  quizId: string;
  periodKey: string;
  residentId: string;
  nickname: string;
  district: string | null;
  score: number;
  durationMs: number;
  at: Date;
}
export const QuizBest = mongoose.model('QuizBest', new Schema({ _id: String, quizId: { type: String, required: true } }, { ...opts, strict: false }), 'quiz_best');

export interface BoardEntry {
  residentId: string;
  nickname: string;
  score: number;
  durationMs: number;
  at: Date;
}
/** Top entries of a leaderboard: _id `<quizId>:<periodKey>:<scope>` (scope `city` or a district code). */
export const QuizBoard = mongoose.model('QuizBoard', new Schema({ _id: String, entries: [Schema.Types.Mixed] }, opts), 'quiz_leaderboards');

