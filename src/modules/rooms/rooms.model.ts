import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';

export const roomMessageStatuses = ['pending', 'sent', 'failed', 'unsent'] as const;

/**
 * A message for a WeChat group room (the daily question to rooms that opted in, the weekly brief to
 * the office's room). _id `<room>:<dedupeKey>` so one cause posts at most once; `room` is `id:<roomId>`
 * or `topic:<name>` (the office configures its room by name). Parts are sent in order: text, or a
 * file under DATA_DIR (an image when it ends in .png/.jpg). Without a bot the message stays here,
 * visible to the office in the console.
 */
const partSchema = new Schema(
  { kind: { type: String, enum: ['text', 'file'], required: true }, text: String, path: String, name: String },
  { _id: false },
);
/** A part as callers write it (plain data, not a mongoose subdocument). */
export type RoomMessagePart = { kind: 'text' | 'file'; text?: string | null; path?: string | null; name?: string | null };
export const RoomMessage = defineModel(
  'RoomMessage',
  'room_messages',
  {
    _id: String,
    room: { type: String, required: true },
    kind: { type: String, required: true },
    parts: { type: [partSchema], required: true },
    status: { type: String, enum: roomMessageStatuses, required: true },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    error: { type: String, default: null },
  },
  { indexes: [[{ createdAt: -1 }]] },
);
export type RoomMessageDoc = DocOf<typeof RoomMessage>;

/** The room push queue: one small doc per message still to post (same _id), so the bot scans only this. */
export const RoomPending = defineModel('RoomPending', 'room_pending', {
  _id: String,
  createdAt: { type: Date, required: true },
  attempts: { type: Number, default: 0 },
});
export type RoomPendingDoc = DocOf<typeof RoomPending>;
