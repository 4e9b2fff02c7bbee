import mongoose, { Schema, trusted, type InferSchemaType } from 'mongoose';
import { isDuplicateKey } from '../src/core/errors';

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
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
export type ConversationDoc = InferSchemaType<typeof conversationSchema> & { _id: string; data: unknown };
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
