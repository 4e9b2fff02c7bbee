import { checkDigitOf, checkIdNumber } from '../../src/modules/volunteers/id-number';
import { applyEvent, counts, emptyRoster, statusOf, type Roster } from '../../src/modules/volunteers/roster';
import { servedMinutes } from '../../src/modules/volunteers/attendance.service';
import { reminderDue } from '../../src/modules/volunteers/volunteers.jobs';

const TODAY = '2026-11-22';

describe('ID numbers (GB 11643)', () => {
  it('accepts a number whose check digit matches, and reads birth date and gender', () => {
    // 11010519491231002X is the standard's worked example
    const r = checkIdNumber('11010519491231002X', TODAY);
    expect(r).toMatchObject({ ok: true, birthDate: '1949-12-31', gender: 'female', normalized: '11010519491231002X' });
  });

  it('normalizes a lower-case x and spaces', () => {
    expect(checkIdNumber(' 110105 19491231 002x ', TODAY)).toMatchObject({ ok: true, normalized: '11010519491231002X' });
  });

  it('rejects a number with a bad check digit', () => {
    expect(checkIdNumber('110105194912310021', TODAY)).toMatchObject({ ok: false, problem: 'checkDigit' });
  });

  it('rejects an impossible birth date even with a matching check digit (19991340)', () => {
    const first17 = '33020119991340123';
    expect(checkIdNumber(first17 + checkDigitOf(first17), TODAY)).toMatchObject({ ok: false, problem: 'birthDate' });
  });

  it('rejects 30 February, accepts 29 February of a leap year only', () => {
    const withBirth = (d: string) => `330201${d}123` + checkDigitOf(`330201${d}123`);
    expect(checkIdNumber(withBirth('20000230'), TODAY).problem).toBe('birthDate');
    expect(checkIdNumber(withBirth('20000229'), TODAY).ok).toBe(true);
    expect(checkIdNumber(withBirth('19990229'), TODAY).problem).toBe('birthDate');
  });

  it('rejects a birth date in the future and a wrong length', () => {
    const future = '33020120300101123';
    expect(checkIdNumber(future + checkDigitOf(future), TODAY).problem).toBe('birthDate');
    expect(checkIdNumber('3302011990010112', TODAY).problem).toBe('format');
    expect(checkIdNumber('33020119900101123Y', TODAY).problem).toBe('format');
  });
});

describe('the roster as a function of its log', () => {
  let seq = 0;
  const t = new Date('2026-12-01T00:00:00Z');
  const signup = (r: Roster, residentId: string) =>
    applyEvent(r, { seq: ++seq, type: 'signup', residentId, regionCode: null, name: residentId, phoneMasked: '', capacity: null, at: t });
  const cancel = (r: Roster, residentId: string) =>
    applyEvent(r, { seq: ++seq, type: 'cancel', residentId, regionCode: null, name: null, phoneMasked: null, capacity: null, at: t });
  const capacity = (r: Roster, n: number) =>
    applyEvent(r, { seq: ++seq, type: 'capacity', residentId: null, regionCode: null, name: null, phoneMasked: null, capacity: n, at: t });
  beforeEach(() => (seq = 0));

  it('confirms up to capacity, then waitlists in order', () => {
    const r = emptyRoster('a', 2);
    expect(signup(r, 'x')).toEqual({ type: 'signup', status: 'confirmed' });
    expect(signup(r, 'y')).toEqual({ type: 'signup', status: 'confirmed' });
    expect(signup(r, 'z')).toEqual({ type: 'signup', status: 'waitlisted', position: 1 });
    expect(signup(r, 'w')).toEqual({ type: 'signup', status: 'waitlisted', position: 2 });
    expect(counts(r)).toEqual({ capacity: 2, confirmedCount: 2, waitlistCount: 2, seatsLeft: 0 });
  });

  it('gives a cancelled seat to the earliest waitlisted, exactly one', () => {
    const r = emptyRoster('a', 1);
    signup(r, 'x');
    signup(r, 'y');
    signup(r, 'z');
    const res = cancel(r, 'x');
    expect(res).toMatchObject({ type: 'cancel', was: 'confirmed' });
    expect(res.type === 'cancel' && res.promoted.map((e) => e.residentId)).toEqual(['y']);
    expect(statusOf(r, 'z')).toEqual({ status: 'waitlisted', position: 1 });
  });

  it('ignores a second sign-up and a cancel of someone not on the roster', () => {
    const r = emptyRoster('a', 5);
    signup(r, 'x');
    expect(signup(r, 'x')).toEqual({ type: 'ignored' });
    expect(cancel(r, 'nobody')).toEqual({ type: 'ignored' });
    expect(counts(r).confirmedCount).toBe(1);
  });

  it('promotes on a larger capacity and never unseats on a smaller one', () => {
    const r = emptyRoster('a', 1);
    signup(r, 'x');
    signup(r, 'y');
    const more = capacity(r, 2);
    expect(more.type === 'capacity' && more.promoted.map((e) => e.residentId)).toEqual(['y']);
    capacity(r, 1);
    expect(counts(r)).toMatchObject({ confirmedCount: 2, seatsLeft: 0 });
    expect(signup(r, 'z')).toMatchObject({ status: 'waitlisted', position: 1 });
  });

  it('refuses to apply events out of order', () => {
    const r = emptyRoster('a', 1);
    expect(() =>
      applyEvent(r, { seq: 2, type: 'signup', residentId: 'x', regionCode: null, name: null, phoneMasked: null, capacity: null, at: t }),
    ).toThrow(/applied after 0/);
  });
});

describe('service hours and reminders', () => {
  const activity = { startAt: new Date('2026-12-01T01:00:00Z'), endAt: new Date('2026-12-01T04:00:00Z') };
  const at = (h: number, m = 0) => new Date(Date.UTC(2026, 11, 1, h, m));

  it('clips the checked-in time to the activity window', () => {
    expect(servedMinutes(activity, at(0, 30), at(2))).toBe(60);
    expect(servedMinutes(activity, at(1, 15), at(5))).toBe(165);
    expect(servedMinutes(activity, at(2), at(3, 30))).toBe(90);
    expect(servedMinutes(activity, at(0), at(0, 50))).toBe(0);
  });

  it('is due the day before, then the hour before, never after the start', () => {
    expect(reminderDue(activity, at(1) /* start */)).toBeUndefined();
    expect(reminderDue(activity, new Date(activity.startAt.getTime() - 30 * 60_000))).toBe('hour');
    expect(reminderDue(activity, new Date(activity.startAt.getTime() - 20 * 3_600_000))).toBe('day');
    expect(reminderDue(activity, new Date(activity.startAt.getTime() - 25 * 3_600_000))).toBeUndefined();
  });
});
