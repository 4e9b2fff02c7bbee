import { setConfig } from '../../src/config';
import { logger } from '../../src/core/logger';
import { flushAudit } from '../../src/modules/audit';
import { auditJobs } from '../../src/modules/audit/audit.jobs';
import { maskFields } from '../../src/modules/audit/audit.mask';
import { AuditEntry } from '../../src/modules/audit/audit.model';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { adminToken, residentSession } from '../factories';
import { startTestApp, type TestApp } from '../harness/app';
import { makeStaff } from '../staff/factories';

let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = await adminToken(app);
});
afterAll(async () => {
  await app.close();
});

async function auditOf(query: string): Promise<any[]> {
  await flushAudit();
  const res = await app.get(`/api/v1/audit?${query}`, { token: admin });
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('recording staff writes', () => {
  it('records who, role, unit, the action label, the object, masked fields, status and request id', async () => {
    const unit = await makeStaff(app, 'unit', { unitCode: 'cgj' });
    const res = await app.patch(
      `/api/v1/staff/accounts/${unit.id}`,
      { displayName: '赵六' },
      { token: admin, headers: { 'x-request-id': 'audit-test-0001' } },
    );
    expect(res.status).toBe(200);
    const [entry] = await auditOf('q=' + encodeURIComponent(unit.id) + '&username=root');
    expect(entry).toBeUndefined(); // q matches the action or path, not the object
    const items = await auditOf('username=root&q=' + encodeURIComponent('修改账号'));
    const mine = items.find((e) => e.target.id === unit.id);
    expect(mine).toMatchObject({
      username: 'root',
      role: 'admin',
      method: 'PATCH',
      path: '/api/v1/staff/accounts/:id',
      action: '修改账号（姓名、角色、单位、停用/启用）',
      target: { id: unit.id },
      changes: { displayName: '赵六' },
      before: { displayName: null, role: 'unit', unitCode: 'cgj', disabled: false },
      status: 200,
      requestId: 'audit-test-0001',
    });
    expect(mine.id.startsWith(mine.at)).toBe(true);
  });

  it('never keeps a password, records the unit and a refused write with its status', async () => {
    const unit = await makeStaff(app, 'unit', { unitCode: 'cgj' });
    const refused = await app.post(
      '/api/v1/staff',
      { username: 'sneaky1', password: 'secret-pass-1', role: 'admin' },
      { token: unit.token },
    );
    expect(refused.status).toBe(403);
    const [entry] = await auditOf(`username=${unit.username}`);
    expect(entry).toMatchObject({
      role: 'unit',
      unitCode: 'cgj',
      method: 'POST',
      path: '/api/v1/staff',
      status: 403,
      changes: { username: 'sneaky1', password: '（已隐藏）', role: 'admin' },
    });
    const raw = JSON.stringify(await AuditEntry.find().lean());
    expect(raw).not.toContain('secret-pass-1');
    expect(raw).not.toContain('password-123');
  });

  it('records the temporary password reset without the password, and ignores resident writes and reads', async () => {
    const s = await makeStaff(app, 'office');
    const reset = await app.post(`/api/v1/staff/accounts/${s.id}/password-reset`, {}, { token: admin });
    const [entry] = (await auditOf('q=' + encodeURIComponent('重置密码'))).filter((e) => e.target.id === s.id);
    expect(entry).toMatchObject({ action: '重置密码（一次性临时密码）', status: 201 });
    expect(JSON.stringify(await AuditEntry.find().lean())).not.toContain(reset.body.temporaryPassword);

    const resident = await residentSession(app);
    const before = await AuditEntry.countDocuments();
    await app.patch('/api/v1/me', { nickname: '居民甲' }, { token: resident.token });
    await app.get('/api/v1/staff', { token: admin });
    await flushAudit();
    expect(await AuditEntry.countDocuments()).toBe(before);
  });

  it('masks phone and ID numbers in any field and cuts long texts', () => {
    const masked = maskFields({
      phone: '13812345678',
      contact: '13912345678',
      idNumber: '110101199003071234',
      note: 'x'.repeat(300),
      nested: { mobile: '13700000000', token: 'abc' },
    });
    expect(masked).toEqual({
      phone: '138****5678',
      contact: '139****5678',
      idNumber: '1101**********1234',
      note: `${'x'.repeat(120)}…（共 300 字）`,
      nested: { mobile: '137****0000', token: '（已隐藏）' },
    });
  });

  it('never fails the request when the audit write fails, and logs it at error level', async () => {
    const insert = jest.spyOn(AuditEntry.collection, 'insertOne').mockRejectedValueOnce(new Error('disk full'));
    const logged = jest.spyOn(logger, 'error');
    try {
      const res = await app.post(
        '/api/v1/staff',
        { username: `audfail${Date.now().toString(36)}`, password: 'password-123', role: 'office' },
        { token: admin },
      );
      expect(res.status).toBe(201);
      await flushAudit();
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ path: '/api/v1/staff' }), 'audit write failed');
    } finally {
      insert.mockRestore();
      logged.mockRestore();
    }
  });
});

describe('reading the log', () => {
  it('filters by role and date range, pages newest first, and is for admins only', async () => {
    const office = await makeStaff(app, 'office');
    expect((await app.get('/api/v1/audit', { token: office.token })).status).toBe(403);
    const all = await auditOf('pageSize=2&page=1');
    expect(all).toHaveLength(2);
    expect(all[0].id > all[1].id).toBe(true);
    const unitsOnly = await auditOf('role=unit');
    expect(unitsOnly.length).toBeGreaterThan(0);
    expect(unitsOnly.every((e) => e.role === 'unit')).toBe(true);
    expect(await auditOf('from=2020-01-01&to=2020-01-31')).toEqual([]);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await auditOf(`from=${today}&to=${today}`)).length).toBeGreaterThan(0);
  });

  it('exports the filtered log as CSV for Excel', async () => {
    await flushAudit();
    const res = await app.get('/api/v1/audit/export.csv?username=root', { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('操作日志'));
    const text = res.body as string;
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('时间,用户名,角色,单位,操作,方法,路径,对象,修改前,内容,结果,请求编号');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.split(',')[1] === 'root')).toBe(true);
  });
});

describe('retention', () => {
  it('deletes entries older than AUDIT_RETENTION_DAYS and keeps the rest', async () => {
    setConfig({ AUDIT_RETENTION_DAYS: 30 });
    const base = { staffId: 'root', username: 'root', role: 'admin', method: 'POST', path: '/x', action: '测试', status: 200 };
    const old = new Date(Date.now() - 31 * 86_400_000);
    const recent = new Date(Date.now() - 29 * 86_400_000);
    await AuditEntry.create([
      { ...base, _id: `${old.toISOString()}-aaaa0001`, at: old },
      { ...base, _id: `${recent.toISOString()}-aaaa0002`, at: recent },
    ]);
    const run = await createJobRunner({ jobs: auditJobs, instanceId: 't' }).runOccurrence('audit.retention', new Date());
    expect(run?.counts).toMatchObject({ auditEntriesDeleted: 1 });
    expect(await AuditEntry.findById(`${old.toISOString()}-aaaa0001`).lean()).toBeNull();
    expect(await AuditEntry.findById(`${recent.toISOString()}-aaaa0002`).lean()).not.toBeNull();
    setConfig({ AUDIT_RETENTION_DAYS: 180 });
  });
});
