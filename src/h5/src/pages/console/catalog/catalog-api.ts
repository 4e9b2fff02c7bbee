import { api } from '../../../api';
import type { CategoryRecord, TipoffCategory, UnitRecord } from '../../../../../modules/catalog/catalog.schema';
import type { PopulationRow } from '../../../../../modules/regions/regions.schema';

/** 类别与单位 and 区域人口 (office): the catalog and population API as the console calls it. */
export type { CategoryRecord, PopulationRow, UnitRecord };
export const listAllUnits = () => api.get<UnitRecord[]>('/api/v1/units?includeDisabled=true');
export const listAllCategories = () => api.get<CategoryRecord[]>('/api/v1/tipoff-categories?includeDisabled=true');
export const createUnit = (body: { code: string; name: string }) => api.post<UnitRecord>('/api/v1/units', body, { silent: true });
export const updateUnit = (code: string, body: { name?: string; disabled?: boolean }) =>
  api.patch<UnitRecord>(`/api/v1/units/${encodeURIComponent(code)}`, body, { silent: true });
/** A new category: without a 受理时限 the service uses its default. */
export const createCategory = (body: Omit<TipoffCategory, 'acceptHours'> & { acceptHours?: number }) =>
  api.post<CategoryRecord>('/api/v1/tipoff-categories', body, { silent: true });
export const updateCategory = (
  code: string,
  body: Partial<Omit<TipoffCategory, 'code' | 'acceptHours'>> & { acceptHours?: number | null; disabled?: boolean },
) => api.patch<CategoryRecord>(`/api/v1/tipoff-categories/${encodeURIComponent(code)}`, body, { silent: true });

export const listPopulations = () => api.get<PopulationRow[]>('/api/v1/regions/populations');
export const POPULATION_EXPORT_URL = '/api/v1/regions/populations:export';
export function importPopulations(file: File) {
  const form = new FormData();
  form.append('file', file);
  return api.post<{ total: number; updated: number; unchanged: number }>('/api/v1/regions/populations:import', form, { silent: true });
}
