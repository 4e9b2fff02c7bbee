import { Schema } from 'mongoose';
import { defineModel, mixed, type DocOf } from '../../core/db/model';
import { tipoffStatuses, type LocationSource } from './tipoffs.schema';

/** Who did something: a resident (never named in the record), a staff member, the system or a city system. */
const actorSchema = new Schema(
  { kind: { type: String, required: true }, id: String, name: String, role: String, unitCode: String },
  { _id: false },
);

const historySchema = new Schema(
  {
    action: { type: String, required: true },
    from: { type: String, default: null },
    to: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: actorSchema, required: true },
    note: { type: String, default: null },
    unitCode: { type: String, default: null },
    photos: { type: [String], default: [] },
  },
  { _id: false },
);

/**
 * A tip-off (随手拍). `_id` is a readable code, T<yymmdd><6 chars>, shown to residents and city systems.
 * `seq` counts transitions; transition `<id>:<seq>` is the guard that lets one actor win (tipoff_transitions).
 * The reporter is kept for "my tip-offs", points and notifications; presentation hides it (tipoffs.present.ts).
 */
export const Tipoff = defineModel(
  'Tipoff',
  'tipoffs',
  {
    _id: String,
    status: { type: String, enum: tipoffStatuses, required: true },
    seq: { type: Number, required: true },
    categoryCode: { type: String, required: true },
    description: { type: String, required: true },
    /**
     * lat/lng null: a city system gave only an address (Open311); the office places it at triage.
     * source 'community': the resident chose a community instead of sending a point, and lat/lng are
     * that community's centre (approximate; address holds their landmark, if any). null: as reported.
     */
    location: {
      lat: { type: Number, default: null },
      lng: { type: Number, default: null },
      address: { type: String, default: null },
      source: { type: String, enum: ['community', null], default: null },
    },
    regionCode: { type: String, default: null },
    /** city › district › street › community, so a region filter at any level is one equality */
    regionPath: { type: [String], default: [] },
    unitCode: { type: String, required: true },
    photos: { type: [String], default: [] },
    afterPhotos: { type: [String], default: [] },
    source: { type: String, enum: ['resident', 'open311'], required: true },
    reporterId: { type: String, default: null },
    anonymous: { type: Boolean, required: true },
    /** the reporter's community when reporting: where the participation counts */
    reporterRegionCode: { type: String, default: null },
    open311Client: { type: String, default: null },
    externalMediaUrl: { type: String, default: null },
    possibleDuplicateOf: { type: String, default: null },
    duplicateCandidates: { type: [String], default: [] },
    mergedInto: { type: String, default: null },
    /** 内容安全: 'pending' (photos at WeChat), 'held', 'rejected' hide it from the public (Open311); null is public */
    moderation: { type: String, default: null },
    /** a unit's pending 申请退回 / 申请延期 (docs/tipoffs.md); cleared when the office decides or the tip-off moves */
    request: {
      type: new Schema(
        {
          kind: { type: String, required: true },
          reason: { type: String, required: true },
          deadlineAt: { type: Date, default: null },
          at: { type: Date, required: true },
          unitCode: { type: String, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    acceptedAt: { type: Date, default: null },
    deadlineAt: { type: Date, default: null },
    rectifiedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    history: { type: [historySchema], default: [] },
  },
  {
    // Archive lists (terminal statuses, no status) on MongoDB; FerretDB scans regardless (see tipoffs.lists.ts).
    indexes: [
      [{ createdAt: -1, _id: -1 }],
      [{ status: 1, createdAt: -1 }],
      [{ unitCode: 1, createdAt: -1 }],
      [{ regionPath: 1, createdAt: -1 }],
    ],
  },
);
/** The nested location narrowed: mongoose infers a nested path as optional, and `source` as any string. */
export type TipoffDoc = Omit<DocOf<typeof Tipoff>, 'location'> & {
  location: { lat: number | null; lng: number | null; address?: string | null; source?: LocationSource | null };
};
export type HistoryEntry = TipoffDoc['history'][number];
export type Actor = HistoryEntry['actor'];

/**
 * One transition, `_id` `<tipoffId>:<seq>`: inserting it is how an actor wins the right to move the
 * tip-off from seq-1 (a second staff member acting at once gets a duplicate key → 409). It also holds
 * the fields it sets, so a transition whose tip-off update was interrupted is rolled forward.
 */
export const TipoffTransition = defineModel(
  'TipoffTransition',
  'tipoff_transitions',
  {
    _id: String,
    tipoffId: { type: String, required: true },
    seq: { type: Number, required: true },
    action: { type: String, required: true },
    actorId: { type: String, default: null },
    at: { type: Date, required: true },
    set: mixed<Record<string, unknown>>({ required: true }),
  },
  { minimize: false },
);
export type TransitionDoc = DocOf<typeof TipoffTransition>;

/**
 * The work in progress: one small document per tip-off that is not finished (submitted, accepted,
 * assigned, rectified), deleted when it is. The office's and the units' queues read this bounded
 * collection instead of every tip-off ever made. Written only by the transition winner.
 */
export const OpenTipoff = defineModel('OpenTipoff', 'tipoff_open', {
  _id: String,
  status: { type: String, enum: tipoffStatuses, required: true },
  categoryCode: { type: String, required: true },
  regionPath: { type: [String], default: [] },
  unitCode: { type: String, required: true },
  createdAt: { type: Date, required: true },
  deadlineAt: { type: Date, default: null },
});
export type OpenTipoffDoc = DocOf<typeof OpenTipoff>;

/** A resident's tip-off ids in order of submission: "my tip-offs" is one point read. */
export const TipoffMine = defineModel('TipoffMine', 'tipoff_mine', { _id: String, ids: { type: [String], default: [] } });

/**
 * Nearby-duplicate index: `_id` `<category>:<cellX>:<cellY>:<day>` (cells of ~0.5 km), the tip-offs
 * of that category reported there that day with their coordinates (tipoffs.duplicates.ts).
 */
export const TipoffCell = defineModel('TipoffCell', 'tipoff_cells', {
  _id: String,
  day: { type: String, required: true },
  items: { type: [new Schema({ id: String, lat: Number, lng: Number, at: Date }, { _id: false })], default: [] },
});
export type CellDoc = DocOf<typeof TipoffCell>;

/** "Marked overdue" once per deadline: `_id` `<tipoffId>:<deadline ms>` (the overdue job). */
export const TipoffOverdue = defineModel('TipoffOverdue', 'tipoff_overdue', {
  _id: String,
  tipoffId: { type: String, required: true },
  unitCode: String,
  deadlineAt: Date,
  markedAt: Date,
});

/**
 * The tip-offs reported on one Beijing day, `_id` `YYYY-MM-DD`: number and searchable text (description,
 * address, place), appended at submission. Text search reads the last days of these by `_id` — a
 * bounded window it names in its answer — instead of the whole tipoffs collection.
 */
export const TipoffDay = defineModel('TipoffDay', 'tipoff_days', {
  _id: String,
  items: {
    type: [new Schema({ id: { type: String, required: true }, text: { type: String, required: true } }, { _id: false })],
    default: [],
  },
});
export type DayDoc = DocOf<typeof TipoffDay>;
