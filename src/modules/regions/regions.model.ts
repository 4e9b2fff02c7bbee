import { defineModel, type DocOf } from '../../core/db/model';
import { regionLevels } from './regions.schema';

export const Region = defineModel('Region', 'regions', {
  _id: String, // the region code
  name: { type: String, required: true },
  level: { type: String, enum: regionLevels, required: true },
  parentCode: { type: String, default: null },
  population: { type: Number, required: true },
  center: { lat: Number, lng: Number },
  order: { type: Number, default: 0 },
  /** 户数 from a census import (communities; optional) */
  households: { type: Number, default: null },
  /** `console`: the population was imported in the console, and content sync keeps it */
  populationOrigin: { type: String, enum: ['content', 'console'], default: 'content' },
  populationEditedAt: { type: Date, default: null },
  populationEditedBy: { type: String, default: null },
});
export type RegionDoc = DocOf<typeof Region>;
