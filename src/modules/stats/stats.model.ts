import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * A kind of act of participation (quiz, survey, tipoff, signup, checkin, …): each feature declares
 * its kinds in its manifest (`AppModule.participation`), read through modules/manifest.ts.
 */
export type ParticipationKind = string;

/** Source record of one act of participation; _id is `<kind>:<sourceId>`, so a retry never doubles. */
const participationSchema = new Schema(
  {
    _id: String,
    residentId: { type: String, required: true },
    kind: { type: String, required: true },
    regionCode: { type: String, default: null },
    at: { type: Date, required: true },
    day: { type: String, required: true },
  },
  { versionKey: false },
);
export type ParticipationDoc = InferSchemaType<typeof participationSchema> & { _id: string };
export const Participation = mongoose.model('Participation', participationSchema, 'participations');

export const instruments = ['survey', 'quiz'] as const;
/** Where indicator answers come from: survey responses (the sampled 测评 instrument) or quiz attempts. */
export type Instrument = (typeof instruments)[number];

/** How a survey response was collected: online by a resident (self), or at a sampled household (入户调查). */
export const responseModes = ['self', 'household'] as const;
export type ResponseMode = (typeof responseModes)[number];

/** One indicator-tagged answer of a response: its question, indicator (and kind), aware/positive, score. */
const responseAnswerSchema = new Schema(
  {
    q: { type: String, required: true },
    indicator: { type: String, required: true },
    kind: { type: String, required: true },
    positive: { type: Boolean, required: true },
    score: { type: Number, default: null },
  },
  { _id: false },
);

/**
 * Source record of one response of one person (a survey response, a finished quiz attempt) with its
 * indicator answers: the unit of every rate. _id `<source>:<responseId>`, so a retry never doubles.
 * It keeps the day and the community only: nothing here names the resident.
 */
const indicatorResponseSchema = new Schema(
  {
    _id: String,
    source: { type: String, enum: instruments, required: true },
    instrumentId: { type: String, required: true },
    regionCode: { type: String, default: null },
    day: { type: String, required: true },
    /** survey responses collected at a sampled household; absent: self (online) */
    mode: { type: String, enum: responseModes, default: undefined },
    answers: { type: [responseAnswerSchema], default: [] },
  },
  { versionKey: false },
);
export type ResponseAnswerDoc = InferSchemaType<typeof responseAnswerSchema>;
export type IndicatorResponseDoc = Omit<InferSchemaType<typeof indicatorResponseSchema>, 'answers'> & { _id: string; answers: ResponseAnswerDoc[] };
export const IndicatorResponse = mongoose.model('IndicatorResponse', indicatorResponseSchema, 'indicator_responses');

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
