import type mongoose from 'mongoose';
import { rawCollection } from '../db';

/** A mongoose model (or anything with its native `collection`) whose documents have string _ids. */
export type StoredModel = { collection: unknown };
export type StoredDoc = { _id: string } & mongoose.mongo.Document;
export type Collection = mongoose.mongo.Collection<StoredDoc>;

/** The native collection: the store speaks to the driver, below mongoose's casting and hooks. */
export const collectionOf = (model: StoredModel | Collection): Collection =>
  'collectionName' in (model as object) ? (model as Collection) : rawCollection(model as StoredModel);
