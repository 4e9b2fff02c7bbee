import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** The Official Account's access_token, _id = AppID: shared by every instance, read by _id. */
const tokenSchema = new Schema(
  {
    _id: String,
    token: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    fetchedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type MpTokenDoc = InferSchemaType<typeof tokenSchema> & { _id: string };
export const MpToken = mongoose.model('MpToken', tokenSchema, 'mp_tokens');

/**
 * "I am fetching the token that replaces this one": _id `<AppID>:<generation>`, the generation being
 * a hash of the token it replaces. The unique insert elects one instance per generation, so two
 * instances never each fetch a token (the second would invalidate the first's). Deleted when the
 * fetch ends, or by another instance once it is stale (its holder died).
 */
const leaseSchema = new Schema(
  {
    _id: String,
    instance: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const MpTokenLease = mongoose.model('MpTokenLease', leaseSchema, 'mp_token_leases');

/**
 * A follower of the Official Account, _id = openid: until when and how many more 客服消息 WeChat lets
 * us send them (a message opens 5 in 48 hours, a menu tap or a follow 3 in one minute), and their
 * last reported location. Written by point updates from the one conversation lane of the follower.
 */
const followerSchema = new Schema(
  {
    _id: String,
    windowUntil: { type: Date, default: null },
    quota: { type: Number, default: 0 },
    subscribed: { type: Boolean, default: true },
    scene: { type: String, default: null },
    lastLocation: { type: new Schema({ lat: Number, lng: Number, at: Date }, { _id: false }), default: null },
  },
  { versionKey: false },
);
export type MpFollowerDoc = InferSchemaType<typeof followerSchema> & { _id: string };
export const MpFollower = mongoose.model('MpFollower', followerSchema, 'mp_followers');
