import { defineModel, type DocOf } from '../../core/db/model';

/**
 * The shapes drawn under the tip-off map, _id = the region code of content/geo/<code>.geojson. The
 * GeoJSON is kept as its text: the map sends it to the browser as it is, and a text field avoids
 * storing deeply nested coordinate arrays document by document.
 */
export const MapShape = defineModel('MapShape', 'map_shapes', {
  _id: String,
  name: { type: String, required: true },
  geojson: { type: String, required: true },
  /** sha-256 of the file's text: content sync rewrites the shapes only when the file changed */
  contentHash: { type: String, required: true },
  features: { type: Number, required: true },
  updatedAt: { type: Date, required: true },
});
export type MapShapeDoc = DocOf<typeof MapShape>;
