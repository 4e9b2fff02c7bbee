import { AppError } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { readTable, type RowError } from '../quiz/quiz.import';
import { Region, type RegionDoc } from './regions.model';
import { communitiesUnder, findRegion, loadRegionTree, regionPath } from './regions.service';
import type { PopulationRow } from './regions.schema';

/**
 * Census populations (常住人口, 户数) per community, from a CSV or XLSX file with a header row. The
 * file is checked whole first: any bad row and nothing is applied (the answer lists every problem
 * by row, column and reason); a clean file updates the communities it names and leaves the others.
 * Streets, districts and the city are sums of their communities, so only community codes are taken.
 */
const COLUMNS = {
  code: ['区划代码', '代码', '编码', 'code'],
  name: ['名称', '社区', '社区名称', 'name'],
  population: ['常住人口', '人口', 'population'],
  households: ['户数', '常住户数', 'households'],
} as const;
type Field = keyof typeof COLUMNS;
const MAX_ROWS = 20_000;

const err = (row: number, column: string, message: string): RowError => ({ row, column, path: `第 ${row} 行 ${column}`, message });

export interface PopulationUpdate {
  code: string;
  population: number;
  households: number | null;
}

/** "12,345" and " 12345 " are 12345; anything else that is not a whole number is undefined. */
function wholeNumber(raw: string): number | undefined {
  const s = raw.replace(/[,，\s]/g, '');
  return /^\d{1,9}$/.test(s) ? Number(s) : undefined;
}

function header(cells: string[]): { at: Partial<Record<Field, number>>; errors: RowError[] } {
  const at: Partial<Record<Field, number>> = {};
  cells.forEach((c, i) => {
    const name = c
      .trim()
      .replace(/^\uFEFF/, '')
      .toLowerCase();
    const field = (Object.keys(COLUMNS) as Field[]).find((f) => (COLUMNS[f] as readonly string[]).includes(name));
    if (field) at[field] ??= i;
  });
  const errors = (['code', 'population'] as const)
    .filter((f) => at[f] === undefined)
    .map((f) => err(1, COLUMNS[f][0], `缺少「${COLUMNS[f][0]}」这一列（表头）`));
  return { at, errors };
}

function checkRow(
  cells: string[],
  row: number,
  at: Partial<Record<Field, number>>,
  seen: Map<string, number>,
): { update?: PopulationUpdate; errors: RowError[] } {
  const cell = (f: Field) => (at[f] !== undefined ? (cells[at[f]!] ?? '').trim() : '');
  const errors: RowError[] = [];
  const code = cell('code');
  const region = code ? findRegion(code) : undefined;
  if (!code) errors.push(err(row, '区划代码', '请填写区划代码'));
  else if (!region) errors.push(err(row, '区划代码', `区划代码 ${code} 不存在，请核对或先在区域中添加`));
  else if (region.level !== 'community')
    errors.push(err(row, '区划代码', `${region.name}不是社区：只导入社区的人口，街道、区和全市的人口由所属社区相加`));
  else if (seen.has(code)) errors.push(err(row, '区划代码', `与第 ${seen.get(code)} 行重复`));
  if (code) seen.set(code, seen.get(code) ?? row);
  const name = cell('name');
  if (name && region && !name.includes(region.name.replace(/社区$/, '')) && !region.name.includes(name))
    errors.push(err(row, '名称', `名称「${name}」与区划代码 ${code} 的「${region.name}」不一致，请核对代码`));
  const population = wholeNumber(cell('population'));
  if (!cell('population')) errors.push(err(row, '常住人口', '请填写常住人口'));
  else if (population === undefined || population < 1)
    errors.push(err(row, '常住人口', `「${cell('population')}」不是正整数，常住人口应为正整数（如 12345）`));
  const rawHouseholds = cell('households');
  const households = rawHouseholds ? wholeNumber(rawHouseholds) : null;
  if (households === undefined) errors.push(err(row, '户数', `「${rawHouseholds}」不是整数，户数应为非负整数或留空`));
  else if (households !== null && population && households > population)
    errors.push(err(row, '户数', `户数（${households}）不能多于常住人口（${population}）`));
  if (errors.length) return { errors };
  return { update: { code, population: population!, households: households ?? null }, errors };
}

export function checkPopulationTable(rows: string[][]): { updates: PopulationUpdate[]; errors: RowError[] } {
  const [head, ...body] = rows;
  if (!head) return { updates: [], errors: [err(1, '表头', '文件中没有表头和数据')] };
  const { at, errors } = header(head);
  if (errors.length) return { updates: [], errors };
  const data = body.map((cells, i) => ({ cells, row: i + 2 })).filter((r) => r.cells.some((c) => c.trim()));
  if (!data.length) return { updates: [], errors: [err(2, '区划代码', '文件中没有数据行')] };
  if (data.length > MAX_ROWS) return { updates: [], errors: [err(MAX_ROWS + 2, '区划代码', `一次最多导入 ${MAX_ROWS} 行`)] };
  const seen = new Map<string, number>();
  const updates: PopulationUpdate[] = [];
  const all: RowError[] = [];
  for (const r of data) {
    const { update, errors: e } = checkRow(r.cells, r.row, at, seen);
    if (update) updates.push(update);
    all.push(...e);
  }
  return { updates, errors: all };
}

/** POST /regions/populations:import. All or nothing: a bad row and nothing is written. */
export async function importPopulations(file: Buffer, username: string): Promise<{ total: number; updated: number; unchanged: number }> {
  const { updates, errors } = checkPopulationTable((await readTable(file)).rows);
  if (errors.length) {
    const shown = errors
      .slice(0, 3)
      .map((e) => `第 ${e.row} 行「${e.column}」：${e.message}`)
      .join('；');
    throw new AppError(
      'VALIDATION_FAILED',
      `导入失败，共 ${errors.length} 处错误，未更新任何人口数据。请改正后重新导入。${shown}${errors.length > 3 ? '……' : ''}`,
      errors,
    );
  }
  const at = now();
  let updated = 0;
  for (const u of updates) {
    const current = await Region.findById(u.code).lean<RegionDoc>();
    if (current?.population === u.population && (current.households ?? null) === u.households) continue;
    // Point updates by _id, one per community (FerretDB pushes down only _id filters).
    await Region.updateOne(
      { _id: u.code },
      {
        $set: {
          population: u.population,
          households: u.households,
          populationOrigin: 'console',
          populationEditedAt: at,
          populationEditedBy: username,
        },
      },
    );
    updated++;
  }
  await loadRegionTree();
  return { total: updates.length, updated, unchanged: updates.length - updated };
}

/** Every community with its population: the console's table and the export (a template for the import). */
export async function populationRows(): Promise<PopulationRow[]> {
  const docs = new Map((await Region.find().lean<RegionDoc[]>()).map((d) => [d._id, d]));
  return communitiesUnder().map((c) => {
    const d = docs.get(c.code);
    const path = regionPath(c.code);
    return {
      code: c.code,
      name: c.name,
      district: path.find((r) => r.level === 'district')?.name ?? '',
      street: path.find((r) => r.level === 'street')?.name ?? '',
      population: c.population,
      households: d?.households ?? null,
      origin: d?.populationOrigin === 'console' ? 'console' : 'content',
      editedAt: d?.populationEditedAt ? isoLocal(d.populationEditedAt) : null,
      editedBy: d?.populationEditedBy ?? null,
    };
  });
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The export: the import's columns first (区划代码, 名称, 常住人口, 户数), then where it is (ignored on import). */
export async function populationsCsv(): Promise<Buffer> {
  const rows = (await populationRows()).map((r) => [
    r.code,
    r.name,
    String(r.population),
    r.households == null ? '' : String(r.households),
    r.district,
    r.street,
  ]);
  const text = [['区划代码', '名称', '常住人口', '户数', '区', '街道'], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
  // The BOM makes Excel open the UTF-8 file with the Chinese intact.
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + '\r\n', 'utf8')]);
}
