import { setConfig } from '../../src/config';
import { startTestApp, type TestApp } from '../harness/app';
import { startFakeWeChat, type FakeWeChat } from '../harness/fake-wechat';
import { adminToken, COMMUNITIES, residentSession } from '../factories';

let app: TestApp;
let wechat: FakeWeChat;
beforeAll(async () => {
  app = await startTestApp();
  wechat = await startFakeWeChat();
  setConfig({ WECHAT_API_BASE: wechat.url, WECHAT_APP_ID: wechat.appId, WECHAT_APP_SECRET: wechat.appSecret });
});
afterAll(async () => {
  await wechat.close();
  await app.close();
});

describe('resident sessions', () => {
  it('creates an anonymous H5 resident with a token and an httpOnly cookie', async () => {
    const res = await app.post('/api/v1/sessions/anonymous', {});
    expect(res.status).toBe(201);
    expect(res.body.resident.id).toMatch(/^[0-9a-f]{24}$/);
    expect(res.headers.get('set-cookie')).toMatch(/wm_session=.*httponly/i);
    const me = await app.get('/api/v1/me', { token: res.body.token });
    expect(me.body).toMatchObject({
      id: res.body.resident.id,
      points: 0,
      participation: { quizzes: 0, surveys: 0, tipoffs: 0, activities: 0 },
    });
  });

  it('marks the session cookie secure when served behind TLS, and not over plain HTTP', async () => {
    const plain = await app.post('/api/v1/sessions/anonymous', {}, { headers: { 'x-forwarded-proto': 'https' } });
    expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*secure/i); // the proxy header is not trusted by default
    app.app.proxy = true; // TRUST_PROXY=true: a proxy in front terminates TLS
    try {
      const tls = await app.post('/api/v1/sessions/anonymous', {}, { headers: { 'x-forwarded-proto': 'https' } });
      expect(tls.headers.get('set-cookie')).toMatch(/wm_session=.*;\s*secure/i);
      const http = await app.post('/api/v1/sessions/anonymous', {}, { headers: { 'x-forwarded-proto': 'http' } });
      expect(http.headers.get('set-cookie')).toMatch(/wm_session=/);
      expect(http.headers.get('set-cookie')).not.toMatch(/;\s*secure/i);
    } finally {
      app.app.proxy = false;
    }
  });

  it('maps the same mini-program openid to the same resident', async () => {
    wechat.addCode('code-1', 'openid-A');
    wechat.addCode('code-2', 'openid-A');
    wechat.addCode('code-3', 'openid-B');
    const first = await app.post('/api/v1/sessions/miniprogram', { code: 'code-1' });
    const again = await app.post('/api/v1/sessions/miniprogram', { code: 'code-2' });
    const other = await app.post('/api/v1/sessions/miniprogram', { code: 'code-3' });
    expect(first.status).toBe(201);
    expect(again.body.resident.id).toBe(first.body.resident.id);
    expect(other.body.resident.id).not.toBe(first.body.resident.id);
  });

  it('makes one resident when two first logins with one openid race', async () => {
    wechat.addCode('race-1', 'openid-race');
    wechat.addCode('race-2', 'openid-race');
    const [a, b] = await Promise.all([
      app.post('/api/v1/sessions/miniprogram', { code: 'race-1' }),
      app.post('/api/v1/sessions/miniprogram', { code: 'race-2' }),
    ]);
    expect(a.body.resident.id).toBe(b.body.resident.id);
  });

  it('rejects an invalid WeChat code with a Chinese 401', async () => {
    const res = await app.post('/api/v1/sessions/miniprogram', { code: 'never-issued' });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('微信');
  });

  it('answers 503 NOT_CONFIGURED, not an upstream failure, when WeChat has no credentials here', async () => {
    setConfig({ WECHAT_APP_ID: undefined, WECHAT_APP_SECRET: undefined });
    try {
      const res = await app.post('/api/v1/sessions/miniprogram', { code: 'any' });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'NOT_CONFIGURED', message: expect.stringContaining('未配置微信') });
    } finally {
      setConfig({ WECHAT_APP_ID: wechat.appId, WECHAT_APP_SECRET: wechat.appSecret });
    }
  });
});

describe('me', () => {
  it('sets a community and a nickname', async () => {
    const { token } = await residentSession(app);
    const res = await app.patch('/api/v1/me', { regionCode: COMMUNITIES[2], nickname: '文明使者' }, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ regionCode: COMMUNITIES[2], nickname: '文明使者' });
    expect(res.body.regionName).toContain('文昌社区');
  });

  it('refuses a region that is not a community, naming the field', async () => {
    const { token } = await residentSession(app);
    const res = await app.patch('/api/v1/me', { regionCode: '330201' }, { token });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('regionCode');
  });
});

describe('staff', () => {
  it('lets the admin create office and unit staff, never returning the password or its hash', async () => {
    const admin = await adminToken(app);
    const res = await app.post(
      '/api/v1/staff',
      { username: 'chengguan1', password: 'password-123', role: 'unit', unitCode: 'cgj' },
      { token: admin },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: 'chengguan1',
      username: 'chengguan1',
      role: 'unit',
      unitCode: 'cgj',
      disabled: false,
      mustChangePassword: false,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password-123|passwordHash|"password"|argon/i);
    const login = await app.post('/api/v1/staff/sessions', { username: 'chengguan1', password: 'password-123' });
    expect(login.body.staff).toMatchObject({ role: 'unit', unitCode: 'cgj' });
  });

  it('answers 409 for a taken username and 400 for a unit account without a unit', async () => {
    const admin = await adminToken(app);
    await app.post('/api/v1/staff', { username: 'office-a', password: 'password-123', role: 'office' }, { token: admin });
    expect(
      (await app.post('/api/v1/staff', { username: 'Office-A', password: 'password-123', role: 'office' }, { token: admin })).status,
    ).toBe(409);
    const noUnit = await app.post('/api/v1/staff', { username: 'unit-x', password: 'password-123', role: 'unit' }, { token: admin });
    expect(noUnit.status).toBe(400);
    expect(noUnit.body.error.details[0].path).toBe('unitCode');
  });

  it('answers 401 BAD_CREDENTIALS for a wrong password and an unknown user alike', async () => {
    await adminToken(app);
    const wrong = await app.post('/api/v1/staff/sessions', { username: 'root', password: 'not-it-at-all' });
    const unknown = await app.post('/api/v1/staff/sessions', { username: 'nobody', password: 'whatever-123' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error).toEqual(unknown.body.error);
  });

  it('rate-limits logins per IP with 429 RATE_LIMITED', async () => {
    setConfig({ RATE_LIMIT_SCALE: 1 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await app.post('/api/v1/staff/sessions', { username: 'root', password: `guess-${i}-xx` })).status);
      expect(statuses.slice(-1)[0]).toBe(429);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    } finally {
      setConfig({ RATE_LIMIT_SCALE: 1000 });
    }
  });
});
