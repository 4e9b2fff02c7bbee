import { z } from 'zod';
import { roles } from '../../core/auth';
import { line } from '../../core/text';

export const staffViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(roles),
  unitCode: z.string().optional(),
  displayName: z.string().optional(),
});
export type StaffView = z.infer<typeof staffViewSchema>;

export const loginSchema = z.object({ username: z.string().trim().min(1, '请输入用户名').max(32), password: z.string().min(1, '请输入密码').max(200) });

export const createStaffSchema = z
  .object({
    username: z.string().trim().regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3–32 位字母、数字、_ . -'),
    password: z.string().min(8, '密码至少 8 位').max(200),
    role: z.enum(roles),
    unitCode: z.string().max(40).optional(),
    displayName: line().max(40).optional(),
  })
  .refine((s) => s.role !== 'unit' || Boolean(s.unitCode), { message: '责任单位账号必须指定 unitCode', path: ['unitCode'] });
export type CreateStaff = z.infer<typeof createStaffSchema>;

export const staffSessionSchema = z.object({ token: z.string(), staff: staffViewSchema });
