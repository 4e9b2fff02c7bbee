import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { setClock } from '../../src/core/time';
import { LIUAN, north, submitOk, transition } from './factories';

let app: TestApp;
let office: { token: string };
beforeAll(async () => {
  app = await startTestApp();
  office = await staffSession(app, 'office');
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

/** A fresh spot per test, so tests don't see each other's tip-offs as duplicates. */
let spot = 0;
const freshSpot = () => north(LIUAN, 1000 * ++spot);

describe('nearby duplicates', () => {
  it('links a tip-off of the same category within 50 m and 24 h to the earlier one', async () => {
    const p = freshSpot();
    const first = await submitOk(app, (await residentSession(app)).token, { ...p, categoryCode: 'street-vending' });
    const second = await submitOk(app, (await residentSession(app)).token, { ...north(p, 35), categoryCode: 'street-vending' });
    expect(first).toMatchObject({ possibleDuplicateOf: null });
    expect(second.possibleDuplicateOf).toBeNull(); // residents are not shown the link
    const asOffice = (await app.get(`/api/v1/tipoffs/${second.id}`, { token: office.token })).body;
    expect(asOffice.possibleDuplicateOf).toBe(first.id);
  });

  it('does not link one farther than 50 m, of another category, or more than 24 h later', async () => {
    const p = freshSpot();
    const start = new Date('2026-11-20T08:00:00+08:00');
    setClock(() => start);
    await submitOk(app, (await residentSession(app)).token, { ...p, categoryCode: 'graffiti' });
    const far = await submitOk(app, (await residentSession(app)).token, { ...north(p, 80), categoryCode: 'graffiti' });
    const other = await submitOk(app, (await residentSession(app)).token, { ...p, categoryCode: 'noise' });
    setClock(() => new Date(start.getTime() + 25 * 3600_000));
    const late = await submitOk(app, (await residentSession(app)).token, { ...north(p, 10), categoryCode: 'graffiti' });
    for (const t of [far, other, late])
      expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: office.token })).body.possibleDuplicateOf).toBeNull();
  });

  it('finds a duplicate across a grid-cell boundary and across midnight', async () => {
    // 0.005° latitude is a cell edge: put the two reports 20 m apart on either side of it, at 23:50 and 00:10.
    const edge = { lat: 29.875 - 10 / 111_320, lng: 121.5602 };
    setClock(() => new Date('2026-11-20T23:50:00+08:00'));
    const first = await submitOk(app, (await residentSession(app)).token, { ...edge, categoryCode: 'spitting' });
    setClock(() => new Date('2026-11-21T00:10:00+08:00'));
    const second = await submitOk(app, (await residentSession(app)).token, { ...north(edge, 20), categoryCode: 'spitting' });
    expect((await app.get(`/api/v1/tipoffs/${second.id}`, { token: office.token })).body.possibleDuplicateOf).toBe(first.id);
  });

  it('lets the office merge the duplicate into the earlier tip-off; its reporter is told', async () => {
    const p = freshSpot();
    const first = await submitOk(app, (await residentSession(app)).token, { ...p, categoryCode: 'dog-walking' });
    const r = await residentSession(app);
    const second = await submitOk(app, r.token, { ...north(p, 20), categoryCode: 'dog-walking' });
    const merged = await transition(app, office.token, second.id, { action: 'merge' });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ status: 'merged', mergedInto: first.id, closedAt: expect.any(String) });
    const told = (await app.get('/api/v1/me/messages', { token: r.token })).body.items[0].text;
    expect(told).toContain(`与已有举报（编号 ${first.id}）为同一问题，已合并处理`);
    expect((await transition(app, office.token, second.id, { action: 'accept' })).status).toBe(409);
  });

  it('lets the office keep a possible duplicate by accepting it, which clears the link', async () => {
    const p = freshSpot();
    await submitOk(app, (await residentSession(app)).token, { ...p, categoryCode: 'red-light' });
    const second = await submitOk(app, (await residentSession(app)).token, { ...p, categoryCode: 'red-light' });
    const kept = await transition(app, office.token, second.id, { action: 'accept' });
    expect(kept.body).toMatchObject({ status: 'assigned', possibleDuplicateOf: null });
  });

  it('refuses to merge into itself or into nothing', async () => {
    const t = await submitOk(app, (await residentSession(app)).token, { ...freshSpot(), categoryCode: 'noise' });
    expect((await transition(app, office.token, t.id, { action: 'merge' })).status).toBe(400);
    expect((await transition(app, office.token, t.id, { action: 'merge', duplicateOf: t.id })).status).toBe(400);
    expect((await transition(app, office.token, t.id, { action: 'merge', duplicateOf: 'T261120AAAAAA' })).status).toBe(400);
  });
});
