import { forgetRosters } from '../../src/modules/volunteers/roster-log';
import { startTestApp, type TestApp } from '../harness/app';
import { createActivity, inBatches, officeToken, volunteerSession, type VolunteerSession } from '../volunteers/factories';
import { writeFindings } from './artifacts';
import { sizes, timeoutMs } from './sizes';

/**
 * Trials of 200 volunteers signing up at the same moment for an activity with 20 seats: never more
 * than 20 confirmed (0 overbookings), every sign-up answered 201 and found in the stored roster
 * with the status it was told (0 lost). The roster is re-read from the database (cache dropped).
 */
let app: TestApp;
let volunteers: VolunteerSession[];

beforeAll(async () => {
  app = await startTestApp();
  volunteers = await inBatches(Array.from({ length: sizes.signupsPerTrial }), 20, () => volunteerSession(app));
}, 300_000);
afterAll(() => app.close());

interface Answer {
  status: number;
  body: { status?: 'confirmed' | 'waitlisted'; position?: number };
}

interface Trial {
  overbooked: number;
  lost: number;
  errors: number;
}

async function trial(): Promise<Trial> {
  const { id } = await createActivity(app, { capacity: sizes.seats, title: '周末环境清洁' });
  const answers = (await Promise.all(
    volunteers.map((v) => app.post(`/api/v1/activities/${id}/signups`, {}, { token: v.token })),
  )) as Answer[];
  forgetRosters(); // read back what is stored, not this process's cache
  const roster = (await app.get(`/api/v1/activities/${id}/signups`, { token: await officeToken(app) })).body as {
    confirmed: Array<{ residentId: string }>;
    waitlist: Array<{ residentId: string; position: number }>;
  };
  const stored = new Map<string, string>();
  for (const e of roster.confirmed) stored.set(e.residentId, 'confirmed');
  for (const e of roster.waitlist) stored.set(e.residentId, `waitlisted:${e.position}`);
  let lost = 0;
  answers.forEach((a, i) => {
    if (a.status !== 201) return;
    const told = a.body.status === 'confirmed' ? 'confirmed' : `waitlisted:${a.body.position}`;
    if (stored.get(volunteers[i]!.id) !== told) lost++;
  });
  const confirmedAnswers = answers.filter((a) => a.body.status === 'confirmed').length;
  return {
    overbooked: Math.max(0, roster.confirmed.length - sizes.seats, confirmedAnswers - sizes.seats),
    lost: lost + Math.abs(stored.size - answers.filter((a) => a.status === 201).length),
    errors: answers.filter((a) => a.status !== 201).length,
  };
}

describe(`${sizes.signupTrials} trials of ${sizes.signupsPerTrial} concurrent sign-ups for ${sizes.seats} seats`, () => {
  it(
    'never overbooks and loses no sign-up',
    async () => {
      const started = Date.now();
      const results: Trial[] = [];
      for (let t = 0; t < sizes.signupTrials; t++) results.push(await trial());
      const total = (k: 'overbooked' | 'lost' | 'errors') => results.reduce((n, r) => n + r[k], 0);
      writeFindings('signups', {
        trials: results.length,
        signupsPerTrial: sizes.signupsPerTrial,
        seats: sizes.seats,
        overbookings: total('overbooked'),
        lost: total('lost'),
        non201: total('errors'),
        seconds: Math.round((Date.now() - started) / 1000),
      });
      expect(total('overbooked')).toBe(0);
      expect(total('lost')).toBe(0);
      expect(total('errors')).toBe(0);
    },
    timeoutMs,
  );
});
