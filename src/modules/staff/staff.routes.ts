import Router from '@koa/router';
import { registerStaffGate, roles, setSessionCookie, signToken, staffOf } from '../../core/auth';
import { route } from '../../core/http/route';
import { staffGate } from './staff.gate';
import {
  bulkResultSchema,
  bulkStatusSchema,
  changePasswordSchema,
  createStaffSchema,
  LOGIN_LIMIT,
  loginLimitText,
  loginSchema,
  PASSWORD_MIN,
  passwordPolicySchema,
  passwordResetSchema,
  passwordRules,
  staffIdParams,
  staffListQuery,
  staffListSchema,
  staffSessionSchema,
  staffViewSchema,
  updateStaffSchema,
} from './staff.schema';
import {
  authenticateStaff,
  changeOwnPassword,
  createStaff,
  getStaff,
  listStaff,
  presentStaff,
  principalOf,
  resetPassword,
  setStaffDisabled,
  updateStaff,
} from './staff.service';

registerStaffGate(staffGate);

export const staffRouter = new Router({ prefix: '/api/v1' });

route(
  staffRouter,
  {
    method: 'post',
    path: '/staff/sessions',
    summary: '工作人员登录',
    tags: ['staff'],
    access: 'public',
    body: loginSchema,
    response: staffSessionSchema,
    status: 201,
    errors: [401],
    rateLimit: { name: 'staff-login', ...LOGIN_LIMIT, by: 'ip', message: (wait) => `登录尝试过多，请 ${wait}后再试` },
  },
  async ({ ctx, body }) => {
    const staff = await authenticateStaff(body.username, body.password, ctx.ip);
    const principal = principalOf(staff);
    const token = signToken(principal);
    setSessionCookie(ctx, token, principal);
    return { token, staff: presentStaff(staff) };
  },
);

route(
  staffRouter,
  {
    method: 'get',
    path: '/staff/password-policy',
    summary: '密码规则与登录限制',
    tags: ['staff'],
    access: 'public',
    response: passwordPolicySchema,
  },
  () => ({ minLength: PASSWORD_MIN, rules: [...passwordRules], loginLimit: loginLimitText }),
);

route(
  staffRouter,
  {
    method: 'post',
    path: '/staff',
    summary: '新建工作人员账号',
    tags: ['staff'],
    access: ['admin'],
    body: createStaffSchema,
    response: staffViewSchema,
    status: 201,
    errors: [404],
  },
  async ({ body }) => presentStaff(await createStaff(body)),
);

route(
  staffRouter,
  {
    method: 'get',
    path: '/staff',
    summary: '工作人员列表（搜索、筛选、排序、分页）',
    tags: ['staff'],
    access: ['admin'],
    query: staffListQuery,
    response: staffListSchema,
  },
  async ({ query }) => {
    const { items, total } = await listStaff(query);
    return { items: items.map(presentStaff), total, page: query.page, pageSize: query.pageSize };
  },
);

// Every staff role, the 调查员 too (their own account); 'staff' access is the console's and excludes them.
route(
  staffRouter,
  {
    method: 'get',
    path: '/staff/me',
    summary: '当前工作人员',
    tags: ['staff'],
    access: roles,
    response: staffViewSchema,
    beforePasswordChange: true,
  },
  async ({ auth }) => presentStaff(await getStaff(staffOf(auth).staffId)),
);

route(
  staffRouter,
  {
    method: 'put',
    path: '/staff/me/password',
    summary: '修改本人密码',
    tags: ['staff'],
    access: roles,
    body: changePasswordSchema,
    response: staffSessionSchema,
    beforePasswordChange: true,
  },
  async ({ auth, body, ctx }) => {
    const staff = await changeOwnPassword(staffOf(auth).staffId, body);
    // The change ends every older session; this one goes on with a fresh token.
    const principal = principalOf(staff);
    const token = signToken(principal);
    setSessionCookie(ctx, token, principal);
    ctx.state.auth = principal;
    return { token, staff: presentStaff(staff) };
  },
);

route(
  staffRouter,
  {
    method: 'post',
    path: '/staff/bulk-status',
    summary: '批量停用或启用账号',
    tags: ['staff'],
    access: ['admin'],
    body: bulkStatusSchema,
    response: bulkResultSchema,
  },
  async ({ auth, body }) => setStaffDisabled(staffOf(auth), body.ids, body.disabled),
);

// No GET /staff/:id: it would shadow GET /staff/notices (the notices module mounts after this one).
route(
  staffRouter,
  {
    method: 'patch',
    path: '/staff/accounts/:id',
    summary: '修改账号（姓名、角色、单位、停用/启用）',
    tags: ['staff'],
    access: ['admin'],
    params: staffIdParams,
    body: updateStaffSchema,
    response: staffViewSchema,
  },
  async ({ auth, params, body, ctx }) => {
    // The audit log shows before → after for the fields an edit may change.
    const before = await getStaff(params.id);
    ctx.state.auditBefore = {
      displayName: before.displayName,
      role: before.role,
      unitCode: before.unitCode,
      disabled: Boolean(before.disabled),
    };
    return presentStaff(await updateStaff(staffOf(auth), params.id, body));
  },
);

route(
  staffRouter,
  {
    method: 'post',
    path: '/staff/accounts/:id/password-reset',
    summary: '重置密码（一次性临时密码）',
    tags: ['staff'],
    access: ['admin'],
    params: staffIdParams,
    response: passwordResetSchema,
    status: 201,
  },
  async ({ params }) => ({ temporaryPassword: await resetPassword(params.id), mustChangePassword: true as const }),
);
