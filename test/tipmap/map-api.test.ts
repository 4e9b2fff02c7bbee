import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../harness/app';
import { reportTipoff, residentSession, staffSession } from '../factories';
import { MapShape } from '../../src/modules/tipmap/tipmap.model';
import { syncMapShapes } from '../../src/modules/tipmap/tipmap.geo';

let app: TestApp;
let office: string;
beforeAll(async () => {
  app = await startTestApp();
  office = (await staffSession(app, 'office')).token;
});
afterAll(() => app.close());

// 柳岸社区 (东湖区) and 海晏社区 (南港区) centres, and a point near 文昌社区 (西岭区)
const LIUAN = { lat: 29.8731, lng: 121.5602 };
const HAIYAN = { lat: 29.8402, lng: 121.5831 };
const WENCHANG = { lat: 29.8689, lng: 121.5303 };

describe('the tip-off map API', () => {
  let openNoise: string;
  beforeAll(async () => {
    openNoise = await reportTipoff({ categoryCode: 'noise', ...WENCHANG, address: '文昌路 18 号', at: '2026-11-10T10:00:00+08:00' });
    await reportTipoff({ categoryCode: 'littering', ...LIUAN, at: '2026-11-11T10:00:00+08:00' });
    await reportTipoff({ categoryCode: 'littering', ...LIUAN, at: '2026-11-12T10:00:00+08:00', reject: true });
    await reportTipoff({ categoryCode: 'noise', ...HAIYAN, at: '2026-11-12T11:00:00+08:00', reject: true });
    await reportTipoff({ categoryCode: 'noise', ...HAIYAN, at: '2026-10-01T11:00:00+08:00', reject: true }); // before the period
    await reportTipoff({ categoryCode: 'littering', address: '只有地址没有坐标', at: '2026-11-13T09:00:00+08:00' });
    await app.flush();
  });

  const map = (query: string) => app.get(`/api/v1/tipoff-map?${query}`, { token: office });

  it('shows unfinished tip-offs one by one where they were reported, and finished ones per community at its centre', async () => {
    const res = await map('from=2026-11-01&to=2026-11-30');
    expect(res.status).toBe(200);
    expect(res.body.period).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    expect(res.body.points).toHaveLength(2);
    expect(res.body.points[0]).toMatchObject({ status: 'submitted', categoryName: '乱扔垃圾', lat: LIUAN.lat, lng: LIUAN.lng });
    expect(res.body.points[1]).toMatchObject({ id: openNoise, status: 'submitted', categoryName: '噪音扰民', place: '文昌路 18 号' });
    expect(res.body.openTotal).toBe(3);
    expect(res.body.communities.map((c: { name: string; total: number }) => [c.name, c.total]).sort()).toEqual([
      ['柳岸社区', 1],
      ['海晏社区', 1],
    ]);
    const liuan = res.body.communities.find((c: { name: string }) => c.name === '柳岸社区');
    expect(liuan).toMatchObject({ label: '东湖区 · 湖滨街道 · 柳岸社区', byStatus: [{ status: 'rejected', count: 1 }] });
    // the Open311 report with an address only cannot be placed
    expect(res.body.unplaced).toBe(1);
    expect(res.body.maxPoints).toBe(500);
  });

  it('filters by category and status, and by period', async () => {
    const noise = await map('from=2026-11-01&to=2026-11-30&category=noise');
    expect(noise.body.points.map((p: { id: string }) => p.id)).toEqual([openNoise]);
    expect(noise.body.communities.map((c: { name: string }) => c.name)).toEqual(['海晏社区']);
    const rejected = await map('from=2026-11-01&to=2026-11-30&status=rejected');
    expect(rejected.body.points).toEqual([]);
    expect(rejected.body.communities).toHaveLength(2);
    const submitted = await map('from=2026-11-01&to=2026-11-30&status=submitted');
    expect(submitted.body.communities).toEqual([]);
    expect(submitted.body.points).toHaveLength(2);
    const october = await map('period=month&date=2026-10-15');
    expect(october.body.points).toEqual([]);
    expect(october.body.communities.map((c: { name: string; total: number }) => [c.name, c.total])).toEqual([['海晏社区', 1]]);
  });

  it('refuses bad filters with a Chinese message, and anyone but the office', async () => {
    const bad = await map('status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await map('from=2026-11-30&to=2026-11-01')).body.error.message).toMatch(/开始日期不能晚于结束日期/);
    const unit = await staffSession(app, 'unit', 'cgj');
    expect((await app.get('/api/v1/tipoff-map', { token: unit.token })).status).toBe(403);
    const resident = await residentSession(app);
    expect((await app.get('/api/v1/tipoff-map', { token: resident.token })).status).toBe(403);
    expect((await app.get('/api/v1/tipoff-map/shapes')).status).toBe(401);
  });
});

describe('the map shapes from content/geo', () => {
  it("serves the demo city's district shapes, marked as 示意, named as in regions.yaml", async () => {
    const res = await app.get('/api/v1/tipoff-map/shapes', { token: office });
    expect(res.status).toBe(200);
    expect(res.body.shapes).toMatchObject({ regionCode: '3302', name: '明州市' });
    const features = res.body.shapes.geojson.features as { properties: { name: string; note: string } }[];
    expect(features.map((f) => f.properties.name).sort()).toEqual(['东湖区', '南港区', '西岭区'].sort());
    expect(features.every((f) => f.properties.note === '示意')).toBe(true);
  });

  it('rewrites the stored shapes only when the file changed', async () => {
    const before = await MapShape.findById('3302').lean();
    expect(await syncMapShapes()).toBe('map shapes: 1 (0 updated)');
    expect((await MapShape.findById('3302').lean())!.updatedAt).toEqual(before!.updatedAt);
  });

  it('names the file, the feature and the fix when a shape does not match regions.yaml', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-geo-'));
    fs.mkdirSync(path.join(dir, 'geo'));
    const square = [
      [
        [121.5, 29.85],
        [121.55, 29.85],
        [121.55, 29.9],
        [121.5, 29.85],
      ],
    ];
    const file = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: '330201', name: '东城区' }, geometry: { type: 'Polygon', coordinates: square } }],
    };
    fs.writeFileSync(path.join(dir, 'geo', '3302.geojson'), JSON.stringify(file));
    process.env.WM_CONTENT_DIR = dir;
    try {
      await expect(syncMapShapes()).rejects.toThrow(
        'content/geo/3302.geojson: features.0.properties.name: 应为“东湖区”（与 content/regions.yaml 一致）',
      );
      fs.writeFileSync(path.join(dir, 'geo', '9999.geojson'), JSON.stringify({ ...file, features: [] }));
      fs.rmSync(path.join(dir, 'geo', '3302.geojson'));
      await expect(syncMapShapes()).rejects.toThrow('content/geo/9999.geojson: features: 至少要有一个区域');
    } finally {
      delete process.env.WM_CONTENT_DIR;
    }
  });

  it('answers no shapes when content has none, so the page draws the community centres', async () => {
    await MapShape.deleteOne({ _id: '3302' });
    expect((await app.get('/api/v1/tipoff-map/shapes', { token: office })).body).toEqual({ shapes: null });
    await syncMapShapes();
    expect((await app.get('/api/v1/tipoff-map/shapes', { token: office })).body.shapes).not.toBeNull();
  });
});
