import { conflict, notFound, invalid } from '../../core/errors';
import { now } from '../../core/time';
import { claimOnce } from '../../core/store';
import { CategoryModel, UnitModel } from './catalog.model';
import { getUnit, listCategories, listUnits, loadCatalog, nextOrder, type CatalogModel } from './catalog.service';
import {
  DEFAULT_ACCEPT_HOURS,
  type CategoryRecord,
  type TipoffCategory,
  type Unit,
  type UnitRecord,
  type UpdateCategory,
  type UpdateUnit,
} from './catalog.schema';

/**
 * The console's edits of units (责任单位) and tip-off categories. Every write marks the record
 * console-owned (origin `console`), so content sync never overwrites it; nothing is deleted (old
 * tip-offs keep their category and unit), a record is disabled instead.
 */
const stamp = (username: string) => ({ origin: 'console', editedAt: now(), editedBy: username });

async function insert(model: CatalogModel, doc: Record<string, unknown> & { _id: string }, what: string): Promise<void> {
  if (!(await claimOnce({ collection: model.collection }, { ...doc, order: await nextOrder(model) })))
    throw conflict(`${what}编码 ${doc._id} 已被使用，请换一个编码`);
}

export async function createUnit(input: Unit, username: string): Promise<UnitRecord> {
  await insert(UnitModel, { _id: input.code, name: input.name, disabled: false, ...stamp(username) }, '责任单位');
  await loadCatalog();
  return listUnits().find((u) => u.code === input.code)!;
}

export async function updateUnit(code: string, patch: UpdateUnit, username: string): Promise<{ before: UnitRecord; after: UnitRecord }> {
  const before = listUnits().find((u) => u.code === code);
  if (!before) throw notFound(`责任单位 ${code} `);
  if (patch.disabled) {
    const using = listCategories().filter((c) => !c.disabled && c.unitCode === code);
    if (using.length)
      throw invalid(
        `「${before.name}」仍是问题类别「${using.map((c) => c.name).join('、')}」的默认责任单位，请先为这些类别换一个单位再停用`,
        [{ path: 'disabled', message: '仍有类别使用该单位' }],
      );
  }
  await set(UnitModel, code, { ...patch, ...stamp(username) });
  return { before, after: listUnits().find((u) => u.code === code)! };
}

export async function createCategory(input: TipoffCategory, username: string): Promise<CategoryRecord> {
  getUnit(input.unitCode);
  const { code, ...rest } = input;
  await insert(
    CategoryModel,
    { _id: code, ...rest, acceptHours: rest.acceptHours ?? DEFAULT_ACCEPT_HOURS, disabled: false, ...stamp(username) },
    '问题类别',
  );
  await loadCatalog();
  return listCategories().find((c) => c.code === code)!;
}

export async function updateCategory(
  code: string,
  patch: UpdateCategory,
  username: string,
): Promise<{ before: CategoryRecord; after: CategoryRecord }> {
  const before = listCategories().find((c) => c.code === code);
  if (!before) throw notFound(`问题类别 ${code} `);
  if (patch.unitCode && patch.unitCode !== before.unitCode) getUnit(patch.unitCode);
  await set(CategoryModel, code, { ...patch, ...stamp(username) });
  return { before, after: listCategories().find((c) => c.code === code)! };
}

/** A point update by _id (the one FerretDB pushes down), then the in-memory lists are reloaded. */
async function set(model: CatalogModel, code: string, fields: Record<string, unknown>): Promise<void> {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const res = await model.collection.updateOne({ _id: code } as never, { $set: defined });
  if (!res.matchedCount) throw notFound(code);
  await loadCatalog();
}
