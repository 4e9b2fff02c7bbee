import { trusted } from 'mongoose';
import { claimMany } from '../../core/store';
import { decrypt, encrypt, hmac } from '../../core/pii';
import { now } from '../../core/time';
import { readTable } from '../quiz/quiz.import';
import type { RegionNode } from '../regions/regions.schema';
import { communitiesUnder, findRegion, regionLabel } from '../regions/regions.service';
import { Household, type HouseholdDoc } from './fieldwork.model';
import type { HouseholdImportResult } from './fieldwork.schema';

/**
 * The sample frame (抽样框): each community's households, imported as CSV or XLSX with a header
 * row. Unlike the census import, good rows are imported and bad ones listed (row, column, reason):
 * a frame of thousands of households should not wait for one typo. Re-importing a row changes nothing.
 */
const COLUMNS = {
  community: ['社区编码或名称', '社区编码', '社区', '社区名称', '区划代码', 'community'],
  building: ['楼栋', '楼号', '栋', '楼', 'building'],
  unit: ['单元', 'unit'],
  room: ['户/室', '户室', '户', '室', '房号', '门牌号', 'room'],
  note: ['备注', 'note'],
} as const;
type Field = keyof typeof COLUMNS;
const MAX_ROWS = 20_000;
const PART_MAX = 20;

export interface Address {
  building: string;
  unit: string;
  room: string;
  note: string | null;
}

type Rejected = HouseholdImportResult['rejected'][number];

const suffixed = (v: string, suffix: RegExp, add: string) => (!v ? '' : suffix.test(v) ? v : `${v}${add}`);
const buildingText = (b: string) => suffixed(b, /(栋|幢|号楼|座)$/, '栋');
const unitText = (u: string) => suffixed(u, /单元$/, '单元');

/** 3栋2单元*** : what the office sees of an address (the room never). */
export const maskAddress = (a: Pick<Address, 'building' | 'unit'>): string => `${buildingText(a.building)}${unitText(a.unit)}***`;
/** 3栋2单元502室: what the assigned enumerator sees. */
export const fullAddress = (a: Address): string => `${buildingText(a.building)}${unitText(a.unit)}${suffixed(a.room, /(室|户|号)$/, '室')}`;

export const openAddress = (h: Pick<HouseholdDoc, 'sealed'>): Address => JSON.parse(decrypt(h.sealed)) as Address;

/** A household's id: keyed hash of community and address, so the same row is the same household. */
export const householdIdOf = (regionCode: string, a: Pick<Address, 'building' | 'unit' | 'room'>): string =>
  `h${hmac(`${regionCode}|${a.building}|${a.unit}|${a.room}`, 'household').slice(0, 20)}`;

function headerOf(cells: string[]): { at: Partial<Record<Field, number>>; missing: Field[] } {
  const at: Partial<Record<Field, number>> = {};
  cells.forEach((c, i) => {
    const name = c
      .trim()
      .replace(/^\uFEFF/, '')
      .toLowerCase();
    const field = (Object.keys(COLUMNS) as Field[]).find((f) => (COLUMNS[f] as readonly string[]).includes(name));
    if (field) at[field] ??= i;
  });
  return { at, missing: (['community', 'building', 'room'] as const).filter((f) => at[f] === undefined) };
}

/** A community by its code, or by its exact name when that name is unique in the city. */
function communityOf(raw: string): RegionNode | string {
  const byCode = findRegion(raw);
  if (byCode) return byCode.level === 'community' ? byCode : `${byCode.name}不是社区，请填写社区的编码或名称`;
  const named = communitiesUnder().filter((c) => c.name === raw || c.name === `${raw}社区`);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) return `有 ${named.length} 个社区名为「${raw}」，请改填社区编码`;
  return `没有编码或名称为「${raw}」的社区`;
}

interface Row {
  regionCode: string;
  address: Address;
}

function checkRow(cells: string[], row: number, at: Partial<Record<Field, number>>): { ok?: Row; errors: Rejected[] } {
  const cell = (f: Field) => (at[f] !== undefined ? (cells[at[f]!] ?? '').trim() : '');
  const errors: Rejected[] = [];
  const bad = (field: string, message: string) => errors.push({ row, field, message });
  const rawCommunity = cell('community');
  const community = rawCommunity ? communityOf(rawCommunity) : '请填写社区编码或名称';
  if (typeof community === 'string') bad('社区编码或名称', community);
  const address: Address = { building: cell('building'), unit: cell('unit'), room: cell('room'), note: cell('note') || null };
  if (!address.building) bad('楼栋', '请填写楼栋');
  if (!address.room) bad('户/室', '请填写户号或室号');
  for (const [field, v] of [
    ['楼栋', address.building],
    ['单元', address.unit],
    ['户/室', address.room],
  ] as const)
    if (v.length > PART_MAX) bad(field, `「${v.slice(0, 10)}…」太长，最多 ${PART_MAX} 个字`);
  if ((address.note?.length ?? 0) > 200) bad('备注', '备注最多 200 个字');
  if (errors.length || typeof community === 'string') return { errors };
  return { ok: { regionCode: community.code, address }, errors };
}

/** POST /fieldwork/households/import: good rows in, bad rows listed; duplicates of the frame left alone. */
export async function importHouseholds(file: Buffer, username: string): Promise<HouseholdImportResult> {
  const [head, ...body] = (await readTable(file)).rows;
  if (!head) return { imported: 0, unchanged: 0, rejected: [{ row: 1, field: '表头', message: '文件中没有表头和数据' }] };
  const { at, missing } = headerOf(head);
  if (missing.length)
    return {
      imported: 0,
      unchanged: 0,
      rejected: missing.map((f) => ({ row: 1, field: COLUMNS[f][0], message: `缺少「${COLUMNS[f][0]}」这一列（表头）` })),
    };
  const data = body.map((cells, i) => ({ cells, row: i + 2 })).filter((r) => r.cells.some((c) => c.trim()));
  if (data.length > MAX_ROWS)
    return {
      imported: 0,
      unchanged: 0,
      rejected: [{ row: MAX_ROWS + 2, field: '社区编码或名称', message: `一次最多导入 ${MAX_ROWS} 行` }],
    };
  const rejected: Rejected[] = [];
  const seen = new Map<string, number>();
  const docs: HouseholdDoc[] = [];
  const at0 = now();
  for (const r of data) {
    const { ok, errors } = checkRow(r.cells, r.row, at);
    rejected.push(...errors);
    if (!ok) continue;
    const id = householdIdOf(ok.regionCode, ok.address);
    if (seen.has(id)) {
      rejected.push({ row: r.row, field: '户/室', message: `与第 ${seen.get(id)} 行是同一户` });
      continue;
    }
    seen.set(id, r.row);
    docs.push({
      _id: id,
      regionCode: ok.regionCode,
      sealed: encrypt(JSON.stringify(ok.address)),
      masked: maskAddress(ok.address),
      importedAt: at0,
      importedBy: username,
    });
  }
  let imported = 0;
  for (let i = 0; i < docs.length; i += 1000) imported += (await claimMany(Household, docs.slice(i, i + 1000))).size;
  return { imported, unchanged: docs.length - imported, rejected };
}

/** The households of some communities (a scan of the frame: an office read, never a hot path). */
export async function householdsOf(codes: string[]): Promise<HouseholdDoc[]> {
  if (!codes.length) return [];
  // Built from region codes, never from client JSON: trusted past sanitizeFilter.
  return Household.find({ regionCode: trusted({ $in: codes }) }).lean<HouseholdDoc[]>();
}

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

/**
 * The frame's fixed order (docs/fieldwork.md): building, unit, room in natural order (2栋 before
 * 10栋), then the id. Walking a list in address order spreads a systematic sample over the
 * community's buildings, which is why it is used.
 */
export function orderFrame(households: HouseholdDoc[]): Array<HouseholdDoc & { address: Address }> {
  return households
    .map((h) => ({ ...h, address: openAddress(h) }))
    .sort(
      (a, b) =>
        collator.compare(a.address.building, b.address.building) ||
        collator.compare(a.address.unit, b.address.unit) ||
        collator.compare(a.address.room, b.address.room) ||
        (a._id < b._id ? -1 : 1),
    );
}

export async function listHouseholds(q: { regionCode?: string; page: number; pageSize: number }) {
  const communities = communitiesUnder(q.regionCode);
  const all = await householdsOf(communities.map((c) => c.code));
  const counts = new Map<string, number>();
  for (const h of all) counts.set(h.regionCode, (counts.get(h.regionCode) ?? 0) + 1);
  all.sort((a, b) =>
    a.regionCode !== b.regionCode
      ? a.regionCode < b.regionCode
        ? -1
        : 1
      : collator.compare(a.masked, b.masked) || (a._id < b._id ? -1 : 1),
  );
  const page = all.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  return {
    total: all.length,
    byCommunity: communities
      .filter((c) => counts.has(c.code))
      .map((c) => ({ regionCode: c.code, name: c.name, households: counts.get(c.code)! })),
    items: page.map((h) => ({ id: h._id, regionCode: h.regionCode, community: regionLabel(h.regionCode), address: h.masked })),
  };
}
