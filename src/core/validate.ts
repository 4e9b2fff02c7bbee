import { z } from 'zod';
import { AppError } from './errors';

// Messages a person reads are Chinese, zod's included.
z.config(z.locales.zhCN());

export interface FieldIssue {
  path: string;
  message: string;
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** Parse untrusted input at a boundary; failures become 400 VALIDATION_FAILED naming each field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, where = '请求'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = issuesOf(result.error);
  throw new AppError('VALIDATION_FAILED', `${where}数据无效：${details.map((d) => `${d.path} ${d.message}`).join('；')}`, details);
}

/** Common field schemas. */
export const ids = {
  objectId: z.string().regex(/^[0-9a-f]{24}$/i, '不是有效的编号'),
  key: z
    .string()
    .min(1)
    .max(120)
    .regex(/^[\w:.-]+$/, '不是有效的编号'),
};

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const regionQuery = z.object({
  region: z.string().max(40).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
