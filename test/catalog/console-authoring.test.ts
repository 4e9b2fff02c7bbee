import { startTestApp, type TestApp } from '../harness/app';
import { COMMUNITIES, residentSession, staffSession } from '../factories';
import { submitTipoff } from '../tipoffs/factories';
import { syncContent } from '../../src/bootstrap';
import { logger } from '../../src/core/logger';
import { flushAudit } from '../../src/modules/audit';
import { Region } from '../../src/modules/regions/regions.model';

let app: TestApp;
let office: string;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  office = (await staffSession(app, 'office')).token;
  admin = (await staffSession(app, 'admin')).token;
});
afterAll(() => app.close());

const categories = async (all = false) =>
  (await app.get(`/api/v1/tipoff-categories${all ? '?includeDisabled=true' : ''}`, { token: office })).body as Array<Record<string, any>>;
const units = async (all = false) =>
  (await app.get(`/api/v1/units${all ? '?includeDisabled=true' : ''}`, { token: office })).body as Array<Record<string, any>>;

describe('units (责任单位) in the console', () => {
  it('creates, renames and disables a unit; a taken code is refused; it all survives content sync', async () => {
    const created = await app.post('/api/v1/units', { code: 'wgb', name: '市网格化管理中心' }, { token: office });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'wgb', origin: 'console', disabled: false });
    const taken = await app.post('/api/v1/units', { code: 'cgj', name: '重复' }, { token: office });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toContain('已被使用');
    // a unit from the file, renamed in the console
    expect((await app.patch('/api/v1/units/hwc', { name: '市环卫中心（更名）' }, { token: office })).status).toBe(200);
    expect((await app.patch('/api/v1/units/wgb', { disabled: true }, { token: office })).body.disabled).toBe(true);

    await syncContent();
    const all = await units(true);
    expect(all.find((u) => u.code === 'hwc')).toMatchObject({ name: '市环卫中心（更名）', origin: 'console' });
    expect(all.find((u) => u.code === 'wgb')).toMatchObject({ disabled: true });
    expect((await units()).some((u) => u.code === 'wgb')).toBe(false);
    // a disabled unit takes no new work
    const account = await app.post(
      '/api/v1/staff',
      { username: 'wgb_user', password: 'password-123', role: 'unit', unitCode: 'wgb' },
      { token: admin },
    );
    expect(account.status).toBe(400);
    expect(account.body.error.message).toContain('已停用');
  });

  it('refuses to disable a unit still the default of a category, naming the categories', async () => {
    const res = await app.patch('/api/v1/units/jjd', { disabled: true }, { token: office });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/乱停乱放.*请先为这些类别换一个单位/);
  });

  it('is closed to units and residents', async () => {
    const unit = await staffSession(app, 'unit', 'cgj');
    expect((await app.post('/api/v1/units', { code: 'xx', name: '某单位' }, { token: unit.token })).status).toBe(403);
  });
});

describe('tip-off categories in the console', () => {
  it('creates one with its deadlines and default unit, edits and disables another; content sync keeps both', async () => {
    const created = await app.post(
      '/api/v1/tipoff-categories',
      { code: 'shared-bikes', name: '共享单车乱停', unitCode: 'jjd', deadlineHours: 24, acceptHours: 4 },
      { token: office },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'shared-bikes', acceptHours: 4, deadlineHours: 24, origin: 'console' });
    const bad = await app.post(
      '/api/v1/tipoff-categories',
      { code: 'x-y', name: '某类', unitCode: 'nope', deadlineHours: 0 },
      { token: office },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { message: string }) => d.message)).toContain('处置时限至少 1 小时');

    const edited = await app.patch(
      '/api/v1/tipoff-categories/noise',
      { deadlineHours: 12, acceptHours: 2, unitCode: 'gaj' },
      { token: office },
    );
    expect(edited.status).toBe(200);
    expect((await app.patch('/api/v1/tipoff-categories/spitting', { disabled: true }, { token: office })).status).toBe(200);

    const info = jest.spyOn(logger, 'info');
    await syncContent();
    const skipped = info.mock.calls.map((c) => c[1]).filter((m) => typeof m === 'string' && m.includes("the file's version was skipped"));
    info.mockRestore();
    expect(skipped).toEqual(
      expect.arrayContaining(["content/tipoff-categories.yaml: noise was edited in the console; the file's version was skipped"]),
    );
    const all = await categories(true);
    expect(all.find((c) => c.code === 'noise')).toMatchObject({ deadlineHours: 12, acceptHours: 2, unitCode: 'gaj', origin: 'console' });
    expect(all.find((c) => c.code === 'shared-bikes')).toMatchObject({ name: '共享单车乱停' });
    expect(all.find((c) => c.code === 'littering')).toMatchObject({ origin: 'content', deadlineHours: 24 });
    const residentsSee = (await app.get('/api/v1/tipoff-categories')).body.map((c: { code: string }) => c.code);
    expect(residentsSee).toContain('shared-bikes');
    expect(residentsSee).not.toContain('spitting');
    const resident = await residentSession(app);
    const filed = await submitTipoff(app, resident.token, { categoryCode: 'spitting' });
    expect(filed.status).toBe(400);
    expect(filed.body.error.message).toBe('问题类别「随地吐痰」已停用，请选择其他类别');

    await flushAudit();
    const audit = await app.get(`/api/v1/audit?q=${encodeURIComponent('问题类别')}`, { token: admin });
    const noise = audit.body.items.find((e: { action: string; target: { code?: string } }) => e.target.code === 'noise');
    expect(noise).toMatchObject({ action: '修改或停用随手拍问题类别', changes: { deadlineHours: 12 }, before: { deadlineHours: 48 } });
  });
});

describe('region populations from a census file', () => {
  const upload = (csv: string) => {
    const form = new FormData();
    form.append('file', new Blob([csv]), 'census.csv');
    return app.request('POST', '/api/v1/regions/populations:import', undefined, { token: office, raw: form });
  };
  const population = async (code: string) =>
    (await app.get('/api/v1/regions/populations', { token: office })).body.find((r: { code: string }) => r.code === code);

  it('reports every bad row (row, column, reason) and applies nothing', async () => {
    const before = await population(COMMUNITIES[0]);
    const csv = [
      '区划代码,名称,常住人口,户数',
      `${COMMUNITIES[0]},,9999,`,
      '330201001,,5000,',
      `${COMMUNITIES[1]},,十二万,`,
      '999999999999,,100,',
      `${COMMUNITIES[2]},,300,400`,
    ].join('\n');
    const res = await upload(csv);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/共 4 处错误，未更新任何人口数据/);
    expect(res.body.error.details.map((d: { row: number; column: string }) => [d.row, d.column])).toEqual([
      [3, '区划代码'],
      [4, '常住人口'],
      [5, '区划代码'],
      [6, '户数'],
    ]);
    expect(res.body.error.details[0].message).toContain('只导入社区的人口');
    expect((await population(COMMUNITIES[0])).population).toBe(before.population);
  });

  it('applies a clean file, feeds the region tree, and keeps the figures through content sync', async () => {
    const res = await upload(`区划代码,名称,常住人口,户数\n${COMMUNITIES[0]},柳岸社区,"12,345",4100\n`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 1, updated: 1, unchanged: 0 });
    expect(await population(COMMUNITIES[0])).toMatchObject({ population: 12345, households: 4100, origin: 'console' });
    await syncContent();
    expect(await Region.findById(COMMUNITIES[0]).lean()).toMatchObject({ population: 12345 });
    const tree = (await app.get('/api/v1/regions')).body;
    const find = (nodes: any[]): any => nodes.flatMap((n) => (n.code === COMMUNITIES[0] ? [n] : find(n.children)))[0];
    expect(find(tree).population).toBe(12345);
    // the statistics read it at once: the sample monitor's population and margin of error
    const monitor = await app.get(`/api/v1/stats/sample-monitor?region=${COMMUNITIES[0]}`, { token: office });
    expect(monitor.status).toBe(200);
    expect(monitor.body.items.find((i: { code: string }) => i.code === COMMUNITIES[0]).population).toBe(12345);
  });

  it('exports every community as a template the import takes back', async () => {
    const res = await app.get('/api/v1/regions/populations:export', { token: office });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = String(res.body);
    expect(text.split('\r\n')[0]).toContain('区划代码,名称,常住人口,户数');
    expect((await upload(text)).status).toBe(200);
  });
});
