import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { roles } from '../../core/auth';

/** Staff member; _id is the lower-cased username, so login is a point lookup. */
const staffSchema = new Schema(
  {
    _id: String,
    username: { type: String, required: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: roles, required: true },
    unitCode: { type: String, default: null },
    displayName: { type: String, default: null },
    disabled: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type StaffDoc = InferSchemaType<typeof staffSchema> & { _id: string };
export const Staff = mongoose.model('Staff', staffSchema, 'staff');
