import { startTestApp, type TestApp } from '../harness/app';
import { createActivity, inBatches, officeToken, volunteerSession, type VolunteerSession } from './factories';
import { rawCollection } from '../../src/core/db';
import { logId } from '../../src/core/store';
import { forgetRosters, RosterStore } from '../../src/modules/volunteers/roster-log';
import { counts, statusOf } from '../../src/modules/volunteers/roster';
import { RosterEvent } from '../../src/modules/volunteers/volunteers.model';

let app: TestApp;
let volunteers: VolunteerSession[];

beforeAll(async () => {
  app = await startTestApp();
  volunteers = await inBatches(Array.from({ length: 200 }), 20, () => volunteerSession(app));
}, 180_000);
afterAll(() => app.close());

interface Signup {
  status: number;
  body: { status: 'confirmed' | 'waitlisted'; position?: number };
}

const signUp = (activityId: string, v: VolunteerSession) =>
  app.post(`/api/v1/activities/${activityId}/signups`, {}, { token: v.token }) as Promise<Signup>;
const listed = async (id: string) => (await app.get('/api/v1/activities?limit=100')).body.items.find((a: { id: string }) => a.id === id);
const roster = async (id: string) => (await app.get(`/api/v1/activities/${id}/signups`, { token: await officeToken(app) })).body;
const myStatus = async (id: string, v: VolunteerSession) => (await app.get(`/api/v1/activities/${id}`, { token: v.token })).body.my;

describe('200 volunteers signing up at once for 20 seats', () => {
  let activityId: string;
  let results: Signup[];

  beforeAll(async () => {
    activityId = (await createActivity(app, { capacity: 20, title: '周末环境清洁' })).id;
    results = await Promise.all(volunteers.map((v) => signUp(activityId, v)));
  }, 120_000);

  it('answers every sign-up with 201, never an error', () => {
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
  });

  it('confirms exactly 20 and waitlists exactly 180 with positions 1 to 180', () => {
    expect(results.filter((r) => r.body.status === 'confirmed')).toHaveLength(20);
    const positions = results.filter((r) => r.body.status === 'waitlisted').map((r) => r.body.position!);
    expect(positions).toHaveLength(180);
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
  });

  it('keeps one consistent order: the organiser roster agrees with every answer', async () => {
    const r = await roster(activityId);
    expect(r.confirmed).toHaveLength(20);
    expect(r.waitlist).toHaveLength(180);
    const answered = new Map(volunteers.map((v, i) => [v.id, results[i]!.body]));
    for (const e of r.confirmed) expect(answered.get(e.residentId)).toEqual({ status: 'confirmed' });
    r.waitlist.forEach((e: { residentId: string; position: number }, i: number) => {
      expect(e.position).toBe(i + 1);
      expect(answered.get(e.residentId)).toEqual({ status: 'waitlisted', position: i + 1 });
    });
    // names and masked phones only (ids are hex and may hold a run of eleven digits: not phones)
    expect(JSON.stringify(r).replace(/"[0-9a-f]{24}"/g, '""')).not.toMatch(/1[3-9]\d{9}/);
  });

  it('shows the counts in the list', async () => {
    expect(await listed(activityId)).toMatchObject({ capacity: 20, confirmedCount: 20, waitlistCount: 180, seatsLeft: 0 });
  });

  it('answers 409 to a second sign-up by the same volunteer', async () => {
    const again = await signUp(activityId, volunteers[0]!);
    expect(again.status).toBe(409);
    expect((again.body as unknown as { error: { code: string } }).error.code).toBe('ALREADY_SIGNED_UP');
  });

  it('promotes exactly the first waitlisted volunteer when a confirmed one cancels', async () => {
    const before = await roster(activityId);
    const leaving = volunteers.find((v) => v.id === before.confirmed[3].residentId)!;
    const first = volunteers.find((v) => v.id === before.waitlist[0].residentId)!;
    const second = volunteers.find((v) => v.id === before.waitlist[1].residentId)!;
    expect((await app.del(`/api/v1/activities/${activityId}/signups/me`, { token: leaving.token })).status).toBe(204);
    expect(await listed(activityId)).toMatchObject({ confirmedCount: 20, waitlistCount: 179 });
    expect(await myStatus(activityId, first)).toMatchObject({ status: 'confirmed' });
    expect(await myStatus(activityId, second)).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(await myStatus(activityId, leaving)).toBeNull();
    const messages = (await app.get('/api/v1/me/messages', { token: first.token })).body.items;
    expect(messages.map((m: { text: string }) => m.text).join()).toMatch(/已转为正式报名/);
    await app.flush();
    expect((await app.get('/api/v1/me', { token: first.token })).body.participation.activities).toBe(1);
  });

  it('promotes two different volunteers when two confirmed cancel at the same moment', async () => {
    const before = await roster(activityId);
    const leaving = before.confirmed.slice(0, 2).map((e: { residentId: string }) => volunteers.find((v) => v.id === e.residentId)!);
    const next = before.waitlist.slice(0, 2).map((e: { residentId: string }) => e.residentId);
    const res = await Promise.all(
      leaving.map((v: VolunteerSession) => app.del(`/api/v1/activities/${activityId}/signups/me`, { token: v.token })),
    );
    expect(res.map((r) => r.status)).toEqual([204, 204]);
    const after = await roster(activityId);
    expect(after.confirmed).toHaveLength(20);
    expect(after.waitlist).toHaveLength(177);
    const confirmedIds = after.confirmed.map((e: { residentId: string }) => e.residentId);
    for (const id of next) expect(confirmedIds).toContain(id);
    expect(new Set(confirmedIds).size).toBe(20);
  });

  it('lets a waitlisted volunteer leave the waitlist without promoting anyone', async () => {
    const before = await roster(activityId);
    const w = volunteers.find((v) => v.id === before.waitlist[5].residentId)!;
    expect((await app.del(`/api/v1/activities/${activityId}/signups/me`, { token: w.token })).status).toBe(204);
    const after = await roster(activityId);
    expect(after.confirmed.map((e: { residentId: string }) => e.residentId)).toEqual(
      before.confirmed.map((e: { residentId: string }) => e.residentId),
    );
    expect(after.waitlist).toHaveLength(before.waitlist.length - 1);
  });

  it('rebuilds the same roster from the log alone (a restarted or second process)', async () => {
    const before = await roster(activityId);
    forgetRosters();
    expect(await roster(activityId)).toEqual(before);
  });
});

describe('sign-ups across processes', () => {
  it('keeps exactly the capacity when two processes take 150 sign-ups each at once', async () => {
    const { id } = await createActivity(app, { capacity: 20 });
    const activity = { _id: id, capacity: 20 };
    // Two stores = two processes: separate caches and separate in-process serialization.
    const [p1, p2] = [new RosterStore(), new RosterStore()];
    const signup = (store: RosterStore, residentId: string) =>
      store.append(activity, (r) => {
        if (statusOf(r, residentId)) throw new Error('already');
        return { type: 'signup', residentId };
      });
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => signup(i % 2 ? p1 : p2, `r${i}`)));
    const statuses = results.map((x) => (x.applied.type === 'signup' ? x.applied.status : 'other'));
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(20);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(280);
    const positions = results.flatMap((x) => (x.applied.type === 'signup' && x.applied.position ? [x.applied.position] : []));
    expect(new Set(positions).size).toBe(280);
    const [a, b] = await Promise.all([p1.read(activity), p2.read(activity)]);
    expect(counts(a)).toEqual({ capacity: 20, confirmedCount: 20, waitlistCount: 280, seatsLeft: 0 });
    expect(b.confirmed.map((e) => e.residentId)).toEqual(a.confirmed.map((e) => e.residentId));
    expect(b.waitlist.map((e) => e.residentId)).toEqual(a.waitlist.map((e) => e.residentId));
    // a cancel in one process and a cancel in the other promote the first two waitlisted, once each
    const [c1, c2] = [a.confirmed[0]!.residentId, a.confirmed[1]!.residentId];
    const [w1, w2] = [a.waitlist[0]!.residentId, a.waitlist[1]!.residentId];
    const cancels = await Promise.all([
      p1.append(activity, () => ({ type: 'cancel', residentId: c1 })),
      p2.append(activity, () => ({ type: 'cancel', residentId: c2 })),
    ]);
    const promoted = cancels.flatMap((x) => (x.applied.type === 'cancel' ? x.applied.promoted.map((e) => e.residentId) : []));
    expect(promoted.sort()).toEqual([w1, w2].sort());
    expect(counts(await p1.read(activity))).toMatchObject({ confirmedCount: 20, waitlistCount: 278 });
  }, 120_000);

  it('reads an event another process appended before deciding, and never over-fills', async () => {
    const { id } = await createActivity(app, { capacity: 2 });
    expect((await signUp(id, volunteers[0]!)).body).toEqual({ status: 'confirmed' });
    // Another process, with its own cache, appends seq 2 and 3 (one more seat taken, one waitlisted).
    const events = rawCollection(RosterEvent);
    const foreign = (seq: number, v: VolunteerSession) => ({
      _id: logId(id, seq),
      activityId: id,
      seq,
      type: 'signup',
      residentId: v.id,
      regionCode: null,
      name: '他处',
      phoneMasked: '',
      capacity: null,
      nonce: `other-${seq}`,
      at: new Date(),
    });
    await events.insertMany([foreign(2, volunteers[1]!), foreign(3, volunteers[2]!)]);
    // This process still believes one seat is left; its insert of seq 2 loses and it catches up.
    expect((await signUp(id, volunteers[3]!)).body).toEqual({ status: 'waitlisted', position: 2 });
    expect((await signUp(id, volunteers[1]!)).status).toBe(409);
    expect(await listed(id)).toMatchObject({ confirmedCount: 2, waitlistCount: 2 });
  });

  it('takes a retried request with the same Idempotency-Key once', async () => {
    const { id } = await createActivity(app, { capacity: 5 });
    const v = volunteers[10]!;
    const opts = { token: v.token, headers: { 'idempotency-key': 'signup-retry-1' } };
    const first = await app.post(`/api/v1/activities/${id}/signups`, {}, opts);
    const retry = await app.post(`/api/v1/activities/${id}/signups`, {}, opts);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replay')).toBe('true');
    expect(await listed(id)).toMatchObject({ confirmedCount: 1 });
  });
});
