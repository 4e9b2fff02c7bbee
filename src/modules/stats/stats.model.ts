import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const participationKinds = ['quiz', 'survey', 'tipoff', 'signup', 'checkin'] as const;
export type ParticipationKind = (typeof participationKinds)[number];

/** Source record of one act of participation; _id is `<kind>:<sourceId>`, so a retry never doubles. */
const participationSchema = new Schema(
  {
    _id: String,
    residentId: { type: String, required: true },
    kind: { type: String, enum: participationKinds, required: true },
    regionCode: { type: String, default: null },
    at: { type: Date, required: true },
    day: { type: String, required: true },
  },
  { versionKey: false },
);
export type ParticipationDoc = InferSchemaType<typeof participationSchema> & { _id: string };
export const Participation = mongoose.model('Participation', participationSchema, 'participations');

/** Source record of one indicator answer; _id is supplied by the caller (e.g. `<attemptId>:<questionId>`). */
const indicatorAnswerSchema = new Schema(
  {
    _id: String,
    residentId: { type: String, required: true },
    indicator: { type: String, required: true },
    regionCode: { type: String, default: null },
    positive: { type: Boolean, required: true },
    score: { type: Number, default: null },
    at: { type: Date, required: true },
    day: { type: String, required: true },
  },
  { versionKey: false },
);
export type IndicatorAnswerDoc = InferSchemaType<typeof indicatorAnswerSchema> & { _id: string };
export const IndicatorAnswer = mongoose.model('IndicatorAnswer', indicatorAnswerSchema, 'indicator_answers');

/** The latest answer of a resident to an indicator: _id `<residentId>:<indicator>`. */
const indicatorLatestSchema = new Schema(
  {
    _id: String,
    answerId: String,
    regionCode: { type: String, default: null },
    positive: Boolean,
    score: { type: Number, default: null },
    at: Date,
    day: String,
  },
  { versionKey: false },
);
export type IndicatorLatestDoc = InferSchemaType<typeof indicatorLatestSchema> & { _id: string };
export const IndicatorLatest = mongoose.model('IndicatorLatest', indicatorLatestSchema, 'indicator_latest');

/** Distinct-per-bucket marker: _id `<bucket>:<kind>:<residentId>`; inserting it is the test of "first time". */
const markerSchema = new Schema({ _id: String }, { versionKey: false });
export const Marker = mongoose.model('Marker', markerSchema, 'stat_markers');

/**
 * Counter documents: _id `<metric>:…`, values under `c` (nested by bucket). Caches of the source
 * records, written only by the serialized counter writer and rebuilt by `npm run stats:rebuild`.
 */
const counterSchema = new Schema({ _id: String, c: { type: Schema.Types.Mixed, default: {} } }, { versionKey: false, minimize: false });
export type CounterDoc = { _id: string; c: Record<string, unknown> };
export const Counter = mongoose.model('Counter', counterSchema, 'stat_counters');
