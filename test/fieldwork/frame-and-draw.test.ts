import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import type { TestApp } from '../harness/app';
import { COMMUNITIES, staffSession } from '../factories';
import { systematic } from '../../src/modules/fieldwork/fieldwork.draw';
import { assign, draw, enumerator, frameCsv, sampledSurvey, startFramedApp, upload } from './factories';

let app: TestApp;
let office: string;
beforeAll(async () => ({ app, office } = await startFramedApp()));
afterAll(() => app.close());

describe('the household frame', () => {
  it('imports good rows of a CSV and lists every bad row with its column and reason', async () => {
    const csv = [
      '社区编码或名称,楼栋,单元,户/室,备注',
      `${COMMUNITIES[2]},7,1,101,`,
      `文昌,9,2,302,东侧`, // by name (社区 may be left out)
      `999999999999,1,1,101,`,
      `${COMMUNITIES[2]},,1,102,`,
      `${COMMUNITIES[2]},7,1,,`,
      `330201001,1,1,101,`, // a street
      `${COMMUNITIES[2]},7,1,101,`, // the same household as row 2
    ].join('\n');
    const res = await upload(app, office, csv);
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(2);
    expect(res.body.rejected).toEqual([
      { row: 4, field: '社区编码或名称', message: expect.stringContaining('没有编码或名称为「999999999999」的社区') },
      { row: 5, field: '楼栋', message: '请填写楼栋' },
      { row: 6, field: '户/室', message: '请填写户号或室号' },
      { row: 7, field: '社区编码或名称', message: expect.stringContaining('不是社区') },
      { row: 8, field: '户/室', message: '与第 2 行是同一户' },
    ]);
    const again = await upload(app, office, csv.split('\n').slice(0, 3).join('\n'));
    expect(again.body).toEqual({ imported: 0, unchanged: 2, rejected: [] });
  });

  it('imports an XLSX file with the same per-row error table', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('住户');
    ws.addRow(['社区编码', '楼栋', '单元', '户/室', '备注']);
    ws.addRow([COMMUNITIES[3], '12号楼', '3单元', '1201', '']);
    ws.addRow([COMMUNITIES[3], 12, 3, 1202, '']);
    ws.addRow([COMMUNITIES[3], '12', '3', '一二零三室这个房号写得实在是太长太长了超过二十个字', '']);
    const res = await upload(app, office, Buffer.from(await wb.xlsx.writeBuffer()), 'households.xlsx');
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(2);
    expect(res.body.rejected).toEqual([{ row: 4, field: '户/室', message: expect.stringContaining('太长') }]);
  });

  it('refuses a file without the required columns, naming them', async () => {
    const res = await upload(app, office, '社区,楼栋\n望湖社区,1\n');
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(0);
    expect(res.body.rejected).toEqual([{ row: 1, field: '户/室', message: '缺少「户/室」这一列（表头）' }]);
  });

  it('lists households with masked addresses and counts per community, never the room', async () => {
    const res = await app.get(`/api/v1/fieldwork/households?regionCode=${COMMUNITIES[0]}&pageSize=500`, { token: office });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(40);
    expect(res.body.byCommunity).toEqual([{ regionCode: COMMUNITIES[0], name: '柳岸社区', households: 40 }]);
    expect(res.body.items[0].address).toMatch(/^\d栋\d单元\*\*\*$/);
    expect(JSON.stringify(res.body)).not.toMatch(/\d0\d室/);
    // At rest too: the stored household holds the address sealed, the masked label only in clear.
    const stored = await mongoose.connection.db!.collection('fieldwork_households').findOne({ regionCode: COMMUNITIES[0] });
    expect(JSON.stringify(stored)).not.toMatch(/"(building|room)"/);
    expect(stored!.masked).toMatch(/^\d栋\d单元\*\*\*$/);
  });
});

describe('systematic sampling with a random start', () => {
  it('takes floor(r + i·k) with k = N / n (the worked example of docs/fieldwork.md)', () => {
    // N = 20, n = 5: k = 4; u = 0.65 → r = 2.6 → positions 2, 6, 10, 14, 18 (0-based).
    expect(systematic(20, 5, 0.65)).toEqual({ positions: [2, 6, 10, 14, 18], interval: 4, start: 2.6 });
    // A fractional interval: N = 10, n = 4, k = 2.5, r = 0.5·2.5 = 1.25 → 1, 3, 6, 8.
    expect(systematic(10, 4, 0.5).positions).toEqual([1, 3, 6, 8]);
    expect(systematic(3, 5, 0.3).positions).toEqual([0, 1, 2]);
  });

  it('gives every position probability n / N over the random start', () => {
    const N = 13;
    const n = 4;
    const hits = new Array(N).fill(0);
    const steps = 13_000;
    for (let i = 0; i < steps; i++) for (const p of systematic(N, n, (i + 0.5) / steps).positions) hits[p]++;
    for (const h of hits) expect(h / steps).toBeCloseTo(n / N, 3);
  });
});

describe('the draw', () => {
  it('draws the target per community with as many reserves, and the same seed draws the same households', async () => {
    const surveyId = await sampledSurvey(app, office);
    const first = await app.post(`/api/v1/surveys/${surveyId}/fieldwork/draws`, { seed: 'seed-42' }, { token: office });
    expect(first.status).toBe(201);
    const items = first.body.items as Array<{
      regionCode: string;
      seed: string;
      frameSize: number;
      sampleSize: number;
      reserveSize: number;
      interval: number;
      households: Array<{ id: string; role: string; position: number; address: string }>;
    }>;
    expect(items.map((d) => [d.regionCode, d.frameSize, d.sampleSize, d.reserveSize, d.seed])).toEqual([
      [COMMUNITIES[0], 40, 4, 4, 'seed-42'],
      [COMMUNITIES[1], 30, 3, 3, 'seed-42'],
    ]);
    const a = items[0]!;
    expect(a.interval).toBe(10);
    const sample = a.households.filter((h) => h.role === 'sample').map((h) => h.position);
    // One per interval of 10, at the same offset in each.
    expect(sample.map((p) => Math.floor((p - 1) / 10))).toEqual([0, 1, 2, 3]);
    expect(new Set(sample.map((p) => (p - 1) % 10)).size).toBe(1);
    const ids = a.households.map((h) => h.id);
    expect(new Set(ids).size).toBe(8); // reserves are other households than the sample
    for (const h of a.households) expect(h.address).toMatch(/\*\*\*$/);

    // Same seed, same frame → same households, in another survey too.
    const other = await sampledSurvey(app, office);
    const again = await draw(app, office, other, { seed: 'seed-42' });
    expect(again.map((h) => [h.id, h.role])).toEqual(items.flatMap((d) => d.households.map((h) => [h.id, h.role])));
    const listed = await app.get(`/api/v1/surveys/${surveyId}/fieldwork/draws`, { token: office });
    expect(listed.body.items.map((d: { seed: string }) => d.seed)).toEqual(['seed-42', 'seed-42']);
  });

  it('records a generated seed when none is given, and keeps the draw once households are assigned', async () => {
    const surveyId = await sampledSurvey(app, office);
    const res = await app.post(`/api/v1/surveys/${surveyId}/fieldwork/draws`, {}, { token: office });
    expect(res.status).toBe(201);
    expect(res.body.items[0].seed).toMatch(/^[0-9a-f]{16}$/);
    const e = await enumerator(app);
    await assign(app, office, surveyId, { enumeratorId: e.id, regionCode: COMMUNITIES[0] });
    const redraw = await app.post(
      `/api/v1/surveys/${surveyId}/fieldwork/draws`,
      { seed: 'x', regionCodes: [COMMUNITIES[0]] },
      { token: office },
    );
    expect(redraw.status).toBe(409);
    expect(redraw.body.error.message).toContain('已分派调查员');
  });

  it('skips a community without households or target and says why', async () => {
    const surveyId = await sampledSurvey(app, office, { targets: { [COMMUNITIES[0]]: 2, '330201001003': 5 } });
    const res = await app.post(`/api/v1/surveys/${surveyId}/fieldwork/draws`, { seed: 's' }, { token: office });
    expect(res.status).toBe(201);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.skipped).toEqual([{ regionCode: '330201001003', message: expect.stringContaining('还没有导入住户清单') }]);
  });
});

describe('the frame is personal data', () => {
  it('is not readable by an enumerator or a unit', async () => {
    const e = await enumerator(app);
    const unit = await staffSession(app, 'unit', 'hwc');
    expect((await app.get('/api/v1/fieldwork/households', { token: e.token })).status).toBe(403);
    expect((await app.get('/api/v1/fieldwork/households', { token: unit.token })).status).toBe(403);
    expect((await upload(app, e.token, frameCsv(COMMUNITIES[0], 1, 1, 1))).status).toBe(403);
  });
});
