import { defineModel, type DocOf } from '../../core/db/model';
import { indicatorKinds, origins } from './catalog.schema';

/** Console ownership (catalog.schema.ts `origins`): content sync skips a record marked `console`. */
const owned = {
  disabled: { type: Boolean, default: false },
  origin: { type: String, enum: origins, default: 'content' },
  editedAt: { type: Date, default: null },
  editedBy: { type: String, default: null },
} as const;

export const UnitModel = defineModel('Unit', 'units', { _id: String, name: { type: String, required: true }, order: Number, ...owned });
export type UnitDoc = DocOf<typeof UnitModel>;

export const CategoryModel = defineModel('TipoffCategory', 'tipoff_categories', {
  _id: String,
  name: { type: String, required: true },
  unitCode: { type: String, required: true },
  deadlineHours: { type: Number, required: true },
  acceptHours: { type: Number, default: null },
  order: Number,
  ...owned,
});
export type CategoryDoc = DocOf<typeof CategoryModel>;

export const IndicatorModel = defineModel('Indicator', 'indicators', {
  _id: String,
  kind: { type: String, enum: indicatorKinds, required: true },
  title: { type: String, required: true },
  order: Number,
});
export type IndicatorDoc = DocOf<typeof IndicatorModel>;
