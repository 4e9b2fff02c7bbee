import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';

/**
 * A resident's request for a person (人工服务): what they said, the conversation's last messages,
 * and the office's replies. _id is its number (R + yymmdd + 6 characters).
 */
export const HelpRequest = defineModel('HelpRequest', 'help_requests', {
  _id: String,
  residentId: { type: String, required: true },
  /** where the resident asked, and where the answer goes back: chat, wechaty, mp or h5 */
  channel: { type: String, required: true },
  said: { type: String, required: true },
  transcript: { type: [new Schema({ from: String, text: String, at: Date }, { _id: false })], default: [] },
  status: { type: String, enum: ['open', 'answered', 'closed'], required: true },
  replies: { type: [new Schema({ staffId: String, username: String, text: String, at: Date }, { _id: false })], default: [] },
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
});
export type HelpRequestDoc = DocOf<typeof HelpRequest>;

/** The requests not yet closed, by _id: the office's queue reads this small index, not the archive. */
export const HelpOpen = defineModel('HelpOpen', 'help_open', { _id: String, createdAt: { type: Date, required: true } });
