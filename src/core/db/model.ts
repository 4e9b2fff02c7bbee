import mongoose, {
  Schema,
  type HydratedDocument,
  type IndexDefinition,
  type IndexOptions,
  type InferRawDocType,
  type Model,
  type SchemaOptions,
} from 'mongoose';

/**
 * The one way to declare a stored document (docs/stored-documents.md): a shape, from which mongoose
 * builds the schema and TypeScript infers the document's type. Never write the type out again.
 *
 *   export const Region = defineModel('Region', 'regions', { _id: String, name: { type: String, required: true } });
 *   export type RegionDoc = DocOf<typeof Region>;
 *
 * Every _id is a string (natural keys, docs/embedded-database.md), so the type says `_id: string`.
 */

/** What a shape may hold: mongoose path definitions, with `_id: String` first by house rule. */
type Shape = Record<string, unknown>;

/** Schema options a stored document may choose, plus its secondary indexes (`[fields, options?]`). */
export type ModelOptions = Pick<SchemaOptions, 'strict' | 'minimize'> & {
  indexes?: Array<[IndexDefinition, IndexOptions?]>;
};

/** Paths declared `default: null`: create() writes them, so a stored document has them, null or set. */
type NullDefaultKeys<S> = { [K in keyof S]: S[K] extends { default: null } ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };

/**
 * The document as stored and as `.lean()` reads it: the shape's inferred fields (mongoose's raw
 * document type) with a string _id, and `default: null` paths present as `T | null`.
 */
export type StoredDoc<S, R = InferRawDocType<S>> = Flat<
  Omit<R, '_id' | NullDefaultKeys<S>> & { [K in NullDefaultKeys<S> & keyof R]-?: Exclude<R[K], undefined> } & { _id: string }
>;

/** A model whose documents are T: reads (`lean()`) return T itself. */
// mongoose's own defaults for the parameters we do not use:
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
export type StoredModel<T> = Model<T, {}, {}, {}, HydratedDocument<T>, any, T>;

/** The document type of a model declared with defineModel. */
export type DocOf<M> = M extends StoredModel<infer T> ? T : never;

export function defineModel<const S extends Shape>(
  name: string,
  collection: string,
  shape: S,
  options: ModelOptions = {},
): StoredModel<StoredDoc<S>> {
  const { indexes = [], ...schemaOptions } = options;
  // No __v: documents are written whole or by point updates, never by versioned save().
  const schema = new Schema(shape as never, { versionKey: false, ...schemaOptions });
  for (const [fields, indexOptions] of indexes) schema.index(fields, indexOptions);
  const model = registered(name, collection) ?? mongoose.model(name, schema, collection);
  return model as unknown as StoredModel<StoredDoc<S>>;
}

/** A module loaded twice in one process (a tool, an isolated test) finds its model already there. */
function registered(name: string, collection: string): Model<unknown> | undefined {
  const existing = mongoose.models[name];
  if (existing && existing.collection.collectionName !== collection)
    throw new Error(`model ${name} is already declared for ${existing.collection.collectionName}`);
  return existing;
}

/** A path whose type TypeScript takes from T (mongoose's own type hints, for schemas and raw documents). */
type Hinted<P, T> = P & { __typehint: T; __rawDocTypeHint: T };
type MixedPath<T> = Hinted<{ type: typeof Schema.Types.Mixed }, T>;
type MixedListPath<T> = Hinted<{ type: Array<typeof Schema.Types.Mixed> }, T[]>;

/**
 * A field mongoose stores as it is (Schema.Types.Mixed) whose shape TypeScript should still know:
 * `kinds: mixed<Record<string, ConsentEntry>>({ default: {} })`. Only the type is new: at run time
 * this is `{ type: Schema.Types.Mixed, ...options }`.
 */
export function mixed<T>(options: { required: true }): MixedPath<T> & { required: true };
export function mixed<T>(options: { default: null }): MixedPath<T> & { default: null };
export function mixed<T>(options: { default: T }): MixedPath<T> & { default: T };
export function mixed<T>(): MixedPath<T>;
export function mixed(options: object = {}): object {
  return { type: Schema.Types.Mixed, ...options };
}

/** A list of values stored as they are (`[Schema.Types.Mixed]`), each of type T. */
export function mixedList<T>(options: { required: true }): MixedListPath<T> & { required: true };
export function mixedList<T>(): MixedListPath<T>;
export function mixedList(options: object = {}): object {
  return { type: [Schema.Types.Mixed], ...options };
}
