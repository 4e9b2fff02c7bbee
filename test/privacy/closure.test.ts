import mongoose from 'mongoose';
import { createEngine } from '../../bots/engine';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { runErasures } from '../../src/modules/privacy';
import { counterWriter } from '../../src/modules/counters/counter-writer';
import { rebuildCounters } from '../../src/modules/counters/counters.rebuild';
import { Counter } from '../../src/modules/counters/stats.model';
import { Tipoff } from '../../src/modules/tipoffs/tipoffs.model';
import { Volunteer } from '../../src/modules/volunteers/volunteers.model';
import { contact } from '../bot/helpers';
import { residentSession } from '../factories';
import { officeToken } from '../volunteers/factories';
import { startTestApp, type TestApp } from '../harness/app';
import { residentWithEverything, type FullResident } from './factories';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
}, 120_000);
afterAll(() => app.close());

/** Every counter, zeros dropped and keys sorted, so two snapshots compare by value. */
async function counters(): Promise<Record<string, unknown>> {
  await counterWriter.flush();
  const strip = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => [k, strip(x)] as const)
      .filter(([, x]) => x !== 0 && x !== undefined);
    return entries.length ? Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))) : undefined;
  };
  const docs = await Counter.find().lean<Array<{ _id: string; c: unknown }>>();
  return Object.fromEntries(
    docs
      .map((d) => [d._id, strip(d.c)])
      .filter(([, c]) => c !== undefined)
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
}

/** The counters of participation and answers: what offices report, never to move on an erasure. */
const reported = (all: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(all).filter(([k]) => /^(act|who|gap|rsp|rsi|rsv|known|span|vol:|volday:)/.test(k)));

/** Where each of the strings is still found: "collection/_id: string" (`except`: others' strings that contain one). */
async function remaining(needles: string[], except: string[] = []): Promise<string[]> {
  const db = mongoose.connection.db!;
  const found: string[] = [];
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    for await (const doc of db.collection(name).find({})) {
      const json = except.reduce((j, e) => j.split(e).join(''), JSON.stringify(doc));
      for (const n of needles) if (json.includes(n)) found.push(`${name}/${String(doc._id)}: ${n}`);
    }
  }
  return found;
}

describe('注销 (closing the account)', () => {
  let r: FullResident;
  /** another resident whose contact id begins with the closed one's: untouched */
  const neighbourContact = () => `${r.contactId}2`;
  let hash: string;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    r = await residentWithEverything(app);
    await contact(createEngine(), neighbourContact(), 'wechaty').say('你好');
    hash = (await Volunteer.findById(r.id).lean())!.idNumberHash;
    before = await counters();
  }, 180_000);

  it('refuses without the confirmation phrase and changes nothing', async () => {
    const res = await app.post('/api/v1/me/closure', { confirm: '注销' }, { token: r.token });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'CONFIRMATION_MISMATCH', message: expect.stringContaining('确认注销') });
    expect((await app.get('/api/v1/me', { token: r.token })).status).toBe(200);
  });

  it('answers 202 with when erasure completes, and the session stops working at once', async () => {
    const res = await app.post('/api/v1/me/closure', { confirm: '确认注销' }, { token: r.token });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'accepted', erased: expect.any(Array), kept: expect.any(Array) });
    expect(Date.parse(res.body.erasureCompletesBy) - Date.parse(res.body.closedAt)).toBe(24 * 3_600_000);
    expect((await app.get('/api/v1/me', { token: r.token })).status).toBe(401);
    expect((await app.get('/api/v1/me/data', { token: r.token })).status).toBe(401);
  });

  it('keeps the tip-off for the city without its reporter', async () => {
    const t = (await Tipoff.findById(r.tipoffId).lean())!;
    expect(t).toMatchObject({ reporterId: null, anonymous: true, description: '小区门口垃圾堆积' });
    expect(t.photos).toHaveLength(1);
  });

  it('leaves nothing personal in any collection once the erasure job ran', async () => {
    const run = await runErasures();
    expect(run.erasures).toBe(1);
    const needles = [r.id, r.contactId, r.openid, r.mpOpenid, r.phone, r.idNumber, hash, r.nickname, r.realName];
    expect(await remaining(needles, [neighbourContact()])).toEqual([]);
    expect(await runErasures()).toEqual({ erasures: 0 });
  }, 120_000);

  it("shows the organiser's roster without the name or phone", async () => {
    const roster = await app.get(`/api/v1/activities/${r.activityId}/signups`, { token: await officeToken(app) });
    expect(roster.status).toBe(200);
    const text = JSON.stringify(roster.body);
    expect(text).not.toContain(r.realName);
    expect(text).not.toContain(r.phone.slice(-4));
  });

  it("leaves other residents alone, even one whose contact id begins with the closed one's", async () => {
    const neighbour = await findResidentByIdentity('wechaty', neighbourContact());
    expect(neighbour).toBeDefined();
    expect(
      await mongoose.connection.collection<{ _id: string }>('bot_conversations').findOne({ _id: `wechaty:${neighbourContact()}` }),
    ).not.toBeNull();
  });

  it('keeps the reported counts exact, and a rebuild equals the incremental counters', async () => {
    const after = await counters();
    expect(Object.keys(reported(before)).length).toBeGreaterThan(20);
    expect(Object.keys(before).some((k) => k.includes(r.id))).toBe(true); // the resident's own tallies moved
    expect(reported(after)).toEqual(reported(before));
    await rebuildCounters();
    expect(await counters()).toEqual(after);
  }, 120_000);

  it('makes a new, empty resident when the same WeChat contact writes again', async () => {
    await contact(createEngine(), r.contactId, 'wechaty').say('你好');
    const again = (await findResidentByIdentity('wechaty', r.contactId))!;
    expect(again._id).not.toBe(r.id);
    expect(again.nickname).not.toBe(r.nickname);
  });
});

describe('注销 of a resident with nothing but a session', () => {
  it('closes it too', async () => {
    const s = await residentSession(app);
    expect((await app.post('/api/v1/me/closure', { confirm: ' 确认注销 ' }, { token: s.token })).status).toBe(202);
    await runErasures();
    expect(await remaining([s.id])).toEqual([]);
  }, 60_000);
});
