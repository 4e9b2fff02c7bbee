import mongoose from 'mongoose';
import { useCluster } from '../harness/cluster';
import type { ApiResponse } from '../harness/app';
import { residentSession } from '../factories';
import { LIUAN, uploadPhoto } from '../tipoffs/factories';
import { createActivity, inBatches, officeToken, volunteerSession } from '../volunteers/factories';

/**
 * Three service instances (separate processes) on one database, every request to the next one in
 * turn: a sign-up race and retried submissions stay exact, whichever instance answers.
 */
const cluster = useCluster({ instances: 3 });
const api = () => cluster.current.client;

const SEATS = 10;
const VOLUNTEERS = 36;
/** volunteers who also send a second sign-up at the same moment, to another instance */
const DOUBLE_SENDERS = 9;

interface Roster {
  capacity: number;
  confirmed: Array<{ residentId: string }>;
  waitlist: Array<{ residentId: string; position: number }>;
}

describe('a sign-up race across instances', () => {
  it('fills the seats exactly, keeps each resident once and tells each the status stored', async () => {
    const volunteers = await inBatches(Array.from({ length: VOLUNTEERS }), 6, () => volunteerSession(api()));
    const { id } = await createActivity(api(), { capacity: SEATS, title: '跨实例报名演练' });
    const signUp = (token: string, n: number) => cluster.current.on(n % 3).post(`/api/v1/activities/${id}/signups`, {}, { token });
    // Everyone at once, spread over the instances; the double senders' second requests go to the next instance.
    const sent = [
      ...volunteers.map((v, i) => ({ i, send: signUp(v.token, i) })),
      ...volunteers.slice(0, DOUBLE_SENDERS).map((v, i) => ({ i, send: signUp(v.token, i + 1) })),
    ];
    const answers = await Promise.all(sent.map(async (s) => ({ i: s.i, res: await s.send })));

    const office = await officeToken(api());
    const rosters = await Promise.all(
      [0, 1, 2].map(async (n) => (await cluster.current.on(n).get(`/api/v1/activities/${id}/signups`, { token: office })).body as Roster),
    );
    // Every instance reads the same roster (each catches up with the shared log).
    expect(rosters[1]).toEqual(rosters[0]);
    expect(rosters[2]).toEqual(rosters[0]);
    const roster = rosters[0]!;
    expect(roster.confirmed).toHaveLength(SEATS);
    expect(roster.waitlist.map((w) => w.position)).toEqual(Array.from({ length: VOLUNTEERS - SEATS }, (_, k) => k + 1));
    const stored = new Map<string, string>();
    for (const e of roster.confirmed) stored.set(e.residentId, 'confirmed');
    for (const e of roster.waitlist) stored.set(e.residentId, `waitlisted:${e.position}`);
    expect(stored.size).toBe(VOLUNTEERS); // each resident once

    // Each resident got exactly one 201, with the status stored; a second request only 409 ALREADY_SIGNED_UP.
    for (const [i, v] of volunteers.entries()) {
      const mine = answers.filter((a) => a.i === i).map((a) => a.res);
      const created = mine.filter((r) => r.status === 201);
      expect({ resident: i, created: created.length }).toEqual({ resident: i, created: 1 });
      const told = created[0]!.body.status === 'confirmed' ? 'confirmed' : `waitlisted:${created[0]!.body.position}`;
      expect({ resident: i, told }).toEqual({ resident: i, told: stored.get(v.id) });
      for (const r of mine.filter((x) => x.status !== 201))
        expect({ status: r.status, code: r.body.error?.code }).toEqual({ status: 409, code: 'ALREADY_SIGNED_UP' });
    }
  }, 300_000);
});

const ok = (r: ApiResponse) => r.status >= 200 && r.status < 300;
const countIn = (collection: string, filter: Record<string, unknown>) =>
  mongoose.connection.db!.collection(collection).countDocuments(filter);

interface Submission {
  path: string;
  token: string;
  body: unknown;
  /** how many records the submission made (1 expected) */
  count(): Promise<number>;
}

/** One valid submission per kind of participation, made through the cluster. */
const submissions: Record<string, () => Promise<Submission>> = {
  'a survey response': async () => {
    const r = await residentSession(api(), { regionCode: '330201001001' });
    const body = { answers: { 'report-channel': ['A'], 'environment-change': 4, 'volunteer-willing': ['A'], 'first-fix': '乱停车' } };
    return {
      path: '/api/v1/surveys/pulse-weekly/responses',
      token: r.token,
      body,
      count: () => countIn('participations', { residentId: r.id, kind: 'survey' }),
    };
  },
  'an activity sign-up': async () => {
    const v = await volunteerSession(api());
    const { id } = await createActivity(api(), { capacity: 5 });
    return {
      path: `/api/v1/activities/${id}/signups`,
      token: v.token,
      body: {},
      count: () => countIn('activity_roster_events', { activityId: id }),
    };
  },
  // The photo is uploaded to one instance and the tip-off sent to the others: DATA_DIR is shared.
  'a tip-off with a photo': async () => {
    const r = await residentSession(api());
    const photo = await uploadPhoto(api(), r.token);
    const body = { categoryCode: 'littering', description: '小区门口垃圾堆放多日无人清理', ...LIUAN, photoIds: [photo] };
    return { path: '/api/v1/tipoffs', token: r.token, body, count: () => countIn('tipoffs', { reporterId: r.id }) };
  },
  'a quiz attempt': async () => {
    const r = await residentSession(api());
    return {
      path: '/api/v1/quizzes/wenming-basics/attempts',
      token: r.token,
      body: {},
      count: () => countIn('quiz_attempts', { residentId: r.id }),
    };
  },
};

describe('Idempotency-Key retries across instances', () => {
  for (const [what, make] of Object.entries(submissions)) {
    it(`${what} sent to every instance at once, then again to each, has one effect and one response`, async () => {
      const s = await make();
      const key = `scaleout-${Math.random().toString(36).slice(2)}`;
      const sendTo = (n: number) => cluster.current.on(n).post(s.path, s.body, { token: s.token, headers: { 'idempotency-key': key } });
      const burst = await Promise.all([0, 1, 2, 0, 1, 2].map(sendTo));
      const retries = [];
      for (const n of [0, 1, 2]) retries.push(await sendTo(n));
      const all = [...burst, ...retries];
      const first = all.find(ok);
      expect(first).toBeDefined();
      for (const r of all.filter(ok)) expect({ status: r.status, body: r.body }).toEqual({ status: first!.status, body: first!.body });
      // A retry racing the first attempt (on any instance) may only be told to wait.
      for (const r of all.filter((x) => !ok(x)))
        expect({ status: r.status, code: r.body.error?.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_IN_PROGRESS' });
      for (const r of retries) {
        expect(ok(r)).toBe(true);
        expect(r.headers.get('idempotent-replay')).toBe('true');
      }
      expect(await s.count()).toBe(1);
    }, 120_000);
  }
});
