import { Schema } from 'mongoose';
import { defineModel, mixed, type DocOf } from '../../core/db/model';

/**
 * A kind of act of participation (quiz, survey, tipoff, signup, checkin, …): each feature declares
 * its kinds in its manifest (`AppModule.participation`), read through modules/manifest.ts.
 */
export type ParticipationKind = string;

/** Source record of one act of participation; _id is `<kind>:<sourceId>`, so a retry never doubles. */
export const Participation = defineModel('Participation', 'participations', {
  _id: String,
  residentId: { type: String, required: true },
  kind: { type: String, required: true },
  regionCode: { type: String, default: null },
  at: { type: Date, required: true },
  day: { type: String, required: true },
});
export type ParticipationDoc = DocOf<typeof Participation>;

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
export const IndicatorResponse = defineModel('IndicatorResponse', 'indicator_responses', {
  _id: String,
  source: { type: String, enum: instruments, required: true },
  instrumentId: { type: String, required: true },
  regionCode: { type: String, default: null },
  day: { type: String, required: true },
  /** survey responses collected at a sampled household; absent: self (online) */
  mode: { type: String, enum: responseModes, default: undefined },
  answers: { type: [responseAnswerSchema], default: [] },
});
export type IndicatorResponseDoc = DocOf<typeof IndicatorResponse>;
export type ResponseAnswerDoc = IndicatorResponseDoc['answers'][number];

/** Distinct-per-bucket marker: _id `<bucket>:<kind>:<residentId>`; inserting it is the test of "first time". */
export const Marker = defineModel('Marker', 'stat_markers', { _id: String });

/**
 * Counter documents: _id `<metric>:…`, values under `c` (nested by bucket). Caches of the source
 * records, written only by the serialized counter writer and rebuilt by `npm run stats:rebuild`.
 */
export const Counter = defineModel(
  'Counter',
  'stat_counters',
  { _id: String, c: mixed<Record<string, unknown>>({ default: {} }) },
  { minimize: false },
);
export type CounterDoc = DocOf<typeof Counter>;
