import { loadContentFile } from '../../core/content';
import { upsertById } from '../../core/store';
import { AppError, notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { Region, type RegionDoc } from './regions.model';
import { regionsFileSchema, type NearestPlace, type RegionNode } from './regions.schema';

/**
 * The region tree changes only with content or office edits, so it is held in memory and read
 * without the database; `loadRegionTree` refreshes it.
 */
let tree: RegionNode[] = [];
let byCode = new Map<string, RegionNode>();

export async function loadRegionTree(): Promise<RegionNode[]> {
  const docs = await Region.find().lean<RegionDoc[]>();
  docs.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const nodes = new Map<string, RegionNode>(
    docs.map((d) => [
      d._id,
      {
        code: d._id,
        name: d.name,
        level: d.level,
        population: 0,
        parentCode: d.parentCode ?? null,
        center: d.center?.lat != null ? { lat: d.center.lat, lng: d.center.lng! } : null,
        children: [],
      },
    ]),
  );
  const roots: RegionNode[] = [];
  for (const d of docs) {
    const node = nodes.get(d._id)!;
    const parent = d.parentCode ? nodes.get(d.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  // Populations are kept on communities; every higher level is the sum of its children.
  const own = new Map(docs.map((d) => [d._id, d.population]));
  const sum = (n: RegionNode): number =>
    (n.population = n.children.length ? n.children.reduce((s, c) => s + sum(c), 0) : (own.get(n.code) ?? 0));
  roots.forEach(sum);
  tree = roots;
  byCode = nodes;
  return tree;
}

export const regionTree = (): RegionNode[] => tree;
export const findRegion = (code: string): RegionNode | undefined => byCode.get(code);

export function getRegion(code: string): RegionNode {
  const r = byCode.get(code);
  if (!r) throw notFound(`区域 ${code} `);
  return r;
}

/** The communities (leaves) at or under a region; all communities when no code is given. */
export function communitiesUnder(code?: string): RegionNode[] {
  const roots = code ? [getRegion(code)] : tree;
  const out: RegionNode[] = [];
  const walk = (n: RegionNode) => (n.children.length ? n.children.forEach(walk) : n.level === 'community' && out.push(n));
  roots.forEach(walk);
  return out;
}

/** Validates that a code names a community (residents, volunteers and activities belong to one). */
export function requireCommunity(code: string): RegionNode {
  const r = findRegion(code);
  if (!r || r.level !== 'community')
    throw new AppError('VALIDATION_FAILED', `区域编码 ${code} 不是有效的社区`, [{ path: 'regionCode', message: '请选择社区' }]);
  return r;
}

/** Ancestors from the city down to the region itself, e.g. 明州市 › 东湖区 › 湖滨街道 › 柳岸社区. */
export function regionPath(code: string): RegionNode[] {
  const out: RegionNode[] = [];
  for (let r = findRegion(code); r; r = r.parentCode ? findRegion(r.parentCode) : undefined) out.unshift(r);
  return out;
}

export function regionLabel(code: string | null | undefined): string {
  if (!code) return '未选择';
  return (
    regionPath(code)
      .filter((r) => r.level !== 'city')
      .map((r) => r.name)
      .join(' ') || code
  );
}

/** Distance in metres (haversine); GCJ-02 offsets are the same for nearby points, so it is fine here. */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

export function nearestCommunity(point: { lat: number; lng: number }): RegionNode | undefined {
  let best: RegionNode | undefined;
  let bestD = Infinity;
  for (const c of communitiesUnder()) {
    if (!c.center) continue;
    const d = distanceMeters(point, c.center);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

/** A located point farther than this from every community centre is not in the city. */
export const CITY_RADIUS_METERS = 30_000;

/**
 * The place a located point is in, as residents read it: the nearest community, its street and
 * district, and how far the point is from the community's centre (rounded to 10 m, since a phone's
 * fix is no finer). None when the point is outside the city.
 */
export function placeNear(point: { lat: number; lng: number }): NearestPlace | undefined {
  const c = nearestCommunity(point);
  if (!c?.center) return undefined;
  const d = distanceMeters(point, c.center);
  if (d > CITY_RADIUS_METERS) return undefined;
  const street = c.parentCode ? findRegion(c.parentCode) : undefined;
  const district = street?.parentCode ? findRegion(street.parentCode) : undefined;
  const ref = (r: RegionNode | undefined) => (r ? { code: r.code, name: r.name } : null);
  return { community: ref(c)!, street: ref(street), district: ref(district), distanceMeters: Math.round(d / 10) * 10 };
}

/**
 * The community an address names (city systems often send only an address): the community whose
 * name, or name without 社区, appears in the text; a community code is taken as is. The longest
 * match wins; none when two different communities match equally (ambiguous is left to the office).
 */
export function communityNamedIn(text: string): RegionNode | undefined {
  const t = text.trim();
  const byCodeMatch = findRegion(t);
  if (byCodeMatch?.level === 'community') return byCodeMatch;
  let best: RegionNode[] = [];
  let bestLen = 0;
  for (const c of communitiesUnder()) {
    const short = c.name.replace(/社区$/, '');
    const len = t.includes(c.name) ? c.name.length : short.length >= 2 && t.includes(short) ? short.length : 0;
    if (len > bestLen) [best, bestLen] = [[c], len];
    else if (len && len === bestLen) best.push(c);
  }
  return best.length === 1 ? best[0] : undefined;
}

/** Upserts content/regions.yaml into the database (idempotent) and reloads the tree. */
export async function syncRegions(): Promise<number> {
  const file = loadContentFile('regions.yaml', regionsFileSchema);
  const docs: Array<{ _id: string } & Record<string, unknown>> = [];
  let order = 0;
  const put = (
    code: string,
    name: string,
    level: string,
    parentCode: string | null,
    population: number,
    center?: { lat: number; lng: number },
  ) => docs.push({ _id: code, name, level, parentCode, population, center, order: order++ });
  const c = file.city;
  put(c.code, c.name, 'city', null, 0);
  for (const d of c.districts) {
    put(d.code, d.name, 'district', c.code, 0);
    for (const s of d.streets) {
      put(s.code, s.name, 'street', d.code, 0);
      for (const m of s.communities) put(m.code, m.name, 'community', s.code, m.population, m.center);
    }
  }
  const codes = docs.map((d) => d._id);
  if (new Set(codes).size !== codes.length) throw new AppError('VALIDATION_FAILED', 'content/regions.yaml: 区域编码重复');
  await upsertById(Region, await keepImportedPopulations(docs));
  await loadRegionTree();
  return docs.length;
}

/**
 * The console wins: a community whose population was imported in the console keeps it (and its
 * 户数) when content sync rewrites the tree from the file; one info line names them.
 */
async function keepImportedPopulations(docs: Array<{ _id: string } & Record<string, unknown>>) {
  const imported = new Map((await Region.find({ populationOrigin: 'console' }).lean<RegionDoc[]>()).map((d) => [d._id, d]));
  if (!imported.size) return docs;
  const kept: string[] = [];
  const out = docs.map((d) => {
    const mine = imported.get(d._id);
    if (!mine) return d;
    kept.push(d._id);
    const { population, households, populationOrigin, populationEditedAt, populationEditedBy } = mine;
    return { ...d, population, households, populationOrigin, populationEditedAt, populationEditedBy };
  });
  if (kept.length)
    logger.info(
      { codes: kept },
      `content/regions.yaml: the population of ${kept.length} communities was imported in the console; the file's figures were skipped`,
    );
  return out;
}
