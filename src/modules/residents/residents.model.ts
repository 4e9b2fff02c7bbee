import { defineModel, type DocOf } from '../../core/db/model';

export const Resident = defineModel('Resident', 'residents', {
  _id: String,
  nickname: { type: String, required: true },
  regionCode: { type: String, default: null },
  /** 长辈模式 (larger text, larger targets) chosen in H5 or by "大字" to the bot; absent = off */
  elderMode: { type: Boolean },
  createdAt: { type: Date, required: true },
});
export type ResidentDoc = DocOf<typeof Resident>;

export const identityChannels = ['device', 'wechaty', 'wx-openid', 'wx-unionid', 'mp-openid', 'chat'] as const;
export type IdentityChannel = (typeof identityChannels)[number];

/** A channel identity of a resident: _id `<channel>:<externalId>`, found by point lookup. */
export const ResidentIdentity = defineModel('ResidentIdentity', 'resident_identities', {
  _id: String,
  residentId: { type: String, required: true },
  channel: { type: String, enum: identityChannels, required: true },
  createdAt: { type: Date, required: true },
});

/** Points ledger: _id `<residentId>:<reason>:<ref>`, so a reward is granted at most once per cause. */
export const PointsEntry = defineModel('PointsEntry', 'points_ledger', {
  _id: String,
  residentId: { type: String, required: true },
  points: { type: Number, required: true },
  reason: { type: String, required: true },
  note: String,
  at: { type: Date, required: true },
});
export type PointsEntryDoc = DocOf<typeof PointsEntry>;

/**
 * A bot link that was exchanged for a session: _id is the link's jti. The insert is the guard that
 * makes a link single-use (a unique _id holds on FerretDB too, where a find-then-update would race).
 * Kept until the link would have expired anyway; retention deletes it after.
 */
export const UsedLink = defineModel('UsedLink', 'used_links', {
  _id: String,
  residentId: { type: String, required: true },
  usedAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});
