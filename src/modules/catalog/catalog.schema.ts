import { z } from 'zod';
import { line } from '../../core/text';

const code = z.string().regex(/^[0-9A-Za-z_-]{2,40}$/, '编码只能包含字母、数字、-、_');

export const unitSchema = z.object({ code, name: line().min(1).max(60) });
export const categorySchema = z.object({
  code,
  name: line().min(1).max(40),
  unitCode: code,
  deadlineHours: z.number().int().positive().max(24 * 90),
  /** 受理时限: hours the office has to accept or refuse a new tip-off of this category (then it shows overdue) */
  acceptHours: z.number().int().positive().max(24 * 30).default(24),
});
export const indicatorKinds = ['awareness', 'support', 'satisfaction'] as const;
export const indicatorSchema = z.object({ code, kind: z.enum(indicatorKinds), title: line().min(1).max(60) });

export const unitsFileSchema = z.object({ units: z.array(unitSchema).min(1) });
export const categoriesFileSchema = z.object({ categories: z.array(categorySchema).min(1) });
export const indicatorsFileSchema = z.object({ indicators: z.array(indicatorSchema).min(1) });

export type Unit = z.infer<typeof unitSchema>;
export type TipoffCategory = z.infer<typeof categorySchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type IndicatorKind = (typeof indicatorKinds)[number];
