import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { formatDue, formatDuration } from '../../src/core/format';
import { setClock } from '../../src/core/time';
import { rebuildTipoffIndexes } from '../../src/modules/tipoffs/tipoffs.lists';
import { TipoffDay } from '../../src/modules/tipoffs/tipoffs.model';
import { LIUAN, north, submitOk, transition } from './factories';

let app: TestApp;
let office: { token: string };
let hwc: { token: string };
let cgj: { token: string };
beforeAll(async () => {
  app = await startTestApp();
  office = await staffSession(app, 'office');
  hwc = await staffSession(app, 'unit', 'hwc');
  cgj = await staffSession(app, 'unit', 'cgj');
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

const messages = async (token: string) =>
  (await app.get('/api/v1/me/messages', { token })).body.items.map((m: { text: string }) => m.text) as string[];
const notices = async (token: string) =>
  (await app.get('/api/v1/staff/notices', { token })).body.items as Array<{ title: string; text: string }>;
const triage = (token: string, q: string) => app.get(`/api/v1/tipoffs/triage?${q}`, { token });
let spot = 0;
/** A fresh place each time, so no two test tip-offs look like nearby duplicates unless meant to. */
const fresh = (fields: Record<string, unknown> = {}) => ({ ...north(LIUAN, 400 * ++spot), ...fields });

describe('durations read as days and hours', () => {
  it('formats lengths of time and deadlines the same way everywhere', () => {
    expect(formatDuration((46 * 24 + 16) * 3600_000 + 5 * 60_000)).toBe('46 天 16 小时');
    expect(formatDuration(3 * 24 * 3600_000)).toBe('3 天');
    expect(formatDuration(3 * 3600_000 + 59 * 60_000)).toBe('3 小时');
    expect(formatDuration(20 * 60_000)).toBe('20 分钟');
    expect(formatDue(new Date('2026-11-20T12:00:00Z'), new Date('2026-11-20T09:00:00Z'))).toBe('剩余 3 小时');
    expect(formatDue(new Date('2026-10-04T16:00:00Z'), new Date('2026-11-20T08:00:00Z'))).toBe('已超期 46 天 16 小时');
  });

  it('says in the tip-off how long is left to accept it, and when it is overdue', async () => {
    setClock(() => new Date('2026-11-20T08:00:00+08:00'));
    const t = await submitOk(app, (await residentSession(app)).token, fresh({ categoryCode: 'littering' })); // 受理时限 12 h
    setClock(() => new Date('2026-11-20T17:00:00+08:00'));
    const soon = (await app.get(`/api/v1/tipoffs/${t.id}`, { token: office.token })).body;
    expect(soon).toMatchObject({ acceptDueAt: '2026-11-20T20:00:00.000+08:00', acceptOverdue: false, dueText: '剩余 3 小时' });
    setClock(() => new Date('2027-01-06T12:00:00+08:00'));
    const late = (await app.get(`/api/v1/tipoffs/${t.id}`, { token: office.token })).body;
    expect(late).toMatchObject({ acceptOverdue: true, dueText: '已超期 46 天 16 小时' });
  });
});

describe('accepting with a unit', () => {
  it('routes to the unit chosen and tells the reporter once, naming that unit', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, fresh({ categoryCode: 'littering' }));
    const res = await transition(app, office.token, t.id, { action: 'accept', unitCode: 'cgj' });
    expect(res.body).toMatchObject({ status: 'assigned', unitCode: 'cgj' });
    const told = await messages(r.token);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/已受理，已交由市城市管理局（城管执法）处理/);
  });
});

describe('the triage table', () => {
  it('finds a tip-off by its number with one read, and by words in the recent window it names', async () => {
    const t = await submitOk(
      app,
      (await residentSession(app)).token,
      fresh({ description: '银杏路口共享单车倒伏一片', address: '银杏路 8 号' }),
    );
    const byNumber = await triage(office.token, `q=${t.id.toLowerCase()}`);
    expect(byNumber.body).toMatchObject({ source: 'number', total: 1, window: null, items: [{ id: t.id }] });
    const byText = await triage(office.token, `q=${encodeURIComponent('单车倒伏')}`);
    expect(byText.body).toMatchObject({ source: 'text', total: 1, items: [{ id: t.id }] });
    expect(byText.body.window.text).toMatch(/^已搜索 \d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}（最近 30 天）提交的随手拍$/);
    expect((await triage(office.token, `q=${encodeURIComponent('银杏路 8 号')}`)).body.items.map((i: { id: string }) => i.id)).toContain(
      t.id,
    );
    expect((await triage(office.token, `q=${encodeURIComponent('完全没有的词')}`)).body.total).toBe(0);
  });

  it('gets a tip-off missing from its search day back from the nightly reindex', async () => {
    const t = await submitOk(app, (await residentSession(app)).token, fresh({ description: '梧桐巷积水成片无法通行' }));
    const day = (await TipoffDay.findOne({ 'items.id': t.id }).lean<{ _id: string; items: Array<{ id: string }> }>())!;
    await TipoffDay.updateOne({ _id: day._id }, { $set: { items: day.items.filter((i) => i.id !== t.id) } }); // as if the process died after the insert
    expect((await triage(office.token, `q=${encodeURIComponent('梧桐巷积水')}`)).body.total).toBe(0);
    expect((await rebuildTipoffIndexes()).days).toBeGreaterThanOrEqual(1);
    expect((await triage(office.token, `q=${encodeURIComponent('梧桐巷积水')}`)).body.items.map((i: { id: string }) => i.id)).toEqual([
      t.id,
    ]);
  });

  it('filters, sorts by what is due first, pages with a total, and flags overdue acceptance', async () => {
    const r = await residentSession(app);
    setClock(() => new Date('2026-12-01T08:00:00+08:00'));
    const bins = await submitOk(app, r.token, fresh({ categoryCode: 'overflowing-bins' })); // 4 h to accept
    const paint = await submitOk(app, r.token, fresh({ categoryCode: 'graffiti' })); // 24 h
    setClock(() => new Date('2026-12-01T13:00:00+08:00'));
    const overdue = await triage(office.token, 'status=submitted&overdue=true&sort=deadline&pageSize=100');
    const ids = overdue.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(bins.id);
    expect(ids).not.toContain(paint.id);
    expect(overdue.body.items.find((i: { id: string }) => i.id === bins.id)).toMatchObject({
      acceptOverdue: true,
      dueText: '已超期 1 小时',
    });
    const graffiti = await triage(office.token, 'status=submitted&category=graffiti&pageSize=1');
    expect(graffiti.body).toMatchObject({ source: 'queue', page: 1, pageSize: 1 });
    expect(graffiti.body.items).toHaveLength(1);
    expect(graffiti.body.total).toBeGreaterThanOrEqual(1);
  });

  it('assigns and closes a selection in bulk, each with its own outcome, and exports it', async () => {
    const r = await residentSession(app);
    const a = await submitOk(app, r.token, fresh());
    const b = await submitOk(app, r.token, fresh());
    const done = await app.post(
      '/api/v1/tipoffs/triage/bulk',
      { ids: [a.id, b.id], action: 'accept', unitCode: 'cgj' },
      { token: office.token },
    );
    expect(done.body).toEqual({ done: [a.id, b.id], failed: [] });
    const again = await app.post('/api/v1/tipoffs/triage/bulk', { ids: [a.id], action: 'close' }, { token: office.token });
    expect(again.body.failed).toEqual([{ id: a.id, code: 'INVALID_TRANSITION', message: expect.stringContaining('不能进行“办结”操作') }]);
    expect((await app.post('/api/v1/tipoffs/triage/bulk', { ids: [a.id], action: 'accept' }, { token: cgj.token })).status).toBe(403);
    const unitView = await triage(cgj.token, 'pageSize=100');
    expect(unitView.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([a.id, b.id]));

    const csv = await fetch(`${app.baseUrl}/api/v1/tipoffs/triage/export.csv?ids=${a.id},${b.id}`, {
      headers: { authorization: `Bearer ${office.token}` },
    });
    const text = await csv.text();
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(text).toMatch(/^\uFEFF?编号,状态,类别/);
    expect(text).toContain(a.id);
    expect(text).toContain('市城市管理局');
    const xlsx = await fetch(`${app.baseUrl}/api/v1/tipoffs/triage/export.xlsx?status=assigned&unit=cgj`, {
      headers: { authorization: `Bearer ${office.token}` },
    });
    expect(xlsx.status).toBe(200);
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    const log = await app.get('/api/v1/audit?q=' + encodeURIComponent('批量'), { token: (await staffSession(app, 'admin')).token });
    expect(log.body.items[0]).toMatchObject({ action: expect.stringContaining('随手拍批量处置') });
  });
});

describe('merging a duplicate by hand', () => {
  it('merges into the primary, tells the reporter once, records it on both timelines, and follows the primary', async () => {
    const r1 = await residentSession(app);
    const r2 = await residentSession(app);
    const primary = await submitOk(app, r1.token, fresh());
    const dup = await submitOk(app, r2.token, fresh());
    await transition(app, office.token, primary.id, { action: 'accept' });
    const merged = await transition(app, office.token, dup.id, { action: 'merge', duplicateOf: primary.id });
    expect(merged.body).toMatchObject({
      status: 'merged',
      mergedInto: primary.id,
      follows: { id: primary.id, status: 'assigned', statusName: '处置中' },
    });
    const told = await messages(r2.token);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(new RegExp(`与已有举报（编号 ${primary.id}）为同一问题，已合并处理`));
    const p = (await app.get(`/api/v1/tipoffs/${primary.id}`, { token: office.token })).body;
    expect(p.history.at(-1)).toMatchObject({ action: 'merge-in', actionName: '合并重复举报', note: `合并了重复举报 ${dup.id}` });
    const mine = (await app.get('/api/v1/tipoffs/mine', { token: r2.token })).body.items[0];
    expect(mine).toMatchObject({ status: 'merged', follows: { id: primary.id, statusName: '处置中' } });
  });
});

describe('a unit asks to return or for more time', () => {
  it('returns a misassigned tip-off: the office hears of it, approves with a new unit, the unit and the reporter are told', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, fresh());
    await transition(app, office.token, t.id, { action: 'accept' }); // → hwc
    expect((await transition(app, hwc.token, t.id, { action: 'request-return' })).status).toBe(400); // needs a reason
    const asked = await transition(app, hwc.token, t.id, { action: 'request-return', note: '占道经营不属环卫职责' });
    expect(asked.body).toMatchObject({
      status: 'assigned',
      request: { kind: 'return', kindName: '申请退回', reason: '占道经营不属环卫职责', unitCode: 'hwc' },
    });
    expect(asked.body.allowedActions).not.toContain('request-extension');
    expect((await notices(office.token)).some((n) => n.title === `市环境卫生管理处申请退回 ${t.id}`)).toBe(true);

    const approved = await transition(app, office.token, t.id, { action: 'approve-request', unitCode: 'cgj' });
    expect(approved.body).toMatchObject({ status: 'assigned', unitCode: 'cgj', request: null });
    expect(approved.body.history.slice(-3).map((h: { action: string }) => h.action)).toEqual([
      'request-return',
      'approve-request',
      'assign',
    ]);
    expect((await notices(hwc.token)).some((n) => n.text.includes('文明办已同意退回'))).toBe(true);
    expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: hwc.token })).status).toBe(404);
    const told = await messages(r.token);
    expect(told).toHaveLength(2); // accepted, then handed to the right unit
    expect(told[0]).toMatch(/已转交市城市管理局（城管执法）处理/);
  });

  it('asks for more time: refused keeps the deadline; approved moves it, and the reporter hears the new one', async () => {
    setClock(() => new Date('2026-12-02T09:00:00+08:00'));
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, fresh());
    const accepted = await transition(app, office.token, t.id, { action: 'accept' });
    const wanted = '2026-12-05T18:00:00+08:00';
    expect((await transition(app, hwc.token, t.id, { action: 'request-extension', note: '需协调物业' })).status).toBe(400); // no date
    await transition(app, hwc.token, t.id, { action: 'request-extension', note: '需协调物业', deadlineAt: wanted });
    expect((await notices(office.token)).find((n) => n.title === `市环境卫生管理处申请延期 ${t.id}`)?.text).toMatch(
      /延至 12月5日 18:00。原整改时限 12月3日 09:00（剩余 1 天）。理由：需协调物业/,
    );
    const refused = await transition(app, office.token, t.id, { action: 'refuse-request', note: '请先清理' });
    expect(refused.body).toMatchObject({ deadlineAt: accepted.body.deadlineAt, request: null });
    expect((await notices(hwc.token)).some((n) => n.text.includes('文明办不同意延期') && n.text.includes('请先清理'))).toBe(true);

    await transition(app, hwc.token, t.id, { action: 'request-extension', note: '需协调物业', deadlineAt: wanted });
    const approved = await transition(app, office.token, t.id, { action: 'approve-request' });
    expect(approved.body).toMatchObject({ deadlineAt: '2026-12-05T18:00:00.000+08:00', request: null, dueText: '剩余 3 天 9 小时' });
    expect((await messages(r.token))[0]).toMatch(/整改时限经批准延长至 12月5日 18:00/);
    expect((await notices(hwc.token)).some((n) => n.text.includes('文明办已同意延期，新的整改时限 12月5日 18:00'))).toBe(true);
  });
});
