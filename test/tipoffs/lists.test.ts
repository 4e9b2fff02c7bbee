import { startTestApp, type TestApp } from '../harness/app';
import { COMMUNITIES, residentSession, staffSession } from '../factories';
import { setClock } from '../../src/core/time';
import { rebuildTipoffIndexes } from '../../src/modules/tipoffs/tipoffs.lists';
import { OpenTipoff, TipoffMine } from '../../src/modules/tipoffs/tipoffs.model';
import { LIUAN, north, submitOk, transition, uploadPhoto } from './factories';

let app: TestApp;
let office: { token: string };
let hwc: { token: string };
const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((i) => i.id);

beforeAll(async () => {
  app = await startTestApp();
  office = await staffSession(app, 'office');
  hwc = await staffSession(app, 'unit', 'hwc');
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

/** Submits at a given local time (the clock decides createdAt and deadlines). */
async function at(time: string, token: string, fields: Record<string, unknown>) {
  setClock(() => new Date(time));
  return submitOk(app, token, fields);
}

describe('my tip-offs', () => {
  it('lists the caller’s tip-offs newest first with their history, paged', async () => {
    const r = await residentSession(app);
    const a = await at('2026-11-20T08:00:00+08:00', r.token, { ...north(LIUAN, 3000) });
    const b = await at('2026-11-20T09:00:00+08:00', r.token, { ...north(LIUAN, 3200), categoryCode: 'noise' });
    const c = await at('2026-11-20T10:00:00+08:00', r.token, { ...north(LIUAN, 3400), categoryCode: 'graffiti' });
    await submitOk(app, (await residentSession(app)).token, {}); // someone else's
    const first = await app.get('/api/v1/tipoffs/mine?limit=2', { token: r.token });
    expect(ids(first)).toEqual([c.id, b.id]);
    expect(first.body.items[0].history[0]).toMatchObject({ action: 'submit', to: 'submitted', actor: { name: '我' } });
    const second = await app.get(`/api/v1/tipoffs/mine?limit=2&cursor=${first.body.nextCursor}`, { token: r.token });
    expect(ids(second)).toEqual([a.id]);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('the staff lists', () => {
  let one: any;
  let two: any;
  let three: any;
  beforeAll(async () => {
    const r = await residentSession(app);
    one = await at('2026-11-20T08:00:00+08:00', r.token, { ...north(LIUAN, 5000), categoryCode: 'littering' }); // 东湖区 by location
    two = await at('2026-11-20T09:00:00+08:00', r.token, {
      ...north(LIUAN, 5200),
      categoryCode: 'overflowing-bins',
      regionCode: COMMUNITIES[2],
    }); // 西岭区, 12 h
    three = await at('2026-11-20T10:00:00+08:00', r.token, {
      ...north(LIUAN, 5400),
      categoryCode: 'street-vending',
      regionCode: COMMUNITIES[3],
    }); // 南港区, cgj
    setClock(() => new Date('2026-11-20T11:00:00+08:00'));
    for (const t of [one, two, three]) await transition(app, office.token, t.id, { action: 'accept' });
    await transition(app, hwc.token, one.id, { action: 'rectify', photos: [await uploadPhoto(app, hwc.token)] });
    await transition(app, office.token, one.id, { action: 'close' });
  });

  it('filters by status, category, region (any level) and unit', async () => {
    const q = (s: string) => app.get(`/api/v1/tipoffs?${s}&limit=100`, { token: office.token });
    expect(ids(await q('status=closed'))).toContain(one.id);
    expect(ids(await q('status=closed'))).not.toContain(two.id);
    expect(ids(await q('status=assigned'))).toEqual(expect.arrayContaining([two.id, three.id]));
    expect(ids(await q('status=assigned'))).not.toContain(one.id);
    expect(ids(await q('category=overflowing-bins'))).toEqual([two.id]);
    expect(ids(await q('region=330202'))).toEqual([two.id]);
    expect(ids(await q(`region=${COMMUNITIES[3]}&status=assigned`))).toEqual([three.id]);
    expect(ids(await q('unit=cgj&status=assigned'))).toEqual([three.id]);
    expect((await q('region=nope')).status).toBe(404);
    expect((await q('status=bogus')).status).toBe(400);
  });

  it('pages newest first with a cursor, each tip-off once', async () => {
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await app.get(`/api/v1/tipoffs?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
        token: office.token,
      });
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      walked.push(...ids(page));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await app.get('/api/v1/tipoffs?limit=100', { token: office.token });
    expect(walked).toEqual(ids(all));
    const times = all.body.items.map((i: { createdAt: string }) => Date.parse(i.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(walked.indexOf(three.id)).toBeLessThan(walked.indexOf(two.id));
  });

  it('gives a unit only its own tip-offs, its queue sorted by deadline', async () => {
    const mine = await app.get('/api/v1/tipoffs?status=open&sort=deadline', { token: hwc.token });
    expect(ids(mine)).toEqual([two.id]); // one is closed, three belongs to cgj
    expect(ids(await app.get('/api/v1/tipoffs?status=closed', { token: hwc.token }))).toEqual([one.id]);
    expect((await app.get('/api/v1/tipoffs?unit=cgj', { token: hwc.token })).status).toBe(403);
    expect(ids(await app.get('/api/v1/tipoffs?status=submitted', { token: hwc.token }))).toEqual([]);
  });

  it('sorts the office queue by deadline, soonest first', async () => {
    const queue = ids(await app.get('/api/v1/tipoffs?sort=deadline&limit=100', { token: office.token }));
    expect(queue.indexOf(two.id)).toBeLessThan(queue.indexOf(three.id)); // 12 h before 48 h
    expect(queue).not.toContain(one.id);
  });

  it('rebuilds the queue and "mine" indexes from the tip-offs', async () => {
    await OpenTipoff.deleteOne({ _id: two.id });
    await TipoffMine.deleteMany({});
    const r = await rebuildTipoffIndexes();
    expect(r.open).toBeGreaterThanOrEqual(2);
    expect(ids(await app.get('/api/v1/tipoffs?status=assigned&limit=100', { token: office.token }))).toContain(two.id);
    expect(await TipoffMine.countDocuments({})).toBeGreaterThan(0);
  });
});
