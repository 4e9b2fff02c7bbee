import { startTestApp, type TestApp } from '../harness/app';
import { COMMUNITIES, residentSession, staffSession } from '../factories';
import { setClock } from '../../src/core/time';
import { Tipoff, TipoffTransition } from '../../src/modules/tipoffs/tipoffs.model';
import { submitOk, submitTipoff, transition, uploadPhoto } from './factories';

let app: TestApp;
let office: { token: string };
let hwc: { token: string };
let cgj: { token: string };
beforeAll(async () => {
  app = await startTestApp();
  office = await staffSession(app, 'office');
  hwc = await staffSession(app, 'unit', 'hwc'); // 市环境卫生管理处: littering's unit
  cgj = await staffSession(app, 'unit', 'cgj');
});
afterAll(() => app.close());
afterEach(() => setClock(undefined));

const messages = async (token: string) =>
  (await app.get('/api/v1/me/messages', { token })).body.items.map((m: { text: string }) => m.text) as string[];

describe('a tip-off from report to close', () => {
  it('is accepted and routed to the category unit, rectified with an after-photo, closed — with the reporter told each time', async () => {
    const at = new Date('2026-11-20T09:00:00+08:00');
    setClock(() => at);
    const r = await residentSession(app, { regionCode: COMMUNITIES[1] });
    const t = await submitOk(app, r.token, { categoryCode: 'littering' });
    expect(t).toMatchObject({
      id: expect.stringMatching(/^T261120[0-9A-Z]{6}$/),
      status: 'submitted',
      categoryCode: 'littering',
      regionCode: COMMUNITIES[0],
      unitCode: 'hwc',
      deadlineAt: null,
    });

    const accepted = await transition(app, office.token, t.id, { action: 'accept', note: '情况属实' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      status: 'assigned',
      unitCode: 'hwc',
      unitName: '市环境卫生管理处',
      acceptedAt: '2026-11-20T09:00:00.000+08:00',
      deadlineAt: '2026-11-21T09:00:00.000+08:00',
      overdue: false,
    });
    expect(accepted.body.history.map((h: { action: string; to: string }) => `${h.action}→${h.to}`)).toEqual([
      'submit→submitted',
      'accept→accepted',
      'assign→assigned',
    ]);
    expect(accepted.body.history[1]).toMatchObject({ note: '情况属实', actor: { kind: 'staff' } });
    expect(accepted.body.history[2]).toMatchObject({ actor: { kind: 'system', name: '系统' }, unitCode: 'hwc' });

    const photo = await uploadPhoto(app, hwc.token);
    const rectified = await transition(app, hwc.token, t.id, { action: 'rectify', note: '已清理完毕', photos: [photo] });
    expect(rectified.status).toBe(200);
    expect(rectified.body).toMatchObject({ status: 'rectified', rectifiedAt: expect.any(String), afterPhotos: [{ id: photo }] });

    const closed = await transition(app, office.token, t.id, { action: 'close' });
    expect(closed.body.status).toBe('closed');

    const mine = (await app.get('/api/v1/tipoffs/mine', { token: r.token })).body.items[0];
    expect(mine.history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'accepted', 'assigned', 'rectified', 'closed']);
    expect(mine.history[3].actor.name).toBe('市环境卫生管理处');
    expect(mine.history[1].actor.name).toBe('文明办');

    const told = await messages(r.token);
    expect(told).toHaveLength(3);
    expect(told.join('\n')).toMatch(/已受理，已交由市环境卫生管理处处理，整改时限 11月21日 09:00/);
    expect(told.join('\n')).toMatch(/已由市环境卫生管理处整改完成。\n说明：已清理完毕/);
    expect(told.join('\n')).toMatch(/已办结/);
  });

  it('gives the reporter points and counts the participation in their community once accepted', async () => {
    const r = await residentSession(app, { regionCode: COMMUNITIES[2] });
    const t = await submitOk(app, r.token);
    await app.flush();
    expect((await app.get('/api/v1/me', { token: r.token })).body).toMatchObject({ points: 0, participation: { tipoffs: 0 } });
    await transition(app, office.token, t.id, { action: 'accept' });
    await app.flush();
    expect((await app.get('/api/v1/me', { token: r.token })).body).toMatchObject({ points: 5, participation: { tipoffs: 1 } });
  });

  it('lets the office reassign to another unit, which then owns it', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token);
    await transition(app, office.token, t.id, { action: 'accept' });
    const moved = await transition(app, office.token, t.id, { action: 'assign', unitCode: 'cgj', note: '属城管职责' });
    expect(moved.body).toMatchObject({ status: 'assigned', unitCode: 'cgj' });
    expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: hwc.token })).status).toBe(404);
    expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: cgj.token })).status).toBe(200);
    expect((await transition(app, office.token, t.id, { action: 'assign', unitCode: 'cgj' })).status).toBe(400);
  });

  it('reopens a rectified tip-off back to its unit with a fresh deadline', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token);
    await transition(app, office.token, t.id, { action: 'accept' });
    await transition(app, hwc.token, t.id, { action: 'rectify', photos: [await uploadPhoto(app, hwc.token)] });
    const later = new Date(Date.now() + 5 * 3600_000);
    setClock(() => later);
    const reopened = await transition(app, office.token, t.id, { action: 'reopen', note: '复查仍有垃圾' });
    expect(reopened.body).toMatchObject({ status: 'assigned', unitCode: 'hwc', rectifiedAt: null });
    expect(new Date(reopened.body.deadlineAt).getTime()).toBe(later.getTime() + 24 * 3600_000);
    expect((await messages(r.token))[0]).toMatch(/需要重新整改，已退回市环境卫生管理处处理。\n说明：复查仍有垃圾/);
  });

  it('rejects with a reason, which the reporter is told', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token);
    const noReason = await transition(app, office.token, t.id, { action: 'reject' });
    expect(noReason.status).toBe(400);
    const rejected = await transition(app, office.token, t.id, { action: 'reject', note: '照片无法看出问题' });
    expect(rejected.body.status).toBe('rejected');
    expect((await messages(r.token))[0]).toMatch(/不予受理。\n说明：照片无法看出问题/);
    expect((await app.get('/api/v1/me', { token: r.token })).body.points).toBe(0);
  });
});

describe('what is refused', () => {
  it('answers an action the status does not allow with 409 INVALID_TRANSITION', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token);
    const close = await transition(app, office.token, t.id, { action: 'close' });
    expect(close.status).toBe(409);
    expect(close.body.error).toMatchObject({ code: 'INVALID_TRANSITION', message: '当前状态为“待受理”，不能进行“办结”操作（仅限已整改）' });
    await transition(app, office.token, t.id, { action: 'accept' });
    expect((await transition(app, office.token, t.id, { action: 'accept' })).body.error.code).toBe('INVALID_TRANSITION');
    expect((await transition(app, office.token, t.id, { action: 'reopen' })).body.error.code).toBe('INVALID_TRANSITION');
  });

  it('needs an after-photo to rectify', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token);
    await transition(app, office.token, t.id, { action: 'accept' });
    const res = await transition(app, hwc.token, t.id, { action: 'rectify', note: '已处理' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('整改完成需上传整改后的照片');
    const someoneElses = await uploadPhoto(app, cgj.token);
    expect((await transition(app, hwc.token, t.id, { action: 'rectify', photos: [someoneElses] })).status).toBe(400);
  });

  it('keeps units to rectifying their own tip-offs: 403 for office actions, 404 for another unit', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token);
    expect((await transition(app, hwc.token, t.id, { action: 'accept' })).status).toBe(404); // not yet assigned to it
    await transition(app, office.token, t.id, { action: 'accept' });
    const close = await transition(app, hwc.token, t.id, { action: 'reject', note: 'x' });
    expect(close.status).toBe(403);
    expect(close.body.error.code).toBe('FORBIDDEN');
    expect((await transition(app, cgj.token, t.id, { action: 'rectify', photos: [await uploadPhoto(app, cgj.token)] })).status).toBe(404);
    expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: cgj.token })).status).toBe(404);
  });

  it('lets residents neither act on tip-offs nor read other residents’ ones', async () => {
    const r = await residentSession(app);
    const other = await residentSession(app);
    const t = await submitOk(app, r.token);
    expect((await transition(app, r.token, t.id, { action: 'accept' })).status).toBe(403);
    expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: other.token })).status).toBe(404);
    expect((await app.get(`/api/v1/tipoffs/${t.id}`)).status).toBe(401);
    expect((await app.get('/api/v1/tipoffs', { token: r.token })).status).toBe(403);
  });
});

describe('two staff acting at once', () => {
  it('lets exactly one of two simultaneous actions win; the other gets 409', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token);
    const other = await staffSession(app, 'office');
    const results = await Promise.all([
      transition(app, office.token, t.id, { action: 'accept' }),
      transition(app, other.token, t.id, { action: 'reject', note: '重复' }),
      transition(app, office.token, t.id, { action: 'accept' }),
    ]);
    const statuses = results.map((x) => x.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    const winner = results.find((x) => x.status === 200)!.body.status;
    expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: office.token })).body.status).toBe(winner);
    expect(await TipoffTransition.countDocuments({ tipoffId: t.id })).toBe(1);
    expect(await messages(r.token)).toHaveLength(1);
  });

  it('rolls forward a transition whose tip-off update was interrupted', async () => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token);
    await transition(app, office.token, t.id, { action: 'accept' });
    // Simulate a crash after the transition insert: put the tip-off back as it was before.
    const after = await Tipoff.findById(t.id).lean();
    await Tipoff.updateOne({ _id: t.id }, { $set: { status: 'submitted', seq: 0, history: after!.history.slice(0, 1) } });
    const res = await transition(app, hwc.token, t.id, { action: 'rectify', photos: [await uploadPhoto(app, hwc.token)] });
    expect(res.status).toBe(200);
    expect(res.body.history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'accepted', 'assigned', 'rectified']);
  });
});

describe('deadlines', () => {
  it('marks an assigned tip-off overdue once its category deadline passes', async () => {
    const start = new Date('2026-11-20T10:00:00+08:00');
    setClock(() => start);
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { categoryCode: 'overflowing-bins' }); // 12 hours
    await transition(app, office.token, t.id, { action: 'accept' });
    setClock(() => new Date(start.getTime() + 11 * 3600_000));
    expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: hwc.token })).body.overdue).toBe(false);
    setClock(() => new Date(start.getTime() + 13 * 3600_000));
    expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: hwc.token })).body.overdue).toBe(true);
    const queue = await app.get('/api/v1/tipoffs?overdue=true', { token: hwc.token });
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(t.id);
    const junk = await app.get('/api/v1/tipoffs?overdue=maybe', { token: hwc.token });
    expect(junk.status).toBe(400);
    expect(junk.body.error.details).toEqual([expect.objectContaining({ path: 'overdue' })]);
    const { markOverdueTipoffs } = await import('../../src/modules/tipoffs/tipoffs.jobs');
    const first = await markOverdueTipoffs(new Date(start.getTime() + 13 * 3600_000));
    expect(first.marked.map((m) => m._id)).toContain(t.id);
    const again = await markOverdueTipoffs(new Date(start.getTime() + 14 * 3600_000));
    expect(again.marked.map((m) => m._id)).not.toContain(t.id);
  });
});

describe('retries', () => {
  it('creates one tip-off for a submission retried with the same Idempotency-Key', async () => {
    const r = await residentSession(app);
    const first = await submitTipoff(app, r.token, {}, undefined, { 'idempotency-key': 'tipoff-retry-1' });
    const again = await submitTipoff(app, r.token, {}, undefined, { 'idempotency-key': 'tipoff-retry-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    expect((await app.get('/api/v1/tipoffs/mine', { token: r.token })).body.items).toHaveLength(1);
  });
});
