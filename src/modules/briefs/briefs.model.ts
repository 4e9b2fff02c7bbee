import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';

/**
 * One weekly brief, _id = the ISO week it covers (2026-W46): the figures as computed then, the text
 * sent to the office's room, and its files under DATA_DIR/briefs/ (xlsx with the chart, chart PNG).
 * Regenerating a week replaces it; the room message is keyed by the week, so it is posted once.
 */
export const Brief = defineModel(
  'Brief',
  'briefs',
  {
    _id: String,
    label: { type: String, required: true },
    from: { type: String, required: true },
    to: { type: String, required: true },
    generatedAt: { type: Date, required: true },
    text: { type: String, required: true },
    figures: { type: Schema.Types.Mixed, required: true },
    xlsxPath: { type: String, required: true },
    chartPath: { type: String, required: true },
    sentTo: { type: String, default: null },
  },
  { minimize: false },
);
export type BriefDoc = DocOf<typeof Brief>;
