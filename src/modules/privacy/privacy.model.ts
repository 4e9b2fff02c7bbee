import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * A resident's consent decisions, _id = residentId: per kind, when it was withdrawn (or given again).
 * The consents whose state lives elsewhere (a volunteer registration, a daily-question subscription)
 * are read from there; this record keeps what has no other home and the time of every withdrawal.
 */
const consentSchema = new Schema(
  {
    _id: String,
    kinds: { type: Schema.Types.Mixed, default: {} },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
export type ConsentEntry = { granted: boolean; at: Date };
export type ConsentDoc = { _id: string; kinds: Record<string, ConsentEntry>; updatedAt: Date };
export const Consent = mongoose.model('Consent', consentSchema, 'consents');

/**
 * One 注销 (account closure), _id a random id that is also the anonymous stand-in the resident's
 * statistical records are re-keyed to. Until the sweep is done it holds what the sweep must find
 * (the resident id and channel identities); done, it keeps only the times and counts.
 */
const erasureSchema = new Schema(
  {
    _id: String,
    status: { type: String, enum: ['pending', 'done'], required: true },
    residentId: { type: String, default: null },
    /** channel identities (openids, contact ids): documents keyed by them are deleted */
    contacts: { type: [String], default: [] },
    requestedAt: { type: Date, required: true },
    dueBy: { type: Date, required: true },
    completedAt: { type: Date, default: null },
    counts: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false },
);
export type ErasureDoc = InferSchemaType<typeof erasureSchema> & { _id: string; counts: Record<string, number> | null };
export const Erasure = mongoose.model('Erasure', erasureSchema, 'privacy_erasures');
