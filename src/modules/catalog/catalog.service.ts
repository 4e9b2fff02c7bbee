import type { Collection } from 'mongoose';
import { loadContentFile } from '../../core/content';
import { upsertById } from '../../core/store';
import { AppError, notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { isoLocal } from '../../core/time';
import { CategoryModel, IndicatorModel, UnitModel } from './catalog.model';
import {
  categoriesFileSchema,
  DEFAULT_ACCEPT_HOURS,
  indicatorsFileSchema,
  unitsFileSchema,
  type CategoryRecord,
  type Indicator,
  type UnitRecord,
} from './catalog.schema';

/** Small, rarely edited lists: held in memory after load, refreshed on every sync or edit. */
let units: UnitRecord[] = [];
let categories: CategoryRecord[] = [];
let indicators: Indicator[] = [];

export type Row = { _id: string; order?: number | null; editedAt?: Date | null; acceptHours?: number | null } & Record<string, unknown>;
const sorted = <T extends Row>(rows: T[]) => rows.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
const strip = ({ _id, order: _o, ...rest }: Row) => ({ code: _id, ...rest });
const record = ({ editedAt, acceptHours: _a, disabled, origin, editedBy, ...rest }: Row) => ({
  ...strip(rest as Row),
  code: rest._id,
  disabled: Boolean(disabled),
  origin: origin === 'console' ? 'console' : 'content',
  editedAt: editedAt ? isoLocal(editedAt) : null,
  editedBy: (editedBy as string | null | undefined) ?? null,
});

export async function loadCatalog(): Promise<void> {
  units = sorted(await UnitModel.find().lean<Row[]>()).map(record) as UnitRecord[];
  // a category stored before 受理时限 existed (or edited without one) takes the default
  categories = sorted(await CategoryModel.find().lean<Row[]>()).map((r) => ({
    ...record(r),
    acceptHours: r.acceptHours ?? DEFAULT_ACCEPT_HOURS,
  })) as CategoryRecord[];
  indicators = sorted(await IndicatorModel.find().lean<Row[]>()).map(strip) as Indicator[];
}

/** Every unit and category, disabled ones too: old tip-offs still show their names. */
export const listUnits = (): UnitRecord[] => units;
export const listCategories = (): CategoryRecord[] => categories;
export const listIndicators = (): Indicator[] => indicators;
export const activeUnits = (): UnitRecord[] => units.filter((u) => !u.disabled);
export const activeCategories = (): CategoryRecord[] => categories.filter((c) => !c.disabled);

/** A unit that may receive work now (assignment, a unit account): disabled units are refused. */
export function getUnit(code: string): UnitRecord {
  const u = units.find((x) => x.code === code) ?? throwNotFound(`责任单位 ${code} `);
  if (u.disabled)
    throw new AppError('VALIDATION_FAILED', `责任单位「${u.name}」已停用，请选择其他单位`, [{ path: 'unitCode', message: '该单位已停用' }]);
  return u;
}
export function getCategory(code: string): CategoryRecord {
  const c = categories.find((x) => x.code === code) ?? throwNotFound(`问题类别 ${code} `);
  if (c.disabled)
    throw new AppError('VALIDATION_FAILED', `问题类别「${c.name}」已停用，请选择其他类别`, [
      { path: 'categoryCode', message: '该类别已停用' },
    ]);
  return c;
}
export function findIndicator(code: string): Indicator | undefined {
  return indicators.find((i) => i.code === code);
}
function throwNotFound(what: string): never {
  throw notFound(what);
}

/** The next order after every record: console-created records list after the file's. */
export const nextOrder = async (model: CatalogModel): Promise<number> =>
  Math.max(999, ...(await rowsOf(model)).map((r) => r.order ?? 0)) + 1;

/** Units and categories alike, read through the driver (a union of two mongoose models is not callable). */
export type CatalogModel = { collection: Collection };
const rowsOf = (model: CatalogModel) => model.collection.find({}).toArray() as unknown as Promise<Row[]>;

/**
 * The file's records that content sync may write: missing ones, and those it wrote itself
 * (origin `content`). A console-owned record is never overwritten; one info line says so.
 */
async function writable<T extends { code: string }>(model: CatalogModel, file: string, rows: T[]) {
  const consoleOwned = new Set((await rowsOf(model)).filter((r) => r.origin === 'console').map((r) => r._id));
  const out: Array<{ _id: string } & Record<string, unknown>> = [];
  rows.forEach(({ code, ...rest }, order) => {
    if (consoleOwned.has(code))
      logger.info({ file, code }, `content/${file}: ${code} was edited in the console; the file's version was skipped`);
    else out.push({ _id: code, ...rest, order, disabled: false, origin: 'content', editedAt: null, editedBy: null });
  });
  return { docs: out, skipped: rows.length - out.length };
}

/** Upserts units, categories and indicators from content/ (idempotent, console edits kept); checks cross-references. */
export async function syncCatalog(): Promise<string> {
  const u = loadContentFile('units.yaml', unitsFileSchema).units;
  const c = loadContentFile('tipoff-categories.yaml', categoriesFileSchema).categories;
  const i = loadContentFile('indicators.yaml', indicatorsFileSchema).indicators;
  const unitCodes = new Set(u.map((x) => x.code));
  const bad = c.find((x) => !unitCodes.has(x.unitCode));
  if (bad)
    throw new AppError(
      'VALIDATION_FAILED',
      `content/tipoff-categories.yaml: ${bad.code}.unitCode: 责任单位 ${bad.unitCode} 不在 content/units.yaml 中`,
    );
  const wu = await writable(UnitModel, 'units.yaml', u);
  const wc = await writable(CategoryModel, 'tipoff-categories.yaml', c);
  await upsertById(UnitModel, wu.docs);
  await upsertById(CategoryModel, wc.docs);
  await upsertById(
    IndicatorModel,
    i.map(({ code, ...rest }, order) => ({ _id: code, ...rest, order })),
  );
  await loadCatalog();
  const kept = wu.skipped + wc.skipped ? ` (${wu.skipped + wc.skipped} kept as edited in the console)` : '';
  return `units: ${u.length}, categories: ${c.length}, indicators: ${i.length}${kept}`;
}
