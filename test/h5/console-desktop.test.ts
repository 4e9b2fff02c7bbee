import type { Page } from 'playwright-core';
import { adminToken, staffSession } from '../factories';
import { useH5App } from '../harness/browser';

const h5 = useH5App();

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(h5.url('/console/login'));
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

const sideNav = (page: Page) => page.locator('.aside [data-test="side-nav"]');
const navTitles = async (page: Page) => (await sideNav(page).locator('.el-menu-item').allTextContents()).map((t) => t.trim());

/** Clicks an Element Plus message box's confirm button. */
const confirmBox = (page: Page) => page.locator('.el-message-box__btns .el-button--primary').click();

describe('desktop shell at 1366×900', () => {
  h5.it(
    'shows the side navigation by role, with the signed-in name, role and unit in the header',
    async ({ page, app }) => {
      await adminToken(app);
      await signIn(page, 'root', 'root-password-1');
      await sideNav(page).waitFor();
      const admin = await navTitles(page);
      expect(admin).toEqual(expect.arrayContaining(['工作台', '随手拍处置', '数据看板', '定时任务', '账号管理', '操作日志']));
      expect(await page.locator('.header .role').textContent()).toContain('系统管理员');
      // the page is beside the navigation, not a phone column
      const main = await page.locator('.main').boundingBox();
      expect(main!.width).toBeGreaterThan(1000);
      await page.getByRole('button', { name: '退出' }).click();
      await confirmBox(page);
      await page.getByText('文明城市创建工作台').waitFor();

      const office = await staffSession(app, 'office');
      await signIn(page, office.username, 'password-123');
      await sideNav(page).waitFor();
      const officeNav = await navTitles(page);
      expect(officeNav).toContain('随手拍处置');
      expect(officeNav).not.toContain('账号管理');
      expect(officeNav).not.toContain('操作日志');
      await page.getByRole('button', { name: '退出' }).click();
      await confirmBox(page);

      const unit = await staffSession(app, 'unit', 'cgj');
      await signIn(page, unit.username, 'password-123');
      await sideNav(page).waitFor();
      expect(await navTitles(page)).toEqual(['工作台', '我的待办', '工作通知']);
      await page.locator('.header .unit', { hasText: '市城市管理局' }).waitFor();
      // an existing console page opens inside the shell
      await sideNav(page).locator('.el-menu-item', { hasText: '我的待办' }).click();
      await page.waitForURL(/#\/console\/todo$/);
      await page.locator('.header .page-title', { hasText: '我的待办' }).waitFor();
    },
    { desktop: true, timeout: 60_000 },
  );

  h5.it(
    'lets an admin create a unit account and reset its password; the unit must change it first; a disabled account cannot log in; the 操作日志 shows it all',
    async ({ page, app, context }) => {
      await adminToken(app);
      const username = `wk${Date.now().toString(36)}`;
      await signIn(page, 'root', 'root-password-1');
      await sideNav(page).locator('.el-menu-item', { hasText: '账号管理' }).click();
      await page.locator('[data-test="staff-table"] .el-table__row').first().waitFor();

      // create a unit account
      await page.getByRole('button', { name: '新建账号' }).click();
      const dialog = page.locator('.el-dialog', { hasText: '新建账号' });
      await dialog.getByPlaceholder('3–32 位字母、数字、_ . -').fill(username);
      await dialog.getByPlaceholder('显示的姓名（可选）').fill('现场巡查员');
      await dialog.locator('.el-radio-button', { hasText: '责任单位' }).click();
      await dialog.getByText('密码规则：至少 8 位；须同时包含字母和数字；不能与用户名相同').waitFor();
      await dialog.locator('[data-test="unit-select"]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '市城市管理局' }).click();
      await dialog.getByPlaceholder('请输入初始密码').fill('first-pass-1');
      await dialog.getByRole('button', { name: '保存' }).click();
      const row = page.locator('[data-test="staff-table"] .el-table__body-wrapper .el-table__row', { hasText: username });
      await row.waitFor();
      expect(await row.textContent()).toContain('市城市管理局');

      // search narrows the table to it
      await page.getByPlaceholder('搜索用户名或姓名').fill('现场巡查员');
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-test="staff-table"] .el-table__body-wrapper .el-table__row').length === 1,
      );

      // reset its password: shown once
      await row.getByRole('button', { name: '重置密码' }).click();
      await confirmBox(page);
      const temp = (await page.locator('[data-test="temp-password"]').textContent())!.trim();
      expect(temp).toMatch(/^[A-Za-z0-9]{12}$/);
      await page.getByRole('button', { name: '我已记下' }).click();
      await row.getByText('待改密码').waitFor();

      // the unit signs in elsewhere with the temporary password and is sent to change it first
      const unitPage = await context
        .browser()!
        .newContext({ baseURL: app.baseUrl, viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
        .then((c) => c.newPage());
      await signIn(unitPage, username, temp);
      await unitPage.waitForURL(/#\/console\/password$/);
      await unitPage.getByText('您正在使用管理员重置的临时密码').waitFor();
      await unitPage.getByText('密码规则：至少 8 位').waitFor();
      await unitPage.goto(h5.url('/console/todo'));
      await unitPage.waitForURL(/#\/console\/password$/);
      expect(await unitPage.locator('.aside .el-menu-item').count()).toBe(0);
      await unitPage.getByPlaceholder('请输入当前密码').fill(temp);
      await unitPage.getByPlaceholder('请输入新密码').fill('my-own-pass-9');
      await unitPage.getByPlaceholder('请再次输入新密码').fill('my-own-pass-9');
      await unitPage.getByRole('button', { name: '保存新密码' }).click();
      await unitPage.waitForURL(/#\/console$/);
      await unitPage.locator('.van-grid-item', { hasText: '我的待办' }).waitFor();
      await unitPage.context().close();

      // the admin disables it; it can no longer sign in
      await row.getByRole('button', { name: '停用' }).click();
      await confirmBox(page);
      await row.getByText('已停用').waitFor();
      const again = await app.post('/api/v1/staff/sessions', { username, password: 'my-own-pass-9' });
      expect(again.status).toBe(401);

      // every step is in the 操作日志
      await sideNav(page).locator('.el-menu-item', { hasText: '操作日志' }).click();
      const table = page.locator('[data-test="audit-table"]');
      await table.locator('.el-table__row').first().waitFor();
      for (const action of ['新建工作人员账号', '重置密码（一次性临时密码）', '修改本人密码', '批量停用或启用账号'])
        await table.locator('.el-table__row', { hasText: action }).first().waitFor();
      await table.locator('.el-table__row', { hasText: username }).first().waitFor();
      expect(await table.textContent()).not.toContain('first-pass-1');
      // filter by who
      await page.getByPlaceholder('用户名').fill(username);
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll('[data-test="audit-table"] .el-table__row')).every((r) =>
          r.textContent?.includes('修改本人密码'),
        ),
      );
    },
    { desktop: true, timeout: 90_000 },
  );

  h5.it(
    'tells a signed-out visitor how long to wait after too many logins',
    async ({ page }) => {
      const { setConfig } = await import('../../src/config');
      const { resetRateLimits } = await import('../../src/core/http/rate-limit');
      setConfig({ RATE_LIMIT_SCALE: 1 });
      resetRateLimits();
      try {
        for (let i = 0; i < 10; i++) await h5.app.post('/api/v1/staff/sessions', { username: 'nobody', password: 'x' });
        await page.goto(h5.url('/console/login'));
        await page.getByText('同一网络每分钟最多尝试 10 次登录').waitFor();
        await signIn(page, 'nobody', 'wrong-pass-1');
        await page.locator('.van-toast', { hasText: /登录尝试过多，请 (\d+ 秒|1 分钟)后再试/ }).waitFor();
      } finally {
        setConfig({ RATE_LIMIT_SCALE: Number(process.env.RATE_LIMIT_SCALE ?? 1000) });
        resetRateLimits();
      }
    },
    { desktop: true },
  );
});

describe('console at phone width 375×667', () => {
  h5.it('folds the side navigation into a drawer behind a menu button, and every page stays reachable', async ({ page, app }) => {
    const unit = await staffSession(app, 'unit', 'cgj');
    await signIn(page, unit.username, 'password-123');
    await page.locator('.van-grid-item', { hasText: '我的待办' }).waitFor();
    expect(await page.locator('.aside').count()).toBe(0);
    await page.getByRole('button', { name: '菜单' }).click();
    const drawer = page.locator('.nav-drawer [data-test="side-nav"]');
    await drawer.waitFor();
    expect((await drawer.locator('.el-menu-item').allTextContents()).map((t) => t.trim())).toEqual(['工作台', '我的待办', '工作通知']);
    await drawer.locator('.el-menu-item', { hasText: '工作通知' }).click();
    await page.waitForURL(/#\/console\/notices$/);
    await page.getByRole('button', { name: '退出' }).waitFor();
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.waitForURL(/#\/console\/password$/);
  });

  h5.it('lets an admin use 账号管理 and 操作日志 on a phone', async ({ page, app }) => {
    await adminToken(app);
    await signIn(page, 'root', 'root-password-1');
    await page.locator('.van-grid-item', { hasText: '账号管理' }).click();
    await page.locator('[data-test="staff-table"] .el-table__row').first().waitFor();
    await page.getByRole('button', { name: '菜单' }).click();
    await page.locator('.nav-drawer .el-menu-item', { hasText: '操作日志' }).click();
    await page.locator('[data-test="audit-table"]').waitFor();
  });
});
