import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * A resident's request for a person (人工服务): what they said, the conversation's last messages,
 * and the office's replies. _id is its number (R + yymmdd + 6 characters).
 */
const helpRequestSchema = new Schema(
  {
    _id: String,
    residentId: { type: String, required: true },
    /** where the resident asked, and where the answer goes back: chat, wechaty, mp or h5 */
    channel: { type: String, required: true },
    said: { type: String, required: true },
    transcript: { type: [{ _id: false, from: String, text: String, at: Date }], default: [] },
    status: { type: String, enum: ['open', 'answered', 'closed'], required: true },
    replies: { type: [{ _id: false, staffId: String, username: String, text: String, at: Date }], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type HelpRequestDoc = InferSchemaType<typeof helpRequestSchema> & { _id: string };
export const HelpRequest = mongoose.model('HelpRequest', helpRequestSchema, 'help_requests');

/** The requests not yet closed, by _id: the office's queue reads this small index, not the archive. */
const openSchema = new Schema({ _id: String, createdAt: { type: Date, required: true } }, { versionKey: false });
export const HelpOpen = mongoose.model('HelpOpen', openSchema, 'help_open');
