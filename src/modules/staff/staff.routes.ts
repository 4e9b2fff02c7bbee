import Router from '@koa/router';
import { z } from 'zod';
import { setSessionCookie, signToken, staffOf, type Principal } from '../../core/auth';
import { route } from '../../core/http/route';
import { createStaffSchema, loginSchema, staffSessionSchema, staffViewSchema } from './staff.schema';
import { authenticateStaff, createStaff, listStaff, presentStaff } from './staff.service';

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
    rateLimit: { name: 'staff-login', max: 10, windowMs: 60_000, by: 'ip' },
  },
  async ({ ctx, body }) => {
    const staff = await authenticateStaff(body.username, body.password, ctx.ip);
    const principal: Principal = { kind: 'staff', staffId: staff._id, username: staff.username, role: staff.role, ...(staff.unitCode ? { unitCode: staff.unitCode } : {}) };
    const token = signToken(principal);
    setSessionCookie(ctx, token, principal);
    return { token, staff: presentStaff(staff) };
  },
);

route(staffRouter, { method: 'post', path: '/staff', summary: '新建工作人员账号', tags: ['staff'], access: ['admin'], body: createStaffSchema, response: staffViewSchema, status: 201, errors: [404] }, async ({ body }) =>
  presentStaff(await createStaff(body)),
);

route(staffRouter, { method: 'get', path: '/staff', summary: '工作人员列表', tags: ['staff'], access: ['admin'], response: z.object({ items: z.array(staffViewSchema) }) }, async () => ({
  items: (await listStaff()).map(presentStaff),
}));

route(staffRouter, { method: 'get', path: '/staff/me', summary: '当前工作人员', tags: ['staff'], access: 'staff', response: staffViewSchema }, ({ auth }) => {
  const s = staffOf(auth);
  return { id: s.staffId, username: s.username, role: s.role, ...(s.unitCode ? { unitCode: s.unitCode } : {}) };
});
