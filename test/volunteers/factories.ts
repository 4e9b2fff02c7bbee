import { checkDigitOf } from '../../src/modules/volunteers/id-number';
import type { TestApp } from '../harness/app';
import { residentSession, staffSession, COMMUNITIES } from '../factories';

/** Test data for volunteers and activities: valid ID numbers, registered volunteers, activities. */
export const NOTICE_VERSION = '2026-12-v2';

let idSeq = 0;
let phoneSeq = 0;

/** A valid 18-digit ID number (GB 11643 check digit), different on every call. */
export function validIdNumber(birth = '19900307'): string {
  const seq = String(100 + (++idSeq % 900)).padStart(3, '0');
  const area = String(330201 + Math.floor(idSeq / 900));
  const first17 = `${area}${birth}${seq}`;
  return first17 + checkDigitOf(first17);
}

/** A valid ID number whose check character is X (to test the x → X normalization). */
export function idNumberEndingInX(): string {
  for (;;) {
    const n = validIdNumber('19880808');
    if (n.endsWith('X')) return n;
  }
}

export function validPhone(): string {
  return `139${String(10_000_000 + ((++phoneSeq * 7919) % 90_000_000)).padStart(8, '0')}`;
}

export function registration(overrides: Record<string, unknown> = {}) {
  return {
    realName: '张志愿',
    phone: validPhone(),
    idNumber: validIdNumber(),
    regionCode: COMMUNITIES[0],
    skills: ['文明劝导'],
    consent: { agreed: true, noticeVersion: NOTICE_VERSION },
    ...overrides,
  };
}

export interface VolunteerSession {
  token: string;
  id: string;
  phone: string;
  idNumber: string;
}

/** A resident who registered as a volunteer through the API. */
export async function volunteerSession(app: TestApp, overrides: Record<string, unknown> = {}): Promise<VolunteerSession> {
  const r = await residentSession(app);
  const body = registration(overrides);
  const res = await app.post('/api/v1/volunteers', body, { token: r.token });
  if (res.status !== 201) throw new Error(`volunteer registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...r, phone: body.phone as string, idNumber: body.idNumber as string };
}

/** Runs fn over items with at most `limit` in flight (keeps setup fast without flooding the server). */
export async function inBatches<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

const HOUR = 3_600_000;

/** An ISO time `hours` from now (+08:00 is not needed: the API takes any offset). */
export const hoursFromNow = (hours: number, base = Date.now()): string => new Date(base + hours * HOUR).toISOString();

export function activityInput(overrides: Record<string, unknown> = {}) {
  return {
    title: '文明交通劝导',
    description: '在柳岸路口劝导行人和非机动车文明出行。',
    startAt: hoursFromNow(48),
    endAt: hoursFromNow(51),
    regionCode: COMMUNITIES[0],
    address: '柳岸路与湖滨路交叉口',
    capacity: 20,
    ...overrides,
  };
}

let officeCache: { app: TestApp; token: string } | undefined;

export async function officeToken(app: TestApp): Promise<string> {
  if (officeCache?.app === app) return officeCache.token;
  officeCache = { app, token: (await staffSession(app, 'office')).token };
  return officeCache.token;
}

/** An activity published by an office user; the response includes the check-in code. */
export async function createActivity(
  app: TestApp,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; checkinCode: string } & Record<string, any>> {
  const res = await app.post('/api/v1/activities', activityInput(overrides), { token: await officeToken(app) });
  if (res.status !== 201) throw new Error(`create activity failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
