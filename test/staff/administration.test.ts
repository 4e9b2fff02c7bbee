import { setConfig } from '../../src/config';
import { resetRateLimits } from '../../src/core/http/rate-limit';
import { adminToken } from '../factories';
import { startTestApp, type TestApp } from '../harness/app';
import { makeStaff, PASSWORD } from './factories';

let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = await adminToken(app);
});
afterAll(async () => {
  await app.close();
});

describe('staff table', () => {
  it('searches by username or display name, filters by role, unit and status, sorts and pages', async () => {
    const a = await makeStaff(app, 'unit', { unitCode: 'cgj', displayName: '城管张三' });
    const b = await makeStaff(app, 'office', { displayName: '文明办李四' });
    await app.patch(`/api/v1/staff/accounts/${b.id}`, { disabled: true }, { token: admin });

    const byName = await app.get(`/api/v1/staff?q=${encodeURIComponent('张三')}`, { token: admin });
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((s: { id: string }) => s.id)).toEqual([a.id]);
    const byUsername = await app.get(`/api/v1/staff?q=${b.username.toUpperCase()}`, { token: admin });
    expect(byUsername.body.items.map((s: { id: string }) => s.id)).toEqual([b.id]);

    const units = await app.get('/api/v1/staff?role=unit&unitCode=cgj', { token: admin });
    expect(units.body.items.every((s: { role: string; unitCode: string }) => s.role === 'unit' && s.unitCode === 'cgj')).toBe(true);
    const disabled = await app.get('/api/v1/staff?status=disabled', { token: admin });
    expect(disabled.body.items.map((s: { id: string }) => s.id)).toContain(b.id);
    expect(disabled.body.items.every((s: { disabled: boolean }) => s.disabled)).toBe(true);

    const sorted = await app.get('/api/v1/staff?sort=username&order=asc&pageSize=2&page=1', { token: admin });
    expect(sorted.body).toMatchObject({ page: 1, pageSize: 2 });
    expect(sorted.body.items).toHaveLength(2);
    expect(sorted.body.total).toBeGreaterThanOrEqual(3);
    const names = sorted.body.items.map((s: { username: string }) => s.username);
    expect([...names].sort()).toEqual(names);
    // the list never carries a password hash
    expect(JSON.stringify(sorted.body)).not.toMatch(/passwordHash|argon2/);
  });

  it('is for admins only', async () => {
    const office = await makeStaff(app, 'office');
    expect((await app.get('/api/v1/staff', { token: office.token })).status).toBe(403);
    expect((await app.patch(`/api/v1/staff/accounts/${office.id}`, { displayName: 'x' }, { token: office.token })).status).toBe(403);
  });
});

describe('creating and editing accounts', () => {
  it('requires a unit account to name a known unit', async () => {
    const none = await app.post('/api/v1/staff', { username: 'nounit1', password: PASSWORD, role: 'unit' }, { token: admin });
    expect(none.status).toBe(400);
    expect(none.body.error.details[0]).toMatchObject({ path: 'unitCode', message: '责任单位账号必须指定所属单位' });
    const unknown = await app.post(
      '/api/v1/staff',
      { username: 'nounit2', password: PASSWORD, role: 'unit', unitCode: 'nope' },
      { token: admin },
    );
    expect(unknown.status).toBe(404);
  });

  it('applies the password policy in Chinese and publishes it', async () => {
    const weak = await app.post('/api/v1/staff', { username: 'weak1', password: 'abcdefgh', role: 'office' }, { token: admin });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toContain('密码须同时包含字母和数字');
    const same = await app.post('/api/v1/staff', { username: 'same12345', password: 'same12345', role: 'office' }, { token: admin });
    expect(same.body.error.message).toContain('密码不能与用户名相同');
    const policy = await app.get('/api/v1/staff/password-policy');
    expect(policy.body).toMatchObject({ minLength: 8, rules: ['至少 8 位', '须同时包含字母和数字', '不能与用户名相同'] });
    expect(policy.body.loginLimit).toContain('每分钟最多尝试 10 次登录');
  });

  it('edits the display name, role and unit, and the old session ends when the role changes', async () => {
    const s = await makeStaff(app, 'office');
    const renamed = await app.patch(`/api/v1/staff/accounts/${s.id}`, { displayName: '王五' }, { token: admin });
    expect(renamed.body).toMatchObject({ displayName: '王五', role: 'office' });
    // a rename keeps the session
    expect((await app.get('/api/v1/staff/me', { token: s.token })).status).toBe(200);

    const toUnit = await app.patch(`/api/v1/staff/accounts/${s.id}`, { role: 'unit' }, { token: admin });
    expect(toUnit.status).toBe(400);
    const moved = await app.patch(`/api/v1/staff/accounts/${s.id}`, { role: 'unit', unitCode: 'cgj' }, { token: admin });
    expect(moved.body).toMatchObject({ role: 'unit', unitCode: 'cgj' });
    expect((await app.get('/api/v1/staff/me', { token: s.token })).status).toBe(401);
    const again = await app.post('/api/v1/staff/sessions', { username: s.username, password: PASSWORD });
    expect(again.body.staff).toMatchObject({ role: 'unit', unitCode: 'cgj' });
  });
});

describe('disabling', () => {
  it('stops the login and every existing session, and enabling lets the account back in', async () => {
    const s = await makeStaff(app, 'office');
    expect((await app.get('/api/v1/staff/me', { token: s.token })).status).toBe(200);
    const off = await app.patch(`/api/v1/staff/accounts/${s.id}`, { disabled: true }, { token: admin });
    expect(off.body.disabled).toBe(true);
    expect((await app.get('/api/v1/staff/me', { token: s.token })).status).toBe(401);
    expect((await app.get('/api/v1/stats/participation', { token: s.token })).status).toBe(401);
    const login = await app.post('/api/v1/staff/sessions', { username: s.username, password: PASSWORD });
    expect(login.status).toBe(401);
    expect(login.body.error.message).toBe('用户名或密码错误');

    await app.patch(`/api/v1/staff/accounts/${s.id}`, { disabled: false }, { token: admin });
    expect((await app.post('/api/v1/staff/sessions', { username: s.username, password: PASSWORD })).status).toBe(201);
  });

  it('disables and enables in bulk, refusing the admin themselves with a reason', async () => {
    const a = await makeStaff(app, 'office');
    const b = await makeStaff(app, 'unit');
    const res = await app.post('/api/v1/staff/bulk-status', { ids: [a.id, b.id, 'root'], disabled: true }, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.updated.sort()).toEqual([a.id, b.id].sort());
    expect(res.body.refused).toEqual([{ id: 'root', message: '不能停用自己的账号' }]);
    const back = await app.post('/api/v1/staff/bulk-status', { ids: [a.id, b.id], disabled: false }, { token: admin });
    expect(back.body.updated).toHaveLength(2);
    const listed = await app.get(`/api/v1/staff?q=${a.username}`, { token: admin });
    expect(listed.body.items[0]).toMatchObject({ id: a.id, disabled: false });
  });
});

describe('protecting the admins', () => {
  it('refuses an admin disabling or demoting themselves', async () => {
    const self = await app.patch('/api/v1/staff/accounts/root', { disabled: true }, { token: admin });
    expect(self.status).toBe(409);
    expect(self.body.error).toMatchObject({ code: 'LAST_ADMIN', message: '不能停用自己的账号' });
    const demote = await app.patch('/api/v1/staff/accounts/root', { role: 'office' }, { token: admin });
    expect(demote.body.error.message).toBe('不能修改自己的管理员角色');
  });

  it('refuses disabling or demoting the last active admin, and allows it while another is active', async () => {
    // Through the API the acting admin is always active itself, so the rule is reached by a caller
    // of the service (another instance, a script) acting on root while root is the only admin.
    const { updateStaff } = await import('../../src/modules/staff/staff.service');
    const elsewhere = { kind: 'staff' as const, staffId: 'someone-else', username: 'someone-else', role: 'admin' as const };
    await expect(updateStaff(elsewhere, 'root', { role: 'office' })).rejects.toMatchObject({
      code: 'LAST_ADMIN',
      message: '这是最后一个可用的管理员账号，不能停用或改为其他角色',
    });
    await expect(updateStaff(elsewhere, 'root', { disabled: true })).rejects.toMatchObject({ code: 'LAST_ADMIN' });

    const second = await makeStaff(app, 'admin');
    const demoted = await app.patch(`/api/v1/staff/accounts/${second.id}`, { role: 'office' }, { token: admin });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('office');
  });
});

describe('password reset and change', () => {
  it('gives the admin a one-time temporary password and forces a change before anything else', async () => {
    const s = await makeStaff(app, 'office');
    const reset = await app.post(`/api/v1/staff/accounts/${s.id}/password-reset`, {}, { token: admin });
    expect(reset.status).toBe(201);
    const temp = reset.body.temporaryPassword as string;
    expect(temp).toMatch(/^[A-Za-z0-9]{12}$/);
    // the old session and password are gone
    expect((await app.get('/api/v1/staff/me', { token: s.token })).status).toBe(401);
    expect((await app.post('/api/v1/staff/sessions', { username: s.username, password: PASSWORD })).status).toBe(401);

    const login = await app.post('/api/v1/staff/sessions', { username: s.username, password: temp });
    expect(login.status).toBe(201);
    expect(login.body.staff.mustChangePassword).toBe(true);
    const token = login.body.token;
    expect((await app.get('/api/v1/staff/me', { token })).body.mustChangePassword).toBe(true);
    const refused = await app.get('/api/v1/stats/participation', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', message: '请先修改临时密码，再进行其他操作' });

    const changed = await app.request(
      'PUT',
      '/api/v1/staff/me/password',
      { currentPassword: temp, newPassword: 'new-pass-2026' },
      { token },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.staff.mustChangePassword).toBe(false);
    expect(changed.headers.get('set-cookie')).toMatch(/wm_session=/);
    // the temporary session ended; the new token works everywhere
    expect((await app.get('/api/v1/staff/me', { token })).status).toBe(401);
    expect((await app.get('/api/v1/stats/participation', { token: changed.body.token })).status).toBe(200);
    expect((await app.post('/api/v1/staff/sessions', { username: s.username, password: temp })).status).toBe(401);
    expect((await app.post('/api/v1/staff/sessions', { username: s.username, password: 'new-pass-2026' })).status).toBe(201);
  });

  it('lets anyone change their own password with the current one, under the policy', async () => {
    const s = await makeStaff(app, 'unit');
    const wrong = await app.request(
      'PUT',
      '/api/v1/staff/me/password',
      { currentPassword: 'nope-1234', newPassword: 'fresh-pass-1' },
      { token: s.token },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe('当前密码不正确');
    const weak = await app.request(
      'PUT',
      '/api/v1/staff/me/password',
      { currentPassword: PASSWORD, newPassword: 'short1' },
      { token: s.token },
    );
    expect(weak.body.error.message).toContain('密码至少 8 位');
    const same = await app.request(
      'PUT',
      '/api/v1/staff/me/password',
      { currentPassword: PASSWORD, newPassword: PASSWORD },
      { token: s.token },
    );
    expect(same.body.error.message).toBe('新密码不能与当前密码相同');
    const ok = await app.request(
      'PUT',
      '/api/v1/staff/me/password',
      { currentPassword: PASSWORD, newPassword: 'fresh-pass-1' },
      { token: s.token },
    );
    expect(ok.status).toBe(200);
  });
});

describe('documentation', () => {
  it('documents the staff administration and audit routes in OpenAPI', async () => {
    const doc = (await app.get('/api/v1/openapi.json')).body;
    for (const [p, m] of [
      ['/api/v1/staff', 'get'],
      ['/api/v1/staff/accounts/{id}', 'patch'],
      ['/api/v1/staff/accounts/{id}/password-reset', 'post'],
      ['/api/v1/staff/bulk-status', 'post'],
      ['/api/v1/staff/me/password', 'put'],
      ['/api/v1/staff/password-policy', 'get'],
      ['/api/v1/audit', 'get'],
      ['/api/v1/audit/export.csv', 'get'],
    ] as const)
      expect(doc.paths[p]?.[m]?.summary).toBeTruthy();
  });
});

describe('login rate limit', () => {
  afterEach(() => {
    setConfig({ RATE_LIMIT_SCALE: Number(process.env.RATE_LIMIT_SCALE ?? 1) });
    resetRateLimits();
  });

  it('says in Chinese how long to wait, with Retry-After in seconds', async () => {
    setConfig({ RATE_LIMIT_SCALE: 1 });
    resetRateLimits();
    let last = await app.post('/api/v1/staff/sessions', { username: 'nobody', password: 'x' });
    for (let i = 0; i < 10; i++) last = await app.post('/api/v1/staff/sessions', { username: 'nobody', password: 'x' });
    expect(last.status).toBe(429);
    const wait = Number(last.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(last.body.error.code).toBe('RATE_LIMITED');
    expect(last.body.error.message).toMatch(/^登录尝试过多，请 (\d+ 秒|1 分钟)后再试$/);
    expect(last.body.error.details).toEqual({ retryAfterSeconds: wait });
  });
});
