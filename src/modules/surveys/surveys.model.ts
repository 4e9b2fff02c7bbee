import { Schema } from 'mongoose';
import { defineModel, mixed, mixedList, type DocOf } from '../../core/db/model';
import type { Question } from '../questionnaire/questionnaire.schema';
import { responseModes, type ResponseMode } from '../counters';

const opts = { minimize: false } as const;

export { responseModes, type ResponseMode };
export const modeOf = (r: Pick<ResponseDoc, 'mode'>): ResponseMode => r.mode ?? 'self';

/**
 * A survey definition. Few documents (the office's surveys), read by _id on the hot path; `rev`
 * counts edits so every response records the definition it was validated against.
 */
export const Survey = defineModel(
  'Survey',
  'surveys',
  {
    _id: String,
    title: { type: String, required: true },
    description: { type: String, default: null },
    anonymous: { type: Boolean, required: true },
    chat: { type: Boolean, default: null },
    points: { type: Number, default: 0 },
    thanks: { type: String, default: null },
    questions: mixedList<Question>({ required: true }),
    /** community code → target sample size */
    targets: mixed<Record<string, number>>({ default: {} }),
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
export type SurveyDoc = DocOf<typeof Survey>;

/**
 * One per resident per survey: _id `<surveyId>:<residentId>` for a named survey and
 * `<surveyId>:<hmac(residentId)>` for an anonymous one. Its insert is the one-response guard.
 * It holds nothing else: for an anonymous survey nothing leads from it to the answers.
 */
export const SurveyGuard = defineModel('SurveyGuard', 'survey_guards', { _id: String }, opts);

/**
 * A response. Named: _id `<surveyId>:<residentId>`, with residentId and the exact time. Anonymous:
 * a random _id (not an ObjectId, which embeds the time), no resident, no time finer than the day.
 * Answers are a list, not a map: question ids may contain dots, which field names may not.
 */
const answerSchema = new Schema(
  { q: { type: String, required: true }, v: mixed<string[] | number | string>({ required: true }) },
  { _id: false, ...opts },
);
export const SurveyResponse = defineModel(
  'SurveyResponse',
  'survey_responses',
  {
    _id: String,
    surveyId: { type: String, required: true },
    rev: { type: Number, required: true },
    anonymous: { type: Boolean, required: true },
    residentId: { type: String, default: undefined },
    regionCode: { type: String, default: null },
    day: { type: String, required: true },
    at: { type: Date, default: undefined },
    answers: { type: [answerSchema], default: [] },
    /** household: a sampled 入户 interview; absent (older responses) or self: a resident online */
    mode: { type: String, enum: responseModes, default: undefined },
    /** a flagged interview's response waits for review, or was rejected: counted nowhere meanwhile */
    hold: { type: String, enum: ['review', 'rejected'], default: undefined },
  },
  opts,
);
export type ResponseDoc = DocOf<typeof SurveyResponse>;

/**
 * An invitation run (问卷邀请): _id `<surveyId>:<regionCode | all>`; its progress while the outbox
 * takes one notice per resident (the notices' own dedupe key keeps a resident from a second one).
 */
export const SurveyInvitation = defineModel('SurveyInvitation', 'survey_invitations', {
  _id: String,
  surveyId: { type: String, required: true },
  regionCode: { type: String, default: null },
  status: { type: String, enum: ['running', 'done'], required: true },
  residents: { type: Number, required: true },
  invited: { type: Number, required: true },
  skipped: { type: Number, required: true },
  startedAt: { type: Date, required: true },
  finishedAt: { type: Date, default: null },
});
export type SurveyInvitationDoc = DocOf<typeof SurveyInvitation>;
