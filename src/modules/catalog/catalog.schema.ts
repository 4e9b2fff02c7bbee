import { z } from 'zod';
import { line } from '../../core/text';

/** 受理时限 of a category that names none: a day to accept or refuse a new tip-off. */
export const DEFAULT_ACCEPT_HOURS = 24;

const code = z.string().regex(/^[0-9A-Za-z_-]{2,40}$/, '编码只能包含字母、数字、-、_（2–40 位）');
const hours = (max: number, what: string) =>
  z
    .number({ error: `${what}请填写小时数` })
    .int(`${what}应为整数小时`)
    .positive(`${what}至少 1 小时`)
    .max(max, `${what}最多 ${max} 小时`);

export const unitSchema = z.object({ code, name: line(60, '单位名称最多 60 个字').min(1, '请填写单位名称') });
export const categorySchema = z.object({
  code,
  name: line(40, '类别名称最多 40 个字').min(1, '请填写类别名称'),
  /** the default responsible unit (责任单位) a tip-off of this category goes to */
  unitCode: code,
  /** 处置时限: hours from acceptance to rectification */
  deadlineHours: hours(24 * 90, '处置时限'),
  /** 受理时限: hours the office has to accept or refuse a new tip-off of this category (then it shows overdue) */
  acceptHours: hours(24 * 30, '受理时限').default(DEFAULT_ACCEPT_HOURS),
});
export const indicatorKinds = ['awareness', 'support', 'satisfaction'] as const;
export const indicatorSchema = z.object({ code, kind: z.enum(indicatorKinds), title: line(60).min(1) });

export const unitsFileSchema = z.object({ units: z.array(unitSchema).min(1) });
export const categoriesFileSchema = z.object({ categories: z.array(categorySchema).min(1) });
export const indicatorsFileSchema = z.object({ indicators: z.array(indicatorSchema).min(1) });

/**
 * Who owns a record: `content` (written by content sync from content/*.yaml) or `console` (created
 * or edited in the console; content sync never overwrites it again).
 */
export const origins = ['content', 'console'] as const;
const owned = {
  disabled: z.boolean(),
  origin: z.enum(origins),
  /** console edits: when and by whom (username) */
  editedAt: z.string().nullable(),
  editedBy: z.string().nullable(),
};
export const unitRecordSchema = unitSchema.extend(owned);
export const categoryRecordSchema = categorySchema.extend(owned);

export const createUnitSchema = unitSchema;
export const updateUnitSchema = unitSchema.omit({ code: true }).extend({ disabled: z.boolean() }).partial();
export const createCategorySchema = categorySchema;
export const updateCategorySchema = categorySchema
  .omit({ code: true, acceptHours: true })
  .extend({ acceptHours: categorySchema.shape.acceptHours.unwrap().nullable(), disabled: z.boolean() })
  .partial();
export const catalogListQuery = z.object({ includeDisabled: z.enum(['true', 'false']).optional() });
export const codeParams = z.object({ code });

export type Unit = z.infer<typeof unitSchema>;
export type TipoffCategory = z.infer<typeof categorySchema>;
export type UnitRecord = z.infer<typeof unitRecordSchema>;
export type CategoryRecord = z.infer<typeof categoryRecordSchema>;
export type UpdateUnit = z.infer<typeof updateUnitSchema>;
export type UpdateCategory = z.infer<typeof updateCategorySchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type IndicatorKind = (typeof indicatorKinds)[number];
