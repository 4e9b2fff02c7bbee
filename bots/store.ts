import mongoose, { Schema, trusted, type InferSchemaType } from 'mongoose';
import { z } from 'zod';
import { isDuplicateKey } from '../src/core/errors';
import { now } from '../src/core/time';
import type { Inbound, Outbound } from './messages';

/**
 * Per-contact conversation state, _id `<channel>:<contactId>`: read and written by point
 * operations only. `flow: null` means "at the main menu"; the document stays so that the
 * engine knows a contact it has met before.
 */
const conversationSchema = new Schema(
  {
    _id: String,
    flow: { type: String, default: null },
    step: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: null },
    /** the last few messages both ways, so a request for a person carries what was said (kept short) */
    recent: { type: [{ _id: false, from: { type: String, enum: ['resident', 'bot'] }, text: String, at: Date }], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
/** One remembered message (the shape of `recent`). */
export const recentMessageSchema = z.object({ from: z.enum(['resident', 'bot']), text: z.string(), at: z.date() });
export type RecentMessage = z.infer<typeof recentMessageSchema>;
export type ConversationDoc = Omit<InferSchemaType<typeof conversationSchema>, 'recent'> & {
  _id: string;
  data: unknown;
  recent?: RecentMessage[];
};
export const BotConversation = mongoose.model('BotConversation', conversationSchema, 'bot_conversations');

/** One handled inbound message, _id `<channel>:<messageId>`: inserting it is the "not seen yet" test. */
const handledSchema = new Schema({ _id: String, at: { type: Date, required: true } }, { versionKey: false });
export const BotMessage = mongoose.model('BotMessage', handledSchema, 'bot_messages');

/** Claims a message for handling; false when it was handled before (a redelivery or a second process). */
export async function claimMessage(id: string, at: Date): Promise<boolean> {
  try {
    await BotMessage.create({ _id: id, at });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

const RECENT_KEPT = 8;
const RECENT_CHARS = 200;

/** The last messages after this turn: what the resident sent and the bot's text replies, cut short. */
export function recentAfter(before: RecentMessage[], inbound: Inbound, replies: Outbound[]): RecentMessage[] {
  const at = now();
  const said =
    inbound.kind === 'text'
      ? inbound.text
      : inbound.kind === 'image'
        ? '［图片］'
        : inbound.kind === 'location'
          ? '［位置］'
          : '［其他消息］';
  const answered = replies.flatMap((r) => (r.kind === 'text' ? [r.text] : r.kind === 'link' ? [`［链接］${r.title}`] : []));
  const added = [{ from: 'resident' as const, text: said, at }, ...answered.map((text) => ({ from: 'bot' as const, text, at }))];
  return [...before, ...added].slice(-RECENT_KEPT).map((m) => ({ ...m, text: (m.text ?? '').slice(0, RECENT_CHARS) }));
}

export async function loadConversation(id: string): Promise<ConversationDoc | undefined> {
  return (await BotConversation.findById(id).lean<ConversationDoc>()) ?? undefined;
}

export async function saveConversation(doc: ConversationDoc): Promise<void> {
  await BotConversation.replaceOne({ _id: doc._id }, doc, { upsert: true });
}

/** Forgets handled-message ids older than a cut-off (they only guard against redelivery). */
export async function pruneHandledMessages(before: Date): Promise<number> {
  // A periodic clean-up, not a hot path; the operator is ours, so it is trusted past sanitizeFilter.
  const res = await BotMessage.deleteMany({ at: trusted({ $lt: before }) });
  return res.deletedCount ?? 0;
}
