import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';
import { readExisting, type StoredModel } from '../../core/store';
import { outcomes, qualityFlags, reviewStates } from './fieldwork.schema';

const opts = { minimize: false } as const;

/**
 * A household of the sample frame. _id `h` + a keyed hash of (community, building, unit, room), so
 * re-importing a row finds it and the id says nothing of the address. The address is personal data,
 * stored like a phone number: sealed (AES-GCM) in `sealed`, and a masked label for the office.
 */
export const Household = defineModel(
  'Household',
  'fieldwork_households',
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
export type HouseholdDoc = DocOf<typeof Household>;

/** A drawn household with its 1-based position in the ordered frame. */
const drawnSchema = new Schema(
  { id: { type: String, required: true }, position: { type: Number, required: true } },
  { _id: false, ...opts },
);

/** One community's draw for a survey: _id `<surveyId>:<regionCode>`. */
export const Draw = defineModel(
  'FieldworkDraw',
  'fieldwork_draws',
  {
    _id: String,
    surveyId: { type: String, required: true },
    regionCode: { type: String, required: true },
    seed: { type: String, required: true },
    frameSize: { type: Number, required: true },
    interval: { type: Number, required: true },
    start: { type: Number, required: true },
    sample: { type: [drawnSchema], default: [] },
    reserve: { type: [drawnSchema], default: [] },
    drawnAt: { type: Date, required: true },
    drawnBy: { type: String, required: true },
  },
  opts,
);
export type DrawDoc = DocOf<typeof Draw>;

/**
 * A drawn household in a survey's fieldwork (the fieldwork record): _id `<surveyId>:<householdId>`.
 * Its enumerator, the latest outcome, and replacement links. Written by point updates by _id; one
 * writer per household in this process. It never holds a response id.
 */
export const FieldCase = defineModel(
  'FieldworkCase',
  'fieldwork_cases',
  {
    _id: String,
    surveyId: { type: String, required: true },
    householdId: { type: String, required: true },
    regionCode: { type: String, required: true },
    role: { type: String, enum: ['sample', 'reserve'], required: true },
    enumeratorId: { type: String, default: null },
    assignedAt: { type: Date, default: null },
    outcome: { type: String, enum: outcomes, default: null },
    visits: { type: Number, default: 0 },
    notHome: { type: Number, default: 0 },
    /** the completed interview's review: none (unflagged), pending, accepted, rejected */
    review: { type: String, enum: reviewStates, default: null },
    replacedBy: { type: String, default: null },
    replacementFor: { type: String, default: null },
    replacementReason: { type: String, default: null },
  },
  opts,
);
export type CaseDoc = DocOf<typeof FieldCase>;

/**
 * One visit (a contact attempt or an interview): random _id `v` + 24 hex. Carries its enumerator,
 * times, position and quality flags; for a named survey the response id, for an anonymous one none.
 */
export const Visit = defineModel(
  'FieldworkVisit',
  'fieldwork_visits',
  {
    _id: String,
    surveyId: { type: String, required: true },
    householdId: { type: String, required: true },
    regionCode: { type: String, required: true },
    enumeratorId: { type: String, required: true },
    outcome: { type: String, enum: outcomes, required: true },
    note: { type: String, default: null },
    startedAt: { type: Date, required: true },
    endedAt: { type: Date, required: true },
    position: {
      type: new Schema({ lat: { type: Number, required: true }, lng: { type: Number, required: true } }, { _id: false }),
      default: null,
    },
    distanceMeters: { type: Number, default: null },
    questions: { type: Number, default: 0 },
    flags: {
      type: [
        new Schema(
          { code: { type: String, enum: qualityFlags, required: true }, message: { type: String, required: true } },
          { _id: false, ...opts },
        ),
      ],
      default: [],
    },
    review: { type: String, enum: reviewStates, default: 'none' },
    reviewNote: { type: String, default: null },
    reviewedBy: { type: String, default: null },
    reviewedAt: { type: Date, default: null },
    /** named surveys only */
    responseId: { type: String, default: undefined },
    syncedAt: { type: Date, required: true },
  },
  opts,
);
export type VisitDoc = DocOf<typeof Visit>;

/**
 * Unique-_id guards: `done:<surveyId>:<householdId>` (one completed interview per household),
 * `replaced:<surveyId>:<householdId>` (replaced once), `reserve:<surveyId>:<householdId>` (a
 * reserve household used once).
 */
export const FieldGuard = defineModel('FieldworkGuard', 'fieldwork_guards', { _id: String }, opts);

/**
 * The one link from a flagged interview to its held response, while the office has not decided:
 * _id the visit id. Deleted with the decision, so an anonymous survey's interview is joined to its
 * answers only while it waits for review, and never by any endpoint or export.
 */
export const HeldResponse = defineModel(
  'FieldworkHeld',
  'fieldwork_held',
  { _id: String, responseId: { type: String, required: true } },
  opts,
);

/** Documents by their ids, as point reads (FerretDB pushes down only `{_id: value}`); missing ones left out. */
export const byIds = <T>(model: StoredModel, ids: string[]): Promise<T[]> => readExisting<T>(model, [...new Set(ids)]);
