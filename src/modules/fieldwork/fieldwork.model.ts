import mongoose, { Schema } from 'mongoose';
import { readExisting, type StoredModel } from '../../core/store';
import type { Flag, Outcome } from './fieldwork.schema';

const opts = { versionKey: false, minimize: false } as const;

/**
 * A household of the sample frame. _id `h` + a keyed hash of (community, building, unit, room), so
 * re-importing a row finds it and the id says nothing of the address. The address is personal data,
 * stored like a phone number: sealed (AES-GCM) in `sealed`, and a masked label for the office.
 */
const householdSchema = new Schema(
  {
    _id: String,
    regionCode: { type: String, required: true },
    /** encrypted JSON {building, unit, room, note} */
    sealed: { type: String, required: true },
    /** 3栋2单元*** */
    masked: { type: String, required: true },
    importedAt: { type: Date, required: true },
    importedBy: { type: String, required: true },
  },
  opts,
);
export interface HouseholdDoc {
  _id: string;
  regionCode: string;
  sealed: string;
  masked: string;
  importedAt: Date;
  importedBy: string;
}
export const Household = mongoose.model('Household', householdSchema, 'fieldwork_households');

/** One community's draw for a survey: _id `<surveyId>:<regionCode>`. */
const drawSchema = new Schema(
  {
    _id: String,
    surveyId: { type: String, required: true },
    regionCode: { type: String, required: true },
    seed: { type: String, required: true },
    frameSize: { type: Number, required: true },
    interval: { type: Number, required: true },
    start: { type: Number, required: true },
    /** household ids with their 1-based positions in the ordered frame */
    sample: [{ _id: false, id: String, position: Number }],
    reserve: [{ _id: false, id: String, position: Number }],
    drawnAt: { type: Date, required: true },
    drawnBy: { type: String, required: true },
  },
  opts,
);
export interface DrawDoc {
  _id: string;
  surveyId: string;
  regionCode: string;
  seed: string;
  frameSize: number;
  interval: number;
  start: number;
  sample: Array<{ id: string; position: number }>;
  reserve: Array<{ id: string; position: number }>;
  drawnAt: Date;
  drawnBy: string;
}
export const Draw = mongoose.model('FieldworkDraw', drawSchema, 'fieldwork_draws');

/**
 * A drawn household in a survey's fieldwork (the fieldwork record): _id `<surveyId>:<householdId>`.
 * Its enumerator, the latest outcome, and replacement links. Written by point updates by _id; one
 * writer per household in this process. It never holds a response id.
 */
const caseSchema = new Schema(
  {
    _id: String,
    surveyId: { type: String, required: true },
    householdId: { type: String, required: true },
    regionCode: { type: String, required: true },
    role: { type: String, enum: ['sample', 'reserve'], required: true },
    enumeratorId: { type: String, default: null },
    assignedAt: { type: Date, default: null },
    outcome: { type: String, default: null },
    visits: { type: Number, default: 0 },
    notHome: { type: Number, default: 0 },
    /** the completed interview's review: none (unflagged), pending, accepted, rejected */
    review: { type: String, default: null },
    replacedBy: { type: String, default: null },
    replacementFor: { type: String, default: null },
    replacementReason: { type: String, default: null },
  },
  opts,
);
export interface CaseDoc {
  _id: string;
  surveyId: string;
  householdId: string;
  regionCode: string;
  role: 'sample' | 'reserve';
  enumeratorId: string | null;
  assignedAt: Date | null;
  outcome: Outcome | null;
  visits: number;
  notHome: number;
  review: 'none' | 'pending' | 'accepted' | 'rejected' | null;
  replacedBy: string | null;
  replacementFor: string | null;
  replacementReason: string | null;
}
export const FieldCase = mongoose.model('FieldworkCase', caseSchema, 'fieldwork_cases');

/**
 * One visit (a contact attempt or an interview): random _id `v` + 24 hex. Carries its enumerator,
 * times, position and quality flags; for a named survey the response id, for an anonymous one none.
 */
const visitSchema = new Schema(
  {
    _id: String,
    surveyId: { type: String, required: true },
    householdId: { type: String, required: true },
    regionCode: { type: String, required: true },
    enumeratorId: { type: String, required: true },
    outcome: { type: String, required: true },
    note: { type: String, default: null },
    startedAt: { type: Date, required: true },
    endedAt: { type: Date, required: true },
    position: { type: { _id: false, lat: Number, lng: Number }, default: null },
    distanceMeters: { type: Number, default: null },
    questions: { type: Number, default: 0 },
    flags: { type: [{ _id: false, code: String, message: String }], default: [] },
    review: { type: String, enum: ['none', 'pending', 'accepted', 'rejected'], default: 'none' },
    reviewNote: { type: String, default: null },
    reviewedBy: { type: String, default: null },
    reviewedAt: { type: Date, default: null },
    /** named surveys only */
    responseId: { type: String, default: undefined },
    syncedAt: { type: Date, required: true },
  },
  opts,
);
export interface VisitDoc {
  _id: string;
  surveyId: string;
  householdId: string;
  regionCode: string;
  enumeratorId: string;
  outcome: Outcome;
  note: string | null;
  startedAt: Date;
  endedAt: Date;
  position: { lat: number; lng: number } | null;
  distanceMeters: number | null;
  questions: number;
  flags: Flag[];
  review: 'none' | 'pending' | 'accepted' | 'rejected';
  reviewNote: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  responseId?: string;
  syncedAt: Date;
}
export const Visit = mongoose.model('FieldworkVisit', visitSchema, 'fieldwork_visits');

/**
 * Unique-_id guards: `done:<surveyId>:<householdId>` (one completed interview per household),
 * `replaced:<surveyId>:<householdId>` (replaced once), `reserve:<surveyId>:<householdId>` (a
 * reserve household used once).
 */
export const FieldGuard = mongoose.model('FieldworkGuard', new Schema({ _id: String }, opts), 'fieldwork_guards');

/**
 * The one link from a flagged interview to its held response, while the office has not decided:
 * _id the visit id. Deleted with the decision, so an anonymous survey's interview is joined to its
 * answers only while it waits for review, and never by any endpoint or export.
 */
export const HeldResponse = mongoose.model('FieldworkHeld', new Schema({ _id: String, responseId: { type: String, required: true } }, opts), 'fieldwork_held');

/** Documents by their ids, as point reads (FerretDB pushes down only `{_id: value}`); missing ones left out. */
export const byIds = <T>(model: StoredModel, ids: string[]): Promise<T[]> => readExisting<T>(model, [...new Set(ids)]);
