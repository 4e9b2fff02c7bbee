import pino from 'pino';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession } from '../factories';
import { createActivity, officeToken, registration, validIdNumber, validPhone } from './factories';
import { logger } from '../../src/core/logger';
import { checkDigitOf } from '../../src/modules/volunteers/id-number';

/**
 * No response body and no log line carries a full phone or ID number. The logger's output is
 * captured by swapping its destination stream (pino's stream symbol) and raising its level.
 */
let app: TestApp;
const lines: string[] = [];
const streamSym = pino.symbols.streamSym as unknown as keyof typeof logger;
let original: unknown;
let level: string;

beforeAll(async () => {
  app = await startTestApp();
  original = logger[streamSym];
  level = logger.level;
  (logger as unknown as Record<symbol, unknown>)[streamSym as unknown as symbol] = { write: (s: string) => void lines.push(s) };
  logger.level = 'trace';
});
afterAll(async () => {
  (logger as unknown as Record<symbol, unknown>)[streamSym as unknown as symbol] = original;
  logger.level = level;
  await app.close();
});

describe('personal data in responses and logs', () => {
  it('never shows a full phone or ID number, in any response or log line', async () => {
    const phone = validPhone();
    const idNumber = validIdNumber('19760512');
    const bodies: string[] = [];
    const keep = async (p: Promise<{ body: unknown }>) => {
      const r = await p;
      bodies.push(JSON.stringify(r.body));
      return r;
    };
    const r = await residentSession(app);
    // a bad check digit, a bad birth date, a bad phone: the errors must not echo the input
    const badCheck = idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1');
    const badDate = '33020119991340123' + checkDigitOf('33020119991340123');
    await keep(app.post('/api/v1/volunteers', registration({ phone, idNumber: badCheck }), { token: r.token }));
    await keep(app.post('/api/v1/volunteers', registration({ phone, idNumber: badDate }), { token: r.token }));
    await keep(app.post('/api/v1/volunteers', registration({ phone: `2${phone.slice(1)}`, idNumber }), { token: r.token }));
    const ok = await keep(app.post('/api/v1/volunteers', registration({ phone, idNumber }), { token: r.token }));
    expect(ok.body).toMatchObject({ phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}` });
    await keep(app.post('/api/v1/volunteers', registration({ phone, idNumber }), { token: r.token }));
    await keep(app.get('/api/v1/volunteers/me', { token: r.token }));
    const a = await createActivity(app);
    await keep(app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: r.token }));
    await keep(app.get(`/api/v1/activities/${a.id}/signups`, { token: await officeToken(app) }));
    await keep(app.get('/api/v1/volunteers/me/record', { token: r.token }));
    await keep(app.get('/api/v1/volunteers/me/signups', { token: r.token }));

    const log = lines.join('');
    expect(log).toMatch(/volunteer registered/);
    expect(log).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    for (const secret of [phone, idNumber, badCheck, badDate, idNumber.toLowerCase()]) {
      expect(log).not.toContain(secret);
      for (const b of bodies) expect(b).not.toContain(secret);
    }
    expect(bodies.length).toBe(10);
  });
});
