import type { Page } from 'playwright-core';
import { useH5App } from '../harness/browser';
import { startFakeWeChat, type FakeWeChat } from '../harness/fake-wechat';
import { setConfig } from '../../src/config';
import { signLinkToken } from '../../src/core/auth';
import { residentSession } from '../factories';

const h5 = useH5App();
let wx: FakeWeChat;

beforeAll(async () => {
  wx = await startFakeWeChat();
  // config() is read per request, so the app started by useH5App picks this up.
  setConfig({ WECHAT_API_BASE: wx.url, WECHAT_OAUTH_BASE: wx.url, WECHAT_APP_ID: wx.appId, WECHAT_APP_SECRET: wx.appSecret });
});
afterAll(() => wx.close());

let seq = 0;
/** A fresh openid and a one-use code for it. */
function wechatUser(): { openid: string; code: () => string } {
  const openid = `o-test-${++seq}-${Date.now().toString(36)}`;
  return {
    openid,
    code: () => {
      const code = `code-${openid}-${Math.random().toString(36).slice(2, 8)}`;
      wx.addCode(code, openid);
      return code;
    },
  };
}

const meInPage = (page: Page): Promise<{ id: string }> => page.evaluate(async () => (await fetch('/api/v1/me')).json());
const hasCall = (path: string) => wx.calls.some((c) => c.path === path);

describe('WeChat H5 OAuth', () => {
  h5.it(
    'signs a WeChat visitor in by openid as the same resident as the mini-program',
    async ({ page, app }) => {
      const user = wechatUser();
      wx.authorizeCode = user.code();
      await page.goto(h5.url('/me'));
      await page.locator('.stats').waitFor();
      expect(page.url()).toMatch(/\/h5\/#\/me$/); // back on the page it asked for
      const inBrowser = await meInPage(page);
      const authorize = wx.calls.filter((c) => c.path === '/connect/oauth2/authorize').at(-1)!;
      expect(authorize.query.get('scope')).toBe('snsapi_base');
      expect(authorize.query.get('appid')).toBe(wx.appId);

      const mp = await app.post('/api/v1/sessions/miniprogram', { code: user.code() });
      expect(mp.status).toBe(201);
      expect(mp.body.resident.id).toBe(inBrowser.id);
    },
    { wechat: true },
  );

  h5.it(
    'finds the resident the mini-program created first',
    async ({ page, app }) => {
      const user = wechatUser();
      const mp = await app.post('/api/v1/sessions/miniprogram', { code: user.code() });
      wx.authorizeCode = user.code();
      await page.goto(h5.url('/'));
      await page.locator('.entry').first().waitFor();
      expect((await meInPage(page)).id).toBe(mp.body.resident.id);
    },
    { wechat: true },
  );

  h5.it(
    'shows a clear Chinese error for a code WeChat refuses, and lets the visitor go on without it',
    async ({ page }) => {
      wx.authorizeCode = 'no-such-code';
      await page.goto(h5.url('/'));
      await page.getByText('微信授权失败：登录凭证无效或已过期，请重新进入').waitFor();
      expect((await page.context().cookies()).some((c) => c.name === 'wm_session')).toBe(false);
      await page.getByRole('button', { name: '暂不授权，先逛逛' }).click();
      await page.locator('.entry').first().waitFor();
      expect((await meInPage(page)).id).toMatch(/^[0-9a-f]{24}$/);
    },
    { wechat: true },
  );

  h5.it('does not use OAuth outside WeChat', async ({ page }) => {
    const before = wx.calls.length;
    await page.goto(h5.url('/'));
    await page.locator('.entry').first().waitFor();
    expect(wx.calls.length).toBe(before);
  });

  h5.it(
    'links the openid to the resident a bot link already signed in',
    async ({ page, app }) => {
      const { id } = await residentSession(app, { nickname: '链接居民' });
      await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(id, '/'))}`);
      await page.locator('.entry').first().waitFor();
      const user = wechatUser();
      wx.authorizeCode = user.code();
      await page.goto('/h5/oauth/start?next=/me');
      await page.locator('.nickname', { hasText: '链接居民' }).waitFor();
      expect((await meInPage(page)).id).toBe(id);
      const mp = await app.post('/api/v1/sessions/miniprogram', { code: user.code() });
      expect(mp.body.resident.id).toBe(id);
    },
    { wechat: true },
  );

  h5.it(
    'keeps an openid with the resident it already belongs to',
    async ({ page, app }) => {
      const user = wechatUser();
      const owner = await app.post('/api/v1/sessions/miniprogram', { code: user.code() });
      const { id: other } = await residentSession(app);
      await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(other, '/'))}`);
      await page.locator('.entry').first().waitFor();
      wx.authorizeCode = user.code();
      await page.goto('/h5/oauth/start?next=/me');
      await page.locator('.stats').waitFor();
      expect((await meInPage(page)).id).toBe(owner.body.resident.id);
    },
    { wechat: true },
  );
});

describe('OAuth callback', () => {
  it('builds the WeChat authorize URL in the order WeChat requires, with an alphanumeric state', async () => {
    const res = await h5.app.get('/h5/oauth/start?next=/me');
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    const redirectUri = encodeURIComponent(`${h5.app.baseUrl}/h5/oauth/callback`);
    expect(location).toMatch(
      new RegExp(
        `^${wx.url}/connect/oauth2/authorize\\?appid=${wx.appId}&redirect_uri=${redirectUri.replace(/[.%]/g, '\\$&')}&response_type=code&scope=snsapi_base&state=[A-Za-z0-9]{16,128}#wechat_redirect$`,
      ),
    );
    expect(res.headers.get('set-cookie')).toMatch(/wm_oauth=.*path=\/h5\/oauth;.*httponly/i);
  });

  it('refuses a forged state without asking WeChat or opening a session', async () => {
    const start = await h5.app.get('/h5/oauth/start?next=/me');
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const user = wechatUser();
    const code = user.code();
    const before = wx.calls.length;
    const res = await h5.app.get(`/h5/oauth/callback?code=${code}&state=forged0123456789abcdef0123456789ab`, { headers: { cookie } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/h5/#/oauth-error?reason=state&next=%2F');
    expect(res.headers.get('set-cookie') ?? '').not.toMatch(/wm_session=[^;]/);
    expect(wx.calls.length).toBe(before);
  });

  it('refuses a genuine state presented without its browser cookie (login CSRF)', async () => {
    const start = await h5.app.get('/h5/oauth/start?next=/me');
    const state = new URL(start.headers.get('location')!.replace('#wechat_redirect', '')).searchParams.get('state')!;
    const res = await h5.app.get(`/h5/oauth/callback?code=${wechatUser().code()}&state=${state}`);
    expect(res.headers.get('location')).toMatch(/reason=state/);
  });

  it('refuses a state cookie signed with another secret', async () => {
    const jwt = await import('jsonwebtoken');
    const fake = jwt.sign({ typ: 'oauth', nonce: 'abc123', next: '/me' }, 'another-secret-another-secret-another-secret');
    const res = await h5.app.get(`/h5/oauth/callback?code=${wechatUser().code()}&state=abc123`, {
      headers: { cookie: `wm_oauth=${fake}` },
    });
    expect(res.headers.get('location')).toMatch(/reason=state/);
  });

  it('signs in with a matching state and cookie, and spends the state cookie', async () => {
    const start = await h5.app.get('/h5/oauth/start?next=/me');
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const state = new URL(start.headers.get('location')!.replace('#wechat_redirect', '')).searchParams.get('state')!;
    const user = wechatUser();
    const res = await h5.app.get(`/h5/oauth/callback?code=${user.code()}&state=${state}`, { headers: { cookie } });
    expect(res.headers.get('location')).toBe('/h5/#/me');
    expect(res.headers.get('set-cookie')).toMatch(/wm_session=[^;]+/);
    expect(res.headers.get('set-cookie')).toMatch(/wm_oauth=;.*expires=Thu, 01 Jan 1970/i);
    expect(hasCall('/sns/oauth2/access_token')).toBe(true);
  });

  it('reports WeChat being unreachable as such', async () => {
    setConfig({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
    try {
      const start = await h5.app.get('/h5/oauth/start');
      const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
      const state = new URL(start.headers.get('location')!.replace('#wechat_redirect', '')).searchParams.get('state')!;
      const res = await h5.app.get(`/h5/oauth/callback?code=x&state=${state}`, { headers: { cookie } });
      expect(res.headers.get('location')).toMatch(/reason=upstream/);
    } finally {
      setConfig({ WECHAT_API_BASE: wx.url });
    }
  });

  it('tells the pages whether OAuth is configured', async () => {
    expect((await h5.app.get('/api/v1/h5/config')).body).toEqual({ wechatOAuth: true });
    setConfig({ WECHAT_APP_ID: undefined });
    try {
      expect((await h5.app.get('/api/v1/h5/config')).body).toEqual({ wechatOAuth: false });
      expect((await h5.app.get('/h5/oauth/start?next=/me')).headers.get('location')).toBe('/h5/#/oauth-error?reason=disabled&next=%2Fme');
    } finally {
      setConfig({ WECHAT_APP_ID: wx.appId });
    }
  });
});
