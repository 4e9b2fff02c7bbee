import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { logger } from '../../src/core/logger';
import { submitOk, transition, uploadPhoto } from './factories';

let app: TestApp;
let office: { token: string };
let admin: { token: string };
let hwc: { token: string };
beforeAll(async () => {
  app = await startTestApp();
  office = await staffSession(app, 'office');
  admin = await staffSession(app, 'admin');
  hwc = await staffSession(app, 'unit', 'hwc');
});
afterAll(() => app.close());

/** Every staff-facing response about the tip-off, through every endpoint that shows it. */
async function staffResponses(id: string): Promise<Array<{ who: string; status: number; text: string }>> {
  const out: Array<{ who: string; status: number; text: string }> = [];
  for (const [who, s] of [
    ['office', office],
    ['admin', admin],
    ['unit', hwc],
  ] as const) {
    for (const path of [
      `/api/v1/tipoffs/${id}`,
      '/api/v1/tipoffs',
      '/api/v1/tipoffs?status=assigned',
      '/api/v1/tipoffs?status=rectified',
      '/api/v1/tipoffs?status=open',
      '/api/v1/tipoffs?sort=deadline',
    ]) {
      const res = await app.get(path, { token: s.token });
      out.push({ who, status: res.status, text: JSON.stringify(res.body) });
    }
  }
  for (const path of [`/open311/v2/requests/${id}.json`, `/open311/v2/requests/${id}.xml`, '/open311/v2/requests.json']) {
    const res = await fetch(app.baseUrl + path);
    out.push({ who: 'open311', status: res.status, text: await res.text() });
  }
  return out;
}

describe('an anonymous tip-off', () => {
  it('shows its reporter in no staff response, at any stage, through any endpoint', async () => {
    const r = await residentSession(app, { nickname: '匿名测试人甲' });
    const t = await submitOk(app, r.token, { anonymous: true });
    await transition(app, office.token, t.id, { action: 'accept', note: '已受理' });
    await transition(app, hwc.token, t.id, { action: 'rectify', photos: [await uploadPhoto(app, hwc.token)] });
    const responses = await staffResponses(t.id);
    expect(responses.filter((x) => x.text.includes(t.id)).length).toBeGreaterThanOrEqual(15);
    for (const res of responses) {
      expect(res.text).not.toContain(r.id);
      expect(res.text).not.toContain('匿名测试人甲');
    }
    const asOffice = (await app.get(`/api/v1/tipoffs/${t.id}`, { token: office.token })).body;
    expect(asOffice).toMatchObject({ anonymous: true, reporter: null });
    expect(asOffice.history[0].actor).toEqual({ kind: 'resident', name: '匿名居民' });
  });

  it('is shown in full to its reporter, marked anonymous', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { anonymous: true });
    const mine = (await app.get('/api/v1/tipoffs/mine', { token: r.token })).body.items;
    expect(mine).toEqual([expect.objectContaining({ id: t.id, anonymous: true, description: '小区门口垃圾堆放多日无人清理' })]);
    expect(mine[0].history[0].actor.name).toBe('我');
  });

  it("leaves the reporter's id out of the request log of its submission and reading", async () => {
    const lines: unknown[] = [];
    const spy = jest.spyOn(logger, 'info').mockImplementation(((obj: unknown) => void lines.push(obj)) as never);
    try {
      const r = await residentSession(app);
      const t = await submitOk(app, r.token, { anonymous: true });
      await app.get(`/api/v1/tipoffs/${t.id}`, { token: r.token });
      await app.get('/api/v1/tipoffs/mine', { token: r.token });
      await fetch(app.baseUrl + t.photos[0].url, { headers: { authorization: `Bearer ${r.token}` } });
      const requests = lines.filter((l) => (l as { path?: string }).path?.match(/tipoffs|media/)) as Array<{ path: string; who?: string }>;
      expect(requests.length).toBeGreaterThanOrEqual(4);
      expect(JSON.stringify(requests)).not.toContain(r.id);
      // Other requests still say who made them.
      expect(lines.some((l) => (l as { who?: string }).who === r.id)).toBe(false);
      await app.get('/api/v1/me', { token: r.token });
      expect(lines.some((l) => (l as { path?: string; who?: string }).path === '/api/v1/me' && (l as { who?: string }).who === r.id)).toBe(
        true,
      );
    } finally {
      spy.mockRestore();
    }
  });
});

describe('a named tip-off', () => {
  it("shows the reporter's nickname and id to the office, never to the unit", async () => {
    const r = await residentSession(app, { nickname: '热心市民乙' });
    const t = await submitOk(app, r.token);
    await transition(app, office.token, t.id, { action: 'accept' });
    for (const s of [office, admin]) {
      const view = (await app.get(`/api/v1/tipoffs/${t.id}`, { token: s.token })).body;
      expect(view).toMatchObject({ anonymous: false, reporter: { id: r.id, nickname: '热心市民乙' } });
      const listed = (await app.get('/api/v1/tipoffs?status=assigned', { token: s.token })).body.items.find(
        (i: { id: string }) => i.id === t.id,
      );
      expect(listed.reporter).toEqual({ id: r.id, nickname: '热心市民乙' });
    }
    const asUnit = (await app.get(`/api/v1/tipoffs/${t.id}`, { token: hwc.token })).body;
    expect(asUnit).not.toHaveProperty('reporter');
    expect(asUnit).not.toHaveProperty('anonymous');
    const unitList = JSON.stringify((await app.get('/api/v1/tipoffs', { token: hwc.token })).body);
    expect(unitList).toContain(t.id);
    expect(unitList).not.toContain(r.id);
    expect(unitList).not.toContain('热心市民乙');
  });
});
