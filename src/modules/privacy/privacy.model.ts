import { defineModel, mixed, type DocOf } from '../../core/db/model';

/**
 * A resident's consent decisions, _id = residentId: per kind, when it was withdrawn (or given again).
 * The consents whose state lives elsewhere (a volunteer registration, a daily-question subscription)
 * are read from there; this record keeps what has no other home and the time of every withdrawal.
 */
export type ConsentEntry = { granted: boolean; at: Date };
export const Consent = defineModel(
  'Consent',
  'consents',
  {
    _id: String,
    kinds: mixed<Record<string, ConsentEntry>>({ default: {} }),
    updatedAt: { type: Date, required: true },
  },
  { minimize: false },
);
export type ConsentDoc = DocOf<typeof Consent>;

/**
 * One 注销 (account closure), _id a random id that is also the anonymous stand-in the resident's
 * statistical records are re-keyed to. Until the sweep is done it holds what the sweep must find
 * (the resident id and channel identities); done, it keeps only the times and counts.
 */
export const Erasure = defineModel('Erasure', 'privacy_erasures', {
  _id: String,
  status: { type: String, enum: ['pending', 'done'], required: true },
  residentId: { type: String, default: null },
  /** channel identities (openids, contact ids): documents keyed by them are deleted */
  contacts: { type: [String], default: [] },
  requestedAt: { type: Date, required: true },
  dueBy: { type: Date, required: true },
  completedAt: { type: Date, default: null },
  counts: mixed<Record<string, number>>({ default: null }),
});
export type ErasureDoc = DocOf<typeof Erasure>;
