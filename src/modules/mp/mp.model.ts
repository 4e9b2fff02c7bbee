import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';

/** The Official Account's access_token, _id = AppID: shared by every instance, read by _id. */
export const MpToken = defineModel('MpToken', 'mp_tokens', {
  _id: String,
  token: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  fetchedAt: { type: Date, required: true },
});
export type MpTokenDoc = DocOf<typeof MpToken>;

/**
 * "I am fetching the token that replaces this one": _id `<AppID>:<generation>`, the generation being
 * a hash of the token it replaces. The unique insert elects one instance per generation, so two
 * instances never each fetch a token (the second would invalidate the first's). Deleted when the
 * fetch ends, or by another instance once it is stale (its holder died).
 */
export const MpTokenLease = defineModel('MpTokenLease', 'mp_token_leases', {
  _id: String,
  instance: { type: String, required: true },
  createdAt: { type: Date, required: true },
});

/**
 * A follower of the Official Account, _id = openid: until when and how many more 客服消息 WeChat lets
 * us send them (a message opens 5 in 48 hours, a menu tap or a follow 3 in one minute), and their
 * last reported location. Written by point updates from the one conversation lane of the follower.
 */
export const MpFollower = defineModel('MpFollower', 'mp_followers', {
  _id: String,
  windowUntil: { type: Date, default: null },
  quota: { type: Number, default: 0 },
  subscribed: { type: Boolean, default: true },
  scene: { type: String, default: null },
  lastLocation: { type: new Schema({ lat: Number, lng: Number, at: Date }, { _id: false }), default: null },
});
export type MpFollowerDoc = DocOf<typeof MpFollower>;
