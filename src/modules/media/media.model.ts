import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';

export const mediaStatuses = ['draft', 'attached'] as const;

/**
 * One stored photo (re-encoded JPEG + thumbnail under DATA_DIR/media/). A draft belongs to its
 * uploader only (a bot photo waiting for the rest of the report, a rectification photo uploaded
 * before the action); once attached, whoever may see the owner (e.g. a tip-off) may see the photo.
 */
export const Media = defineModel(
  'Media',
  'media',
  {
    _id: String,
    status: { type: String, enum: mediaStatuses, required: true },
    uploader: { kind: { type: String, required: true }, id: { type: String, required: true } },
    owner: {
      type: new Schema({ kind: { type: String, required: true }, id: { type: String, required: true } }, { _id: false }),
      default: null,
    },
    file: { type: String, required: true },
    thumbFile: { type: String, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    bytes: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    attachedAt: { type: Date, default: null },
  },
  // Jobs (draft cleanup, retention) read by age; never a request path.
  { indexes: [[{ createdAt: 1 }]] },
);

type Party = { kind: string; id: string };
/** The nested uploader narrowed: mongoose infers a nested path as optional. */
export type MediaDoc = Omit<DocOf<typeof Media>, 'uploader' | 'owner'> & { uploader: Party; owner: Party | null };
