import { z } from 'zod';
import { line, text } from '../src/core/text';
import type { IdentityChannel } from '../src/modules/residents';

/** The channels the bot speaks on: Wechaty, the terminal chat and the Official Account (公众号). */
export const botChannels = ['wechaty', 'chat', 'mp'] as const;
export type BotChannel = (typeof botChannels)[number];

/**
 * The resident identity a channel's contact id is (residents.model.ts). A follower's openid is the
 * same identity as H5 OAuth under the same Official Account: both are that account's openid.
 */
export const identityChannelOf: Record<BotChannel, IdentityChannel> = { wechaty: 'wechaty', chat: 'chat', mp: 'mp-openid' };

const base = {
  channel: z.enum(botChannels),
  contactId: z.string().min(1).max(200),
  messageId: z.string().min(1).max(200),
  at: z.date(),
  /** set for a group message: whether the bot was @-mentioned */
  room: z.object({ id: z.string().min(1).max(200), mentioned: z.boolean() }).optional(),
};

/** One message a person sent, as every adapter hands it to the engine (parsed at the boundary). */
export const inboundSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('text'), text: text(4000) }),
  z.object({ ...base, kind: z.literal('image'), file: z.instanceof(Buffer), name: z.string().max(200).optional() }),
  z.object({
    ...base,
    kind: z.literal('location'),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    address: line(500).optional(),
  }),
]);
export type Inbound = z.infer<typeof inboundSchema>;

export const outboundSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({ kind: z.literal('image'), file: z.instanceof(Buffer), name: z.string() }),
  z.object({ kind: z.literal('link'), title: z.string(), description: z.string(), url: z.string() }),
]);
/** One reply the engine asks an adapter to send. */
export type Outbound = z.infer<typeof outboundSchema>;
export type LinkReply = Omit<Extract<Outbound, { kind: 'link' }>, 'kind'>;

/** Normalizes what a person typed: full-width digits and letters to half-width, trimmed, lower case. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}
