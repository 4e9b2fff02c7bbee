import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ContentError, contentDir } from '../../core/content';
import { now } from '../../core/time';
import { findRegion, regionPath, regionTree } from '../regions/regions.service';
import { MapShape, type MapShapeDoc } from './tipmap.model';
import { geoFileSchema, type GeoFile, type MapShapesView } from './tipmap.schema';

/**
 * content/geo/<region-code>.geojson: the shapes of a region's parts (the demo city's districts), one
 * Feature per part with properties.code and properties.name of a region in content/regions.yaml
 * under <region-code>. Coordinates are [lng, lat] in the same system as the community centres
 * (GCJ-02, what WeChat reports), so tip-offs fall where they were reported. Optional: without a
 * file the map draws the community centres alone.
 */
const GEO_DIR = 'geo';

function readGeoFile(file: string): GeoFile {
  const shown = `content/${GEO_DIR}/${file}`;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(contentDir(), GEO_DIR, file), 'utf8'));
  } catch (err) {
    throw new ContentError(`${shown}: 不是有效的 JSON / cannot parse: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = geoFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ContentError(`${shown}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Every feature must draw a region of content/regions.yaml under the file's region, by its name. */
function checkRegions(file: string, code: string, geo: GeoFile): string {
  const shown = `content/${GEO_DIR}/${file}`;
  const root = findRegion(code);
  if (!root) throw new ContentError(`${shown}: 文件名须为 content/regions.yaml 中的区域编码，${code} 不存在`);
  geo.features.forEach((f, i) => {
    const region = findRegion(f.properties.code);
    if (!region || !regionPath(region.code).some((r) => r.code === code))
      throw new ContentError(`${shown}: features.${i}.properties.code: ${f.properties.code} 不是 ${root.name} 下的区域`);
    if (region.name !== f.properties.name)
      throw new ContentError(`${shown}: features.${i}.properties.name: 应为“${region.name}”（与 content/regions.yaml 一致）`);
  });
  return root.name;
}

/**
 * Upserts content/geo/*.geojson into map_shapes. Shapes come from content only (the console does not
 * edit them), so a changed file replaces its shapes; an unchanged one is skipped; nothing is deleted.
 */
export async function syncMapShapes(): Promise<string> {
  const dir = path.join(contentDir(), GEO_DIR);
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.geojson'))
        .sort()
    : [];
  let updated = 0;
  for (const file of files) {
    const code = file.replace(/\.geojson$/, '');
    const geo = readGeoFile(file);
    const name = checkRegions(file, code, geo);
    const text = JSON.stringify(geo);
    const hash = crypto.createHash('sha256').update(text).digest('hex');
    const existing = await MapShape.findById(code).lean<MapShapeDoc>();
    if (existing?.contentHash === hash) continue;
    await MapShape.updateOne(
      { _id: code },
      { $set: { name, geojson: text, contentHash: hash, features: geo.features.length, updatedAt: now() } },
      { upsert: true },
    );
    updated++;
  }
  return `map shapes: ${files.length} (${updated} updated)`;
}

/** The shapes of the city (the root of the region tree), if content gave them. */
export async function cityShapes(): Promise<MapShapesView> {
  const city = regionTree()[0];
  const doc = city ? await MapShape.findById(city.code).lean<MapShapeDoc>() : null;
  return { shapes: doc ? { regionCode: doc._id, name: doc.name, geojson: JSON.parse(doc.geojson) as Record<string, unknown> } : null };
}
