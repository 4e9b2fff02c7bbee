import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import type { Question } from '../questionnaire/questionnaire.schema';
import { responseModes, type ResponseMode } from '../counters';

const opts = { versionKey: false, minimize: false } as const;

export { responseModes, type ResponseMode };
export const modeOf = (r: Pick<ResponseDoc, 'mode'>): ResponseMode => r.mode ?? 'self';

/**
 * A survey definition. Few documents (the office's surveys), read by _id on the hot path; `rev`
 * counts edits so every response records the definition it was validated against.
 */
const surveySchema = new Schema(
  {
    _id: String,
    title: { type: String, required: true },
    description: { type: String, default: null },
    anonymous: { type: Boolean, required: true },
    chat: { type: Boolean, default: null },
    points: { type: Number, default: 0 },
    thanks: { type: String, default: null },
    questions: { type: [Schema.Types.Mixed], required: true },
    /** community code → target sample size */
    targets: { type: Schema.Types.Mixed, default: {} },
    opensAt: { type: Date, default: null },
    closesAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    rev: { type: Number, default: 1 },
    source: { type: String, enum: ['content', 'office'], required: true },
    /** hash of the content file's definition last synced, so an unchanged file is not re-applied */
    contentHash: { type: String, default: null },
    /** edited in the console (PATCH, open, close): content sync no longer writes it */
    editedInConsole: { type: Boolean, default: false },
    editedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  opts,
);
export interface SurveyDoc {
  _id: string;
  title: string;
  description: string | null;
  anonymous: boolean;
  chat: boolean | null;
  points: number;
  thanks: string | null;
  questions: Question[];
  targets: Record<string, number>;
  opensAt: Date | null;
  closesAt: Date | null;
  closedAt: Date | null;
  rev: number;
  source: 'content' | 'office';
  contentHash: string | null;
  editedInConsole?: boolean;
  editedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
export const Survey = mongoose.model('Survey', surveySchema, 'surveys');

/**
 * One per resident per survey: _id `<surveyId>:<residentId>` for a named survey and
 * `<surveyId>:<hmac(residentId)>` for an anonymous one. Its insert is the one-response guard.
 * It holds nothing else: for an anonymous survey nothing leads from it to the answers.
 */
export const SurveyGuard = mongoose.model('SurveyGuard', new Schema({ _id: String }, opts), 'survey_guards');

/**
 * A response. Named: _id `<surveyId>:<residentId>`, with residentId and the exact time. Anonymous:
 * a random _id (not an ObjectId, which embeds the time), no resident, no time finer than the day.
 * Answers are a list, not a map: question ids may contain dots, which field names may not.
 */
const responseSchema = new Schema(
  {
    _id: String,
    surveyId: { type: String, required: true },
    rev: { type: Number, required: true },
    anonymous: { type: Boolean, required: true },
    residentId: { type: String, default: undefined },
    regionCode: { type: String, default: null },
    day: { type: String, required: true },
    at: { type: Date, default: undefined },
    answers: [{ _id: false, q: String, v: Schema.Types.Mixed }],
    /** household: a sampled 入户 interview; absent (older responses) or self: a resident online */
    mode: { type: String, enum: responseModes, default: undefined },
    /** a flagged interview's response waits for review, or was rejected: counted nowhere meanwhile */
    hold: { type: String, enum: ['review', 'rejected'], default: undefined },
  },
  opts,
);
export interface ResponseDoc {
  _id: string;
  surveyId: string;
  rev: number;
  anonymous: boolean;
  residentId?: string;
  regionCode: string | null;
  day: string;
  at?: Date;
  answers: Array<{ q: string; v: string[] | number | string }>;
  mode?: ResponseMode;
  hold?: 'review' | 'rejected';
}

export const SurveyResponse = mongoose.model('SurveyResponse', responseSchema, 'survey_responses');

/**
 * An invitation run (问卷邀请): _id `<surveyId>:<regionCode | all>`; its progress while the outbox
 * takes one notice per resident (the notices' own dedupe key keeps a resident from a second one).
 */
const invitationSchema = new Schema(
  {
    _id: String,
    surveyId: { type: String, required: true },
    regionCode: { type: String, default: null },
    status: { type: String, enum: ['running', 'done'], required: true },
    residents: { type: Number, required: true },
    invited: { type: Number, required: true },
    skipped: { type: Number, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
export type SurveyInvitationDoc = InferSchemaType<typeof invitationSchema> & { _id: string };
export const SurveyInvitation = mongoose.model('SurveyInvitation', invitationSchema, 'survey_invitations');
