import type { Page } from 'playwright-core';
import { residentSession, staffSession } from '../factories';
import { toastText, useH5App } from '../harness/browser';
import { setClock } from '../../src/core/time';
import { LIUAN, north, submitOk, transition } from '../tipoffs/factories';

const h5 = useH5App();
afterEach(() => setClock(undefined));

async function signIn(page: Page, username: string, path: string): Promise<void> {
  await page.goto(h5.url(path));
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill('password-123');
  await page.getByRole('button', { name: '登录' }).click();
}

let spot = 0;
/** A fresh place each time, far from other test files' tip-offs, so none looks like a duplicate. */
const fresh = (fields: Record<string, unknown>) => ({ ...north(LIUAN, 20_000 + 300 * ++spot), ...fields });
const rows = (page: Page) => page.locator('[data-test="triage-table"] .el-table__body-wrapper .el-table__row');
const row = (page: Page, text: string) => rows(page).filter({ hasText: text });
const confirmDialog = (page: Page) => page.locator('.van-dialog:visible .van-dialog__confirm').click();
/** Waits for the toast showing now to go, so the next toastText() reads the next one. */
const toastGone = (page: Page) => page.locator('.van-toast:visible').waitFor({ state: 'hidden' });

describe('the triage table at 1366×900', () => {
  h5.it(
    'searches by words with the period shown, filters overdue acceptance (highlighted), accepts a selection to a chosen unit and reassigns in bulk',
    async ({ page, app }) => {
      const r = await residentSession(app);
      setClock(() => new Date(Date.now() - 3 * 24 * 3600_000));
      const old = await submitOk(app, r.token, fresh({ categoryCode: 'graffiti', description: '桥洞墙面涂鸦（三天前）' }));
      setClock(undefined);
      const a = await submitOk(app, r.token, fresh({ categoryCode: 'graffiti', description: '桥洞墙面涂鸦 A' }));
      const b = await submitOk(app, r.token, fresh({ categoryCode: 'graffiti', description: '桥洞墙面涂鸦 B' }));
      const office = await staffSession(app, 'office');
      await signIn(page, office.username, '/console/tipoffs');
      await rows(page).first().waitFor();

      await page.getByPlaceholder('编号或问题描述、地址').fill('桥洞墙面涂鸦');
      await page.getByRole('button', { name: '查询' }).click();
      await page
        .locator('[data-test="search-window"]', { hasText: /已搜索 \d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}（最近 30 天）/ })
        .waitFor();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-test="triage-table"] .el-table__body-wrapper .el-table__row').length === 3,
      );
      expect(await row(page, old.id).getAttribute('class')).toContain('late-row');
      expect(await row(page, old.id).locator('.due').textContent()).toMatch(/^已超期 2 天( \d+ 小时)?$/);
      expect(await row(page, a.id).locator('.due').textContent()).toMatch(/^剩余 23 小时$/);

      await page.locator('[data-test="overdue-filter"]').click();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-test="triage-table"] .el-table__body-wrapper .el-table__row').length === 1,
      );
      await row(page, old.id).waitFor();
      await page.locator('[data-test="overdue-filter"]').click();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-test="triage-table"] .el-table__body-wrapper .el-table__row').length === 3,
      );

      await row(page, a.id).locator('.el-checkbox').click();
      await row(page, b.id).locator('.el-checkbox').click();
      await page.locator('[data-test="bulk-accept"]').click();
      await page.locator('[data-test="bulk-unit"]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '市环境卫生管理处' }).click();
      await page.locator('[data-test="bulk-confirm"]').click();
      await page.locator('.el-message', { hasText: '已处理 2 条' }).waitFor();
      for (const t of [a, b])
        expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: office.token })).body).toMatchObject({
          status: 'assigned',
          unitCode: 'hwc',
        });
      await row(page, a.id).locator('.el-tag', { hasText: '处置中' }).waitFor();
      await page.getByText('已选 0 条').waitFor();

      // and moves one of them to another unit in bulk
      await row(page, b.id).locator('.el-checkbox').click();
      await page.locator('[data-test="bulk-assign"]').click();
      await page.locator('[data-test="bulk-unit"]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '市城市管理局' }).click();
      await page.locator('[data-test="bulk-confirm"]').click();
      await page.locator('.el-message', { hasText: '已处理 1 条' }).waitFor();
      await row(page, b.id).getByText('市城市管理局').waitFor();
      expect((await app.get(`/api/v1/tipoffs/${b.id}`, { token: office.token })).body.unitCode).toBe('cgj');
    },
    { desktop: true, timeout: 60_000 },
  );

  h5.it(
    'lets a unit ask to return one tip-off and for more time on another; the office approves both from the tip-off page',
    async ({ page, app, context }) => {
      const office = await staffSession(app, 'office');
      const r = await residentSession(app);
      const wrong = await submitOk(app, r.token, fresh({ categoryCode: 'littering', description: '商铺占道摆摊' }));
      const slow = await submitOk(app, r.token, fresh({ categoryCode: 'littering', description: '河道漂浮垃圾需打捞' }));
      for (const t of [wrong, slow]) await transition(app, office.token, t.id, { action: 'accept' });
      const unit = await staffSession(app, 'unit', 'hwc');

      await signIn(page, unit.username, `/console/tipoffs/${wrong.id}`);
      await page.locator('.action-request-return').click();
      await page.locator('.note-field textarea').fill('占道经营属城管职责');
      await confirmDialog(page);
      expect(await toastText(page)).toBe('已申请退回');
      await page.locator('.pending-request', { hasText: '占道经营属城管职责' }).waitFor();
      await toastGone(page);

      await page.goto(h5.url(`/console/tipoffs/${slow.id}`));
      await page.locator('.action-request-extension').click();
      await page.locator('.extension-reason textarea').fill('需调船只打捞');
      const wanted = new Date(Date.now() + 5 * 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 10);
      await page.locator('.extension-deadline').fill(`${wanted}T18:00`);
      await confirmDialog(page);
      expect(await toastText(page)).toBe('已提交延期申请');
      await page.locator('.pending-request', { hasText: '需调船只打捞' }).waitFor();

      const officePage = await context
        .browser()!
        .newContext({ baseURL: app.baseUrl, viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
        .then((c) => c.newPage());
      await signIn(officePage, office.username, '/console/tipoffs');
      await row(officePage, wrong.id).locator('.el-tag', { hasText: '申请退回' }).waitFor();
      await row(officePage, wrong.id).getByText(wrong.id).click();
      await officePage.locator('.pending-request', { hasText: '申请退回' }).waitFor();
      await officePage.locator('.action-approve-request').click();
      const picker = officePage.locator('.unit-picker');
      await picker.getByText('市城市管理局（城管执法）', { exact: true }).click();
      await officePage.waitForTimeout(400); // the column animates to the option
      await picker.locator('.van-picker__confirm').click();
      expect(await toastText(officePage)).toBe('已同意退回并改派');
      await officePage.locator('.unit', { hasText: '市城市管理局' }).waitFor();
      await toastGone(officePage);

      await officePage.goto(h5.url(`/console/tipoffs/${slow.id}`));
      await officePage.locator('.pending-request', { hasText: '申请延期' }).waitFor();
      await officePage.locator('.action-approve-request').click();
      await confirmDialog(officePage);
      expect(await toastText(officePage)).toBe('已同意申请');
      await officePage.locator('.deadline', { hasText: `${wanted.slice(5)} 18:00` }).waitFor();
      await officePage.context().close();

      expect((await app.get(`/api/v1/tipoffs/${wrong.id}`, { token: office.token })).body).toMatchObject({
        unitCode: 'cgj',
        request: null,
      });
      expect((await app.get(`/api/v1/tipoffs/${slow.id}`, { token: office.token })).body.deadlineAt).toBe(`${wanted}T18:00:00.000+08:00`);
    },
    { desktop: true, timeout: 60_000 },
  );
});

describe('the unit queue at 375×667', () => {
  h5.it('shows the unit its tip-offs with time left in days and hours, without sideways scrolling', async ({ page, app }) => {
    const office = await staffSession(app, 'office');
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, fresh({ categoryCode: 'illegal-building', description: '楼顶违章搭建彩钢棚' })); // 168 h
    await transition(app, office.token, t.id, { action: 'accept', unitCode: 'zjj' });
    const unit = await staffSession(app, 'unit', 'zjj');
    await signIn(page, unit.username, '/console/todo');
    const card = page.locator(`.tipoff-card[data-id="${t.id}"]`);
    await card.waitFor();
    expect(await card.locator('.due').textContent()).toMatch(/剩余 6 天 23 小时$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await card.locator('.description').click();
    await page.locator('.action-request-extension').waitFor();
    await page.locator('.action-request-return').waitFor();
  });
});
