import type { Page } from 'playwright-core';
import { signLinkToken } from '../../src/core/auth';
import { residentSession } from '../factories';
import { newPhoneContext, useH5App } from '../harness/browser';

const h5 = useH5App();

/** Opens the pages as this resident through a bot link, on the given page. */
async function openAs(page: Page, residentId: string, next: string): Promise<void> {
  await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(residentId, next))}`);
}

/** The resident's stored elderMode, once it equals `want` (the page saves it in the background). */
async function storedElderMode(token: string, want: boolean): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const now = (await h5.app.get('/api/v1/me', { token })).body.elderMode;
    if (now === want) return now;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !want;
}

const isElder = (page: Page) => page.evaluate(() => document.documentElement.classList.contains('wm-elder'));
const px = (page: Page, selector: string, prop: 'fontSize' | 'height') =>
  page
    .locator(selector)
    .first()
    .evaluate((el, p) => parseFloat(p === 'height' ? String(el.getBoundingClientRect().height) : getComputedStyle(el).fontSize), prop);

describe('长辈模式 at 375×667', () => {
  h5.it(
    'the switch makes text 18 px and buttons 48 px, and the resident keeps it after a reload and on another phone',
    async ({ page, app }) => {
      const r = await residentSession(app);
      await openAs(page, r.id, '/quiz');
      await page.locator('.quiz .start').waitFor();
      expect(await isElder(page)).toBe(false);
      expect(await px(page, 'body', 'fontSize')).toBeLessThan(18);

      await page.getByRole('switch', { name: '长辈模式（大字）' }).click();
      await page.waitForFunction(() => document.documentElement.classList.contains('wm-elder'));
      expect(await page.getByRole('switch', { name: '长辈模式（大字）' }).getAttribute('aria-checked')).toBe('true');
      expect(await px(page, 'body', 'fontSize')).toBeGreaterThanOrEqual(18);
      expect(await px(page, '.quiz .title', 'fontSize')).toBeGreaterThanOrEqual(18);
      expect(await px(page, '.van-button--primary', 'height')).toBeGreaterThanOrEqual(48);
      expect(await px(page, '.van-nav-bar', 'height')).toBeGreaterThanOrEqual(48);
      expect(await storedElderMode(r.token, true)).toBe(true);

      await page.reload();
      await page.locator('.quiz .start').waitFor();
      expect(await isElder(page)).toBe(true);

      // Another phone (no localStorage) signed in as the same resident: the server's copy.
      const other = await newPhoneContext(h5.browser, app.baseUrl);
      try {
        const phone = await other.newPage();
        await openAs(phone, r.id, '/');
        await phone.locator('.entries').waitFor();
        await phone.waitForFunction(() => document.documentElement.classList.contains('wm-elder'));
        expect(await px(phone, '.van-tabbar', 'height')).toBeGreaterThanOrEqual(48);
        expect(await px(phone, '.entry-title', 'fontSize')).toBeGreaterThanOrEqual(18);
      } finally {
        await other.close();
      }
    },
  );

  h5.it('turns off from 我的, for this resident too', async ({ page, app }) => {
    const r = await residentSession(app);
    expect((await app.patch('/api/v1/me', { elderMode: true }, { token: r.token })).status).toBe(200);
    await openAs(page, r.id, '/me');
    await page.locator('.elder-cell').waitFor();
    expect(await isElder(page)).toBe(true);
    expect(await px(page, '.elder-cell', 'height')).toBeGreaterThanOrEqual(48);
    await page.locator('.elder-cell .van-switch').click();
    await page.waitForFunction(() => !document.documentElement.classList.contains('wm-elder'));
    expect(await storedElderMode(r.token, false)).toBe(false);
  });

  h5.it('keeps a toast that carries information until it is tapped', async ({ page, app }) => {
    const r = await residentSession(app);
    expect((await app.patch('/api/v1/me', { elderMode: true }, { token: r.token })).status).toBe(200);
    await openAs(page, r.id, '/me');
    await page.locator('.elder-cell').waitFor();
    await page.locator('.nickname').click();
    await page.locator('.nickname-field input').fill('王阿姨');
    await page.locator('.van-dialog__confirm').click();
    const toast = page.locator('.van-toast', { hasText: '昵称已修改' });
    await toast.waitFor();
    await page.waitForTimeout(3_500); // a toast lasts 2 s normally
    expect(await toast.isVisible()).toBe(true);
    await toast.click();
    await toast.waitFor({ state: 'hidden' });
  });

  h5.it('opens in 长辈模式 from a link with ?elder=1 and remembers it for the resident', async ({ page, app }) => {
    const r = await residentSession(app);
    await openAs(page, r.id, '/?elder=1');
    await page.locator('.entries').waitFor();
    expect(await isElder(page)).toBe(true);
    expect(await storedElderMode(r.token, true)).toBe(true);
    // Applied once: the address loses ?elder=1, so a reload keeps what the resident chooses next.
    await page.waitForURL((u) => !u.hash.includes('elder='));
  });

  h5.it('keeps pinch zoom allowed', async ({ page }) => {
    await page.goto(h5.url('/'));
    const viewport = await page.locator('meta[name="viewport"]').getAttribute('content');
    expect(viewport).not.toMatch(/user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*1(\.0)?\b/);
  });
});

describe('PATCH /api/v1/me elderMode', () => {
  it('is stored on the resident and returned by GET /me; anything but a boolean is refused', async () => {
    const r = await residentSession(h5.app);
    expect((await h5.app.get('/api/v1/me', { token: r.token })).body.elderMode).toBe(false);
    expect((await h5.app.patch('/api/v1/me', { elderMode: true }, { token: r.token })).status).toBe(200);
    expect((await h5.app.get('/api/v1/me', { token: r.token })).body.elderMode).toBe(true);
    const bad = await h5.app.patch('/api/v1/me', { elderMode: 'yes' }, { token: r.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});
