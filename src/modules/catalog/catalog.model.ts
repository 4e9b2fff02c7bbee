import mongoose, { Schema } from 'mongoose';
import { indicatorKinds, origins } from './catalog.schema';

const opts = { versionKey: false } as const;

/** Console ownership (catalog.schema.ts `origins`): content sync skips a record marked `console`. */
const owned = {
  disabled: { type: Boolean, default: false },
  origin: { type: String, enum: origins, default: 'content' },
  editedAt: { type: Date, default: null },
  editedBy: { type: String, default: null },
};

export const UnitModel = mongoose.model('Unit', new Schema({ _id: String, name: { type: String, required: true }, order: Number, ...owned }, opts), 'units');

export const CategoryModel = mongoose.model(
  'TipoffCategory',
  new Schema(
    {
      _id: String,
      name: { type: String, required: true },
      unitCode: { type: String, required: true },
      deadlineHours: { type: Number, required: true },
      acceptHours: { type: Number, default: null },
      order: Number,
      ...owned,
    },
    opts,
  ),
  'tipoff_categories',
);

export const IndicatorModel = mongoose.model(
  'Indicator',
  new Schema({ _id: String, kind: { type: String, enum: indicatorKinds, required: true }, title: { type: String, required: true }, order: Number }, opts),
  'indicators',
);
