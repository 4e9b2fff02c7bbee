import { z } from 'zod';

const field = z.string().max(2048);

/** The query WeChat adds to every request it sends to /wechat/mp. */
export const mpQuery = z.object({
  signature: z.string().max(64).optional(),
  timestamp: z.string().max(20).optional(),
  nonce: z.string().max(64).optional(),
  echostr: z.string().max(512).optional(),
  openid: z.string().max(128).optional(),
  encrypt_type: z.enum(['aes', 'raw']).optional(),
  msg_signature: z.string().max(64).optional(),
});
export type MpQuery = z.infer<typeof mpQuery>;

/**
 * One message or event WeChat pushes, as its flat XML fields (all strings: MsgId is 64-bit). Which
 * fields a type carries: text Content; image PicUrl, MediaId; location Location_X (latitude),
 * Location_Y (longitude), Label; event Event, EventKey, and for LOCATION Latitude, Longitude.
 */
export const mpMessageSchema = z.object({
  ToUserName: field,
  FromUserName: z.string().min(1).max(128),
  CreateTime: z.string().regex(/^\d{1,12}$/),
  MsgType: z.string().max(32),
  MsgId: z.string().max(32).optional(),
  Content: z.string().max(8000).optional(),
  PicUrl: field.optional(),
  MediaId: field.optional(),
  Location_X: field.optional(),
  Location_Y: field.optional(),
  Label: field.optional(),
  Event: field.optional(),
  EventKey: field.optional(),
  Latitude: field.optional(),
  Longitude: field.optional(),
});
export type MpMessage = z.infer<typeof mpMessageSchema>;
