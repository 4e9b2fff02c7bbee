import { loadContentFile } from '../../core/content';
import { upsertById } from '../../core/db';
import { AppError, notFound } from '../../core/errors';
import { CategoryModel, IndicatorModel, UnitModel } from './catalog.model';
import { categoriesFileSchema, indicatorsFileSchema, unitsFileSchema, type Indicator, type TipoffCategory, type Unit } from './catalog.schema';

/** Small, rarely edited lists: held in memory after load, refreshed on every sync or edit. */
let units: Unit[] = [];
let categories: TipoffCategory[] = [];
let indicators: Indicator[] = [];

type Row = { _id: string; order?: number | null } & Record<string, unknown>;
const sorted = <T extends Row>(rows: T[]) => rows.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
const strip = ({ _id, order: _o, ...rest }: Row) => ({ code: _id, ...rest });

export async function loadCatalog(): Promise<void> {
  units = sorted(await UnitModel.find().lean<Row[]>()).map(strip) as Unit[];
  categories = sorted(await CategoryModel.find().lean<Row[]>()).map(strip) as TipoffCategory[];
  indicators = sorted(await IndicatorModel.find().lean<Row[]>()).map(strip) as Indicator[];
}

export const listUnits = (): Unit[] => units;
export const listCategories = (): TipoffCategory[] => categories;
export const listIndicators = (): Indicator[] => indicators;

export function getUnit(code: string): Unit {
  return units.find((u) => u.code === code) ?? throwNotFound(`责任单位 ${code} `);
}
export function getCategory(code: string): TipoffCategory {
  return categories.find((c) => c.code === code) ?? throwNotFound(`问题类别 ${code} `);
}
export function findIndicator(code: string): Indicator | undefined {
  return indicators.find((i) => i.code === code);
}
function throwNotFound(what: string): never {
  throw notFound(what);
}

const withOrder = (rows: Array<{ code: string } & Record<string, unknown>>) => rows.map(({ code, ...rest }, order) => ({ _id: code, ...rest, order }));

/** Upserts units, categories and indicators from content/ (idempotent); checks cross-references. */
export async function syncCatalog(): Promise<string> {
  const u = loadContentFile('units.yaml', unitsFileSchema).units;
  const c = loadContentFile('tipoff-categories.yaml', categoriesFileSchema).categories;
  const i = loadContentFile('indicators.yaml', indicatorsFileSchema).indicators;
  const unitCodes = new Set(u.map((x) => x.code));
  const bad = c.find((x) => !unitCodes.has(x.unitCode));
  if (bad) throw new AppError('VALIDATION_FAILED', `content/tipoff-categories.yaml: ${bad.code}.unitCode: 责任单位 ${bad.unitCode} 不在 content/units.yaml 中`);
  await upsertById(UnitModel, withOrder(u));
  await upsertById(CategoryModel, withOrder(c));
  await upsertById(IndicatorModel, withOrder(i));
  await loadCatalog();
  return `units: ${u.length}, categories: ${c.length}, indicators: ${i.length}`;
}
