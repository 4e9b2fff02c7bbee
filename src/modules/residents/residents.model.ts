import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const residentSchema = new Schema(
  {
    _id: String,
    nickname: { type: String, required: true },
    regionCode: { type: String, default: null },
    /** 长辈模式 (larger text, larger targets) chosen in H5 or by "大字" to the bot; absent = off */
    elderMode: { type: Boolean },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type ResidentDoc = InferSchemaType<typeof residentSchema> & { _id: string };
export const Resident = mongoose.model('Resident', residentSchema, 'residents');

export const identityChannels = ['device', 'wechaty', 'wx-openid', 'wx-unionid', 'mp-openid', 'chat'] as const;
export type IdentityChannel = (typeof identityChannels)[number];

/** A channel identity of a resident: _id `<channel>:<externalId>`, found by point lookup. */
const identitySchema = new Schema(
  {
    _id: String,
    residentId: { type: String, required: true },
    channel: { type: String, enum: identityChannels, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const ResidentIdentity = mongoose.model('ResidentIdentity', identitySchema, 'resident_identities');

/** Points ledger: _id `<residentId>:<reason>:<ref>`, so a reward is granted at most once per cause. */
const pointsSchema = new Schema(
  {
    _id: String,
    residentId: { type: String, required: true },
    points: { type: Number, required: true },
    reason: { type: String, required: true },
    note: String,
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export type PointsEntryDoc = InferSchemaType<typeof pointsSchema> & { _id: string };
export const PointsEntry = mongoose.model('PointsEntry', pointsSchema, 'points_ledger');

/**
 * A bot link that was exchanged for a session: _id is the link's jti. The insert is the guard that
 * makes a link single-use (a unique _id holds on FerretDB too, where a find-then-update would race).
 * Kept until the link would have expired anyway; retention deletes it after.
 */
const usedLinkSchema = new Schema(
  {
    _id: String,
    residentId: { type: String, required: true },
    usedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const UsedLink = mongoose.model('UsedLink', usedLinkSchema, 'used_links');
