import jwt from 'jsonwebtoken';
import type { Page } from 'playwright-core';
import { useH5App, newPhoneContext } from '../harness/browser';
import { sessionKey, signLinkToken } from '../../src/core/auth';
import { residentSession } from '../factories';
import { applyRetention } from '../../src/modules/maintenance/maintenance.retention';
import { UsedLink } from '../../src/modules/residents/residents.model';

/**
 * Bot → H5 links: exchanged once for a session, and every refusal (tampered, expired, used) a
 * Chinese page with the way back to the chat, on a 375×667 phone and over plain HTTP.
 */
const h5 = useH5App();

const linkPath = (token: string) => `/h5/link?t=${encodeURIComponent(token)}`;
const meInPage = (page: Page): Promise<{ id: string }> => page.evaluate(async () => (await fetch('/api/v1/me')).json());
const expiredToken = (residentId: string) =>
  jwt.sign({ rid: residentId, next: '/', typ: 'link', jti: 'expired-link', exp: Math.floor(Date.now() / 1000) - 60 }, sessionKey(), {
    algorithm: 'HS256',
  });
const tampered = (token: string) => {
  const [head, body, sig] = token.split('.');
  return `${head}.${body}.${sig!.startsWith('A') ? 'B' : 'A'}${sig!.slice(1)}`;
};

/** The refusal page as a person sees it: the title, the way back, nothing of JSON, all on screen. */
async function expectRefusalPage(page: Page, title: string): Promise<void> {
  await page.getByRole('heading', { name: title }).waitFor();
  await page.getByText('请回到公众号/聊天中重新获取链接').waitFor();
  const back = page.getByRole('link', { name: '返回微信' });
  expect(await back.getAttribute('href')).toBe('weixin://');
  const box = (await back.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  expect(box.y + box.height).toBeLessThanOrEqual(667);
  expect(await page.locator('body').innerText()).not.toMatch(/[{}"]|error|code/);
}

describe('a bot link in the phone', () => {
  h5.it('opens the H5 pages as the resident, and a forwarded copy on another phone is refused', async ({ page, app }) => {
    const { id } = await residentSession(app);
    const token = signLinkToken(id, '/me');
    await page.goto(linkPath(token));
    await page.locator('.stats').waitFor();
    expect((await meInPage(page)).id).toBe(id);

    const otherPhone = await newPhoneContext(h5.browser, app.baseUrl, { wechat: true });
    try {
      const forwarded = await otherPhone.newPage();
      await forwarded.goto(linkPath(token));
      await expectRefusalPage(forwarded, '链接已使用');
      expect(await forwarded.evaluate(async () => (await fetch('/api/v1/me')).status)).toBe(401);
    } finally {
      await otherPhone.close();
    }
  });

  h5.it('lets the same phone open its link again (a reload), as the same resident', async ({ page, app }) => {
    const { id } = await residentSession(app);
    const token = signLinkToken(id, '/me');
    await page.goto(linkPath(token));
    await page.locator('.stats').waitFor();
    await page.goto(linkPath(token));
    await page.locator('.stats').waitFor();
    expect((await meInPage(page)).id).toBe(id);
  });

  h5.it('shows an expired link as a page with the way back to the chat', async ({ page, app }) => {
    const { id } = await residentSession(app);
    await page.goto(linkPath(expiredToken(id)));
    await expectRefusalPage(page, '链接已过期');
  });

  h5.it('shows a tampered link as a page with the way back to the chat', async ({ page, app }) => {
    const { id } = await residentSession(app);
    await page.goto(linkPath(tampered(signLinkToken(id))));
    await expectRefusalPage(page, '链接无效');
    await page.getByRole('link', { name: '先以游客身份浏览' }).click();
    await page.locator('.entry').first().waitFor();
  });
});

describe('a bot link over HTTP', () => {
  it('is exchanged once for a session cookie and a redirect into the pages', async () => {
    const { id } = await residentSession(h5.app);
    const token = signLinkToken(id, '/tipoff/mine');
    const first = await h5.app.get(linkPath(token));
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/h5/#/tipoff/mine');
    expect(first.headers.get('set-cookie')).toMatch(/^wm_session=/);
    const again = await h5.app.get(linkPath(token));
    expect(again.status).toBe(410);
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    ['a tampered link', 400, () => tampered(signLinkToken('r-someone'))],
    ['an expired link', 410, () => expiredToken('r-someone')],
    ['no link at all', 400, () => ''],
    [
      'a link of another kind (a session token)',
      400,
      () => jwt.sign({ kind: 'resident', residentId: 'r-x' }, sessionKey(), { algorithm: 'HS256', expiresIn: 60 }),
    ],
  ])('answers %s with %i and a Chinese HTML page, never JSON', async (_what, status, token) => {
    const res = await h5.app.get(linkPath(token()));
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toContain('请回到公众号/聊天中重新获取链接');
    expect(res.body).toContain('href="weixin://"');
  });

  it('answers a repeated or malformed query parameter with the page too', async () => {
    const res = await h5.app.get('/h5/link?t=a&t=b');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('lets exactly one of ten simultaneous openings through (the unique-_id insert is the guard)', async () => {
    const { id } = await residentSession(h5.app);
    const token = signLinkToken(id);
    const statuses = await Promise.all(Array.from({ length: 10 }, () => h5.app.get(linkPath(token)).then((r) => r.status)));
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(9);
  });
});

describe('used-link guards', () => {
  it('are deleted by retention a day after their link would have expired, not before', async () => {
    const at = new Date();
    const hour = 3600_000;
    await UsedLink.create([
      { _id: 'old-link', residentId: 'r-old', usedAt: new Date(at.getTime() - 50 * hour), expiresAt: new Date(at.getTime() - 49 * hour) },
      { _id: 'recent-link', residentId: 'r-new', usedAt: new Date(at.getTime() - hour), expiresAt: new Date(at.getTime() - hour / 2) },
    ]);
    const counts = await applyRetention(at);
    expect(counts.usedLinksDeleted).toBe(1);
    expect(await UsedLink.findById('old-link').lean()).toBeNull();
    expect(await UsedLink.findById('recent-link').lean()).not.toBeNull();
  });
});
