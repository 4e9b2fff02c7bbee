import { z } from 'zod';
import { roles } from '../../core/auth';
import { line } from '../../core/text';

export const staffViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(roles),
  unitCode: z.string().optional(),
  displayName: z.string().optional(),
  disabled: z.boolean().optional(),
  /** true after a reset: the console opens the password change before anything else */
  mustChangePassword: z.boolean().optional(),
  createdAt: z.string().optional(),
});
export type StaffView = z.infer<typeof staffViewSchema>;

/** The password policy, as rules a person reads; the schema below enforces the same. */
export const PASSWORD_MIN = 8;
export const passwordRules = [`至少 ${PASSWORD_MIN} 位`, '须同时包含字母和数字', '不能与用户名相同'] as const;
export const LOGIN_LIMIT = { max: 10, windowMs: 60_000 } as const;
export const loginLimitText = `同一网络每分钟最多尝试 ${LOGIN_LIMIT.max} 次登录，超过后需等待`;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `密码至少 ${PASSWORD_MIN} 位`)
  .max(200, '密码最多 200 位')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), '密码须同时包含字母和数字');

export const loginSchema = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(32),
  password: z.string().min(1, '请输入密码').max(200),
});

const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3–32 位字母、数字、_ . -');

export const createStaffSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    role: z.enum(roles),
    unitCode: z.string().max(40).optional(),
    displayName: line(40).optional(),
  })
  .refine((s) => s.role !== 'unit' || Boolean(s.unitCode), { message: '责任单位账号必须指定所属单位', path: ['unitCode'] })
  .refine((s) => s.password.toLowerCase() !== s.username.toLowerCase(), { message: '密码不能与用户名相同', path: ['password'] });
export type CreateStaff = z.infer<typeof createStaffSchema>;

export const staffSessionSchema = z.object({ token: z.string(), staff: staffViewSchema });

export const staffIdParams = z.object({ id: z.string().min(1).max(32) });

export const staffListQuery = z.object({
  q: line(40).optional(),
  role: z.enum(roles).optional(),
  unitCode: z.string().max(40).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  sort: z.enum(['username', 'displayName', 'role', 'unitCode', 'createdAt']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type StaffListQuery = z.infer<typeof staffListQuery>;
export const staffListSchema = z.object({ items: z.array(staffViewSchema), total: z.number(), page: z.number(), pageSize: z.number() });

/** An admin's edit: only the fields sent change; `unitCode: null` clears it (office/admin). */
export const updateStaffSchema = z
  .object({
    displayName: line(40).nullable().optional(),
    role: z.enum(roles).optional(),
    unitCode: z.string().max(40).nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((s) => Object.keys(s).length > 0, '没有要修改的内容');
export type UpdateStaff = z.infer<typeof updateStaffSchema>;

export const bulkStatusSchema = z.object({ ids: z.array(z.string().min(1).max(32)).min(1).max(200), disabled: z.boolean() });
export const bulkResultSchema = z.object({
  updated: z.array(z.string()),
  refused: z.array(z.object({ id: z.string(), message: z.string() })),
});

export const passwordResetSchema = z.object({ temporaryPassword: z.string(), mustChangePassword: z.literal(true) });

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, '请输入当前密码').max(200),
  newPassword: passwordSchema,
});
export type ChangePassword = z.infer<typeof changePasswordSchema>;

export const passwordPolicySchema = z.object({ minLength: z.number(), rules: z.array(z.string()), loginLimit: z.string() });
