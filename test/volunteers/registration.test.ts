import { useTestApp } from '../harness/app';
import { COMMUNITIES, residentSession } from '../factories';
import { createActivity, idNumberEndingInX, NOTICE_VERSION, registration, validIdNumber, volunteerSession } from './factories';
import { checkDigitOf } from '../../src/modules/volunteers/id-number';
import { decrypt } from '../../src/core/pii';
import { Volunteer, VolunteerIdNumber } from '../../src/modules/volunteers/volunteers.model';

const app = useTestApp();

describe('registering as a volunteer', () => {
  it('returns the volunteer with phone and ID number masked', async () => {
    const r = await residentSession(app);
    const body = registration({
      phone: '13812345678',
      idNumber: '11010519491231002X',
      realName: '李文明',
      skills: ['文明劝导', '助老助残'],
    });
    const res = await app.post('/api/v1/volunteers', body, { token: r.token });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: r.id,
      realName: '李文明',
      phoneMasked: '138****5678',
      idNumberMasked: '1101**********002X',
      gender: 'female',
      regionCode: COMMUNITIES[0],
      regionName: '东湖区 湖滨街道 柳岸社区',
      skills: ['文明劝导', '助老助残'],
      hours: 0,
      activities: 0,
      consent: { noticeVersion: NOTICE_VERSION },
    });
    expect(res.body.volunteerNo).toMatch(/^ZY\d{8}[0-9A-F]{6}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/13812345678|11010519491231002X/);
    const me = await app.get('/api/v1/volunteers/me', { token: r.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: r.id,
      realName: '李文明',
      phoneMasked: '138****5678',
      regionCode: COMMUNITIES[0],
      hours: 0,
      activities: 0,
    });
    expect(JSON.stringify(me.body)).not.toMatch(/13812345678|11010519491231002X/);
  });

  it('stores phone and ID number encrypted, with the notice version agreed to', async () => {
    const v = await volunteerSession(app);
    const doc = await Volunteer.findById(v.id).lean();
    const stored = JSON.stringify(doc);
    expect(stored).not.toContain(v.phone);
    expect(stored).not.toContain(v.idNumber);
    expect(decrypt(doc!.phoneEnc)).toBe(v.phone);
    expect(decrypt(doc!.idNumberEnc)).toBe(v.idNumber);
    expect(doc!.consent).toMatchObject({ noticeVersion: NOTICE_VERSION, channel: 'api' });
  });

  it('sets the resident community when they had none, and keeps one they chose', async () => {
    const fresh = await volunteerSession(app, { regionCode: COMMUNITIES[2] });
    expect((await app.get('/api/v1/me', { token: fresh.token })).body.regionCode).toBe(COMMUNITIES[2]);
    const chosen = await residentSession(app, { regionCode: COMMUNITIES[1] });
    expect((await app.post('/api/v1/volunteers', registration({ regionCode: COMMUNITIES[3] }), { token: chosen.token })).status).toBe(201);
    expect((await app.get('/api/v1/me', { token: chosen.token })).body.regionCode).toBe(COMMUNITIES[1]);
  });

  it('answers 404 for /volunteers/me before registering', async () => {
    const r = await residentSession(app);
    expect((await app.get('/api/v1/volunteers/me', { token: r.token })).status).toBe(404);
  });

  it('serves the privacy notice with its version, purposes and retention', async () => {
    const res = await app.get('/api/v1/volunteers/privacy-notice');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(NOTICE_VERSION);
    const text = JSON.stringify(res.body.sections);
    expect(text).toMatch(/处理目的/);
    expect(text).toMatch(/保存期限/);
    expect(text).toMatch(/敏感个人信息/);
    expect(res.body.skills).toContain('文明劝导');
  });
});

describe('refusing bad registrations', () => {
  it('rejects an ID number with a bad check digit with INVALID_ID_NUMBER', async () => {
    const r = await residentSession(app);
    const good = validIdNumber();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await app.post('/api/v1/volunteers', registration({ idNumber: bad }), { token: r.token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_ID_NUMBER');
    expect(res.body.error.message).toMatch(/校验位/);
    expect(JSON.stringify(res.body)).not.toContain(bad);
  });

  it('rejects the birth date 19991340 with INVALID_ID_NUMBER', async () => {
    const r = await residentSession(app);
    const first17 = '33020119991340123';
    const res = await app.post('/api/v1/volunteers', registration({ idNumber: first17 + checkDigitOf(first17) }), { token: r.token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_ID_NUMBER');
    expect(res.body.error.message).toMatch(/出生日期/);
  });

  it('rejects a phone number that is not a mainland mobile number', async () => {
    const r = await residentSession(app);
    for (const phone of ['12812345678', '1381234567', '+8613812345678']) {
      const res = await app.post('/api/v1/volunteers', registration({ phone }), { token: r.token });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'phone' })]));
    }
  });

  it('requires the explicit consent to the current notice', async () => {
    const r = await residentSession(app);
    const missing = await app.post('/api/v1/volunteers', registration({ consent: undefined }), { token: r.token });
    expect(missing.status).toBe(400);
    const notAgreed = await app.post('/api/v1/volunteers', registration({ consent: { agreed: false, noticeVersion: NOTICE_VERSION } }), {
      token: r.token,
    });
    expect(notAgreed.status).toBe(400);
    expect(notAgreed.body.error.message).toMatch(/同意/);
    const old = await app.post('/api/v1/volunteers', registration({ consent: { agreed: true, noticeVersion: '2020-01' } }), {
      token: r.token,
    });
    expect(old.status).toBe(400);
    expect(old.body.error.details[0].path).toBe('consent.noticeVersion');
    expect((await app.get('/api/v1/volunteers/me', { token: r.token })).status).toBe(404);
  });

  it('rejects a region that is not a community, and unknown skills', async () => {
    const r = await residentSession(app);
    expect((await app.post('/api/v1/volunteers', registration({ regionCode: '330201' }), { token: r.token })).status).toBe(400);
    const skills = await app.post('/api/v1/volunteers', registration({ skills: ['飞行'] }), { token: r.token });
    expect(skills.status).toBe(400);
    expect(skills.body.error.message).toMatch(/飞行/);
  });

  it('answers 409 when the resident registers a second time', async () => {
    const v = await volunteerSession(app);
    const again = await app.post('/api/v1/volunteers', registration(), { token: v.token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_REGISTERED');
  });

  it('answers 409 when another resident registers the same ID number, in either letter case', async () => {
    const first = await residentSession(app);
    const id = idNumberEndingInX();
    expect((await app.post('/api/v1/volunteers', registration({ idNumber: id }), { token: first.token })).status).toBe(201);
    const second = await residentSession(app);
    const res = await app.post('/api/v1/volunteers', registration({ idNumber: id.toLowerCase() }), { token: second.token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ALREADY_REGISTERED');
    expect(res.body.error.message).toMatch(/身份证号码已注册/);
  });

  it('lets exactly one of many residents racing with one ID number register', async () => {
    const idNumber = validIdNumber('19851111');
    const residents = await Promise.all(Array.from({ length: 12 }, () => residentSession(app)));
    const results = await Promise.all(residents.map((r) => app.post('/api/v1/volunteers', registration({ idNumber }), { token: r.token })));
    expect(results.filter((x) => x.status === 201)).toHaveLength(1);
    expect(results.filter((x) => x.status === 409)).toHaveLength(11);
  });

  it('keeps a resident to one registration when they race with two numbers', async () => {
    const r = await residentSession(app);
    const [a, b] = [validIdNumber(), validIdNumber()];
    const results = await Promise.all(
      [a, b].map((idNumber) => app.post('/api/v1/volunteers', registration({ idNumber }), { token: r.token })),
    );
    expect(results.map((x) => x.status).sort()).toEqual([201, 409]);
    // the losing number was released: another resident can register with it
    const loser = results[0]!.status === 409 ? a : b;
    const other = await residentSession(app);
    expect((await app.post('/api/v1/volunteers', registration({ idNumber: loser }), { token: other.token })).status).toBe(201);
  });

  it('is for residents only', async () => {
    expect((await app.post('/api/v1/volunteers', registration())).status).toBe(401);
  });
});

describe('withdrawing the consent', () => {
  it('deletes the registration, frees the ID number and gives the seat to the waitlist', async () => {
    const a = await createActivity(app, { capacity: 1 });
    const leaving = await volunteerSession(app);
    const waiting = await volunteerSession(app);
    await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: leaving.token });
    await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: waiting.token });
    const hash = (await Volunteer.findById(leaving.id).lean())!.idNumberHash;

    expect((await app.del('/api/v1/volunteers/me', { token: leaving.token })).status).toBe(204);
    expect(await Volunteer.findById(leaving.id).lean()).toBeNull();
    expect(await VolunteerIdNumber.findById(hash).lean()).toBeNull();
    expect((await app.get('/api/v1/volunteers/me', { token: leaving.token })).status).toBe(404);
    expect((await app.get(`/api/v1/activities/${a.id}`, { token: waiting.token })).body.my.status).toBe('confirmed');
    // the number can be registered again
    const again = await residentSession(app);
    expect((await app.post('/api/v1/volunteers', registration({ idNumber: leaving.idNumber }), { token: again.token })).status).toBe(201);
    expect((await app.del('/api/v1/volunteers/me', { token: leaving.token })).status).toBe(404);
  });
});
