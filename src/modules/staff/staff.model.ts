import { defineModel, type DocOf } from '../../core/db/model';
import { roles } from '../../core/auth';

/** Staff member; _id is the lower-cased username, so login is a point lookup. */
export const Staff = defineModel('Staff', 'staff', {
  _id: String,
  username: { type: String, required: true },
  passwordHash: { type: String, required: true },
  role: { type: String, enum: roles, required: true },
  unitCode: { type: String, default: null },
  displayName: { type: String, default: null },
  disabled: { type: Boolean, default: false },
  /** bumped when older sessions must end: disable, role or unit change, password reset or change */
  sessionVersion: { type: Number, default: 0 },
  /** set by a reset (temporary password): every call but the password change is refused until then */
  mustChangePassword: { type: Boolean, default: false },
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, default: null },
});
export type StaffDoc = DocOf<typeof Staff>;
