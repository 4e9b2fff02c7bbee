import type { Page } from 'playwright-core';
import { expectNoSeriousA11yViolations } from '../harness/axe';
import { consoleSignIn, useH5App } from '../harness/browser';
import { visit, visitBody } from '../fieldwork/factories';
import { assignedFieldwork } from './fieldwork-factories';

const h5 = useH5App();

const signIn = (page: Page, username: string) => consoleSignIn(page, h5, username);

const syncState = (page: Page) => page.locator('[data-test="sync-state"]');
const household = (page: Page, id: string) => page.locator(`[data-household="${id}"]`);

/** Waits until the service worker controls the page and holds the work page's own chunk. */
async function cachedForOffline(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    if (!navigator.serviceWorker.controller) return false;
    const keys = await (await caches.open('wm-field-v1')).keys();
    return keys.some((r) => /FieldWorkPage-[\w-]+\.js$/.test(r.url)) && keys.some((r) => new URL(r.url).pathname === '/h5/');
  });
}

/** Goes through the interview: the first option of each choice question, 4 on scales, nothing for optional text. */
async function interview(page: Page): Promise<void> {
  await page.locator('.outcome-button', { hasText: '完成' }).click();
  const box = page.locator('[data-test="interview"]');
  for (;;) {
    await box.waitFor();
    const choice = box.locator('.choice').first();
    if (await choice.count()) await choice.click();
    else if (await box.locator('.number').count()) await box.locator('.number', { hasText: '4' }).click();
    const next = box.getByRole('button', { name: /下一题|完成访问/ });
    const last = (await next.textContent())!.includes('完成访问');
    await next.click();
    if (last) break;
  }
  await box.waitFor({ state: 'detached' });
}

describe('入户调查 work page at 375×667', () => {
  h5.it(
    'records an interview and a 无人在家 offline, reopens from the service worker cache offline, and syncs each visit exactly once when back online',
    async ({ page, context, app }) => {
      const fw = await assignedFieldwork(app);
      const [first, second] = fw.households.filter((h) => h.role === 'sample');
      await signIn(page, fw.enumerator.username);
      await page.waitForURL(/#\/field$/);
      await household(page, first!.id).getByText(first!.address).waitFor();
      await page.getByText('已同步').waitFor();
      // 长辈模式 sizes on this page always: text ≥ 18 px, touch targets ≥ 48 px
      const fontSize = await household(page, first!.id)
        .locator('.address')
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(fontSize).toBeGreaterThanOrEqual(18);
      expect((await household(page, first!.id).boundingBox())!.height).toBeGreaterThanOrEqual(48);
      await cachedForOffline(page);

      await context.setOffline(true);
      await household(page, first!.id).click();
      await interview(page);
      await household(page, first!.id).locator('[data-test="outcome"]', { hasText: '完成' }).waitFor();
      await household(page, second!.id).click();
      await page.locator('.outcome-button', { hasText: '无人在家' }).click();
      await syncState(page).getByText('待同步 2 份').waitFor();
      await syncState(page).getByText('（离线）').waitFor();

      // a reload with no network: the shell and chunks come from the service worker, the visits from IndexedDB
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      await household(page, second!.id).locator('[data-test="outcome"]', { hasText: '无人在家' }).waitFor();
      await syncState(page).getByText('待同步 2 份').waitFor();

      // the first sync reaches the server but its answer is lost: the retry carries the same key
      let lost = 0;
      await page.route('**/api/v1/fieldwork/visits', async (route) => {
        if (lost++ === 0) {
          await route.fetch();
          return route.abort('connectionreset');
        }
        return route.continue();
      });
      await context.setOffline(false);
      await syncState(page).getByText('待同步 2 份').waitFor();
      await page.getByRole('button', { name: '立即同步' }).click();
      await syncState(page).getByText('已同步').waitFor();
      expect(lost).toBe(3); // the lost one, its retry, the 无人在家
      await page.reload();
      await syncState(page).getByText('已同步').waitFor();

      const progress = await app.get(`/api/v1/surveys/${fw.surveyId}/fieldwork/progress`, { token: fw.office });
      expect(progress.body.total).toMatchObject({ contacted: 2, notHome: 1 });
      expect(progress.body.total.completed).toBe(1);
      const interviews = await app.get(`/api/v1/surveys/${fw.surveyId}/fieldwork/interviews`, { token: fw.office });
      expect(interviews.body.items).toHaveLength(1);
      // a minute-long test interview is flagged too short: once accepted it is one response, not two
      const [held] = interviews.body.items;
      if (held.review === 'pending')
        expect(
          (await app.post(`/api/v1/fieldwork/interviews/${held.id}/review`, { decision: 'accepted' }, { token: fw.office })).status,
        ).toBe(200);
      const admin = await app.get(`/api/v1/surveys/${fw.surveyId}/admin`, { token: fw.office });
      expect(admin.body.responses).toBe(1);
    },
    { timeout: 90_000 },
  );

  h5.it(
    'shows 409 HOUSEHOLD_DONE in Chinese on the household when it was already completed',
    async ({ page, context, app }) => {
      const fw = await assignedFieldwork(app);
      const [first] = fw.households.filter((h) => h.role === 'sample');
      await signIn(page, fw.enumerator.username);
      await household(page, first!.id).waitFor();
      await cachedForOffline(page);
      await context.setOffline(true);
      await household(page, first!.id).click();
      await interview(page);

      // meanwhile the household is completed from another phone
      const other = await visit(app, fw.enumerator.token, visitBody(fw.surveyId, first!.id, fw.community, { respondent: { gender: 'B' } }));
      expect(other.status).toBe(201);

      await context.setOffline(false);
      const error = household(page, first!.id).locator('[data-test="visit-error"]');
      await error.waitFor();
      expect(await error.textContent()).toContain('该户已完成访问');
      await syncState(page).getByText('1 份未能同步').waitFor();
      await household(page, first!.id).click();
      await page.getByRole('button', { name: '知道了' }).click();
      await page.getByRole('button', { name: '返回住户列表' }).click();
      await syncState(page).getByText('已同步').waitFor();
      expect(await syncState(page).textContent()).not.toContain('未能同步');
    },
    { timeout: 60_000 },
  );
});

describe('入户调查 work page accessibility', () => {
  h5.it(
    'has no serious axe violations on the list with a visit waiting, a household and a question',
    async ({ page, context, app }) => {
      const fw = await assignedFieldwork(app);
      const [first, second] = fw.households.filter((h) => h.role === 'sample');
      await signIn(page, fw.enumerator.username);
      await household(page, first!.id).waitFor();
      await cachedForOffline(page);
      await context.setOffline(true);
      await household(page, second!.id).click();
      await page.locator('.outcome-button', { hasText: '拒访' }).click();
      await syncState(page).getByText('待同步 1 份').waitFor();
      await page.locator('.van-toast').waitFor({ state: 'hidden' });
      await expectNoSeriousA11yViolations(page, '入户调查住户列表');
      await household(page, first!.id).click();
      await expectNoSeriousA11yViolations(page, '上门结果');
      await page.locator('.outcome-button', { hasText: '完成' }).click();
      await page.locator('[data-test="interview"]').waitFor();
      await expectNoSeriousA11yViolations(page, '访问题目');
    },
    { timeout: 60_000 },
  );
});

describe('入户调查 work page beside the rest of the H5', () => {
  h5.it(
    'keeps resident pages and the login working once the service worker is installed',
    async ({ page, app }) => {
      const fw = await assignedFieldwork(app);
      await signIn(page, fw.enumerator.username);
      await cachedForOffline(page);
      await page.getByRole('button', { name: '退出' }).click();
      await page.waitForURL(/#\/console\/login/);
      // the worker passes the resident page's API calls through: a session opens, the home page shows
      await page.goto(h5.url('/'));
      await page.getByText('知识问答').waitFor();
      const reloaded = await page.reload(); // a navigation the worker sees
      expect(reloaded?.fromServiceWorker()).toBe(true);
      await page.getByText('知识问答').waitFor();
      await page.getByText('随手拍').first().waitFor();
    },
    { timeout: 60_000 },
  );

  h5.it(
    'sends an enumerator from the console to the work page, shown as a phone column at 1366×900',
    async ({ page, app }) => {
      const fw = await assignedFieldwork(app);
      await signIn(page, fw.enumerator.username);
      await page.waitForURL(/#\/field$/);
      await household(page, fw.households[0]!.id).waitFor();
      expect(await page.locator('.aside [data-test="side-nav"]').count()).toBe(0);
      await page.goto(h5.url('/console/tipoffs'));
      await page.waitForURL(/#\/field$/);
      const column = await page.locator('.field').boundingBox();
      expect(column!.width).toBeLessThanOrEqual(480);
    },
    { desktop: true, timeout: 60_000 },
  );
});
