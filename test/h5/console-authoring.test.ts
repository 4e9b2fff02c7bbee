import type { Page } from 'playwright-core';
import { COMMUNITIES, staffSession } from '../factories';
import { useH5App } from '../harness/browser';
import type { TestApp } from '../harness/app';
import { createActivity, hoursFromNow, volunteerSession } from '../volunteers/factories';

const h5 = useH5App();

async function signIn(page: Page, app: TestApp): Promise<void> {
  const office = await staffSession(app, 'office');
  await page.goto(h5.url('/console/login'));
  await page.getByPlaceholder('请输入用户名').fill(office.username);
  await page.getByPlaceholder('请输入密码').fill('password-123');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/#\/console$/);
}

/** An upcoming activity with one confirmed volunteer, 李阿婆, who has no phone with her. */
async function activityWithElder(app: TestApp, title: string) {
  const a = await createActivity(app, { title, startAt: hoursFromNow(0.5), endAt: hoursFromNow(3) });
  const elder = await volunteerSession(app, { realName: '李阿婆' });
  await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: elder.token });
  return a;
}

async function editAndCheckIn(page: Page, app: TestApp): Promise<void> {
  const title = `扶老助残${Date.now().toString(36)}`;
  await activityWithElder(app, title);
  await page.goto(h5.url('/console/activities'));
  await page.getByPlaceholder('搜索活动名称、地点或组织单位').fill(title);
  await page.getByRole('button', { name: '查询' }).click();
  const row = page.locator('[data-test="activity-table"] .el-table__body-wrapper .el-table__row', { hasText: title });
  await row.waitFor();

  // an edit the rules refuse shows the service's reason in the dialog; a valid one saves
  await row.getByRole('button', { name: '编辑' }).click();
  const dialog = page.locator('.el-dialog', { hasText: '编辑活动' });
  const start = dialog.locator('input[type="datetime-local"]').first();
  const planned = await start.inputValue();
  await start.fill(new Date(Date.now() + 8 * 3_600_000 - 24 * 3_600_000).toISOString().slice(0, 16));
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.locator('[data-test="activity-error"]', { hasText: '开始时间不能早于现在' }).waitFor();
  await start.fill(planned);
  await dialog.locator('[data-test="capacity"] input').fill('30');
  await dialog.getByPlaceholder('如：柳岸路与湖滨路交叉口').fill('湖滨公园东门');
  await dialog.getByRole('button', { name: '保存' }).click();
  await row.getByText('湖滨公园东门').waitFor();
  await row.getByText('1/30').waitFor();

  // 管理员代签: find her by name, check her in; the roster says who did it
  await row.getByRole('button', { name: '代签' }).click();
  const roster = page.locator('.el-dialog', { hasText: '管理员代签' });
  await roster.getByPlaceholder('搜索姓名或志愿者编号').fill('李阿婆');
  const entry = roster.locator('[data-test="roster-table"] .el-table__row', { hasText: '李阿婆' });
  await entry.getByRole('button', { name: '代签到' }).click();
  await entry.getByText(/管理员代签（office/).waitFor();
}

async function importCsv(page: Page, figure: number): Promise<void> {
  await page.goto(h5.url('/console/populations'));
  await page.locator('[data-test="population-table"] .el-table__row').first().waitFor();
  const file = page.locator('[data-test="population-file"]');
  await file.setInputFiles({
    name: 'census.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`区划代码,名称,常住人口,户数\n${COMMUNITIES[0]},,${figure},\n330201001,,500,\n${COMMUNITIES[1]},,很多,\n`),
  });
  const errors = page.locator('[data-test="import-errors"]');
  await errors.waitFor();
  expect(await errors.locator('.el-table__body .el-table__row').count()).toBe(2);
  expect(await errors.textContent()).toContain('只导入社区的人口');
  const first = page.locator('[data-test="population-table"] .el-table__row', { hasText: COMMUNITIES[0] });
  expect(await first.textContent()).not.toContain(String(figure));

  await file.setInputFiles({
    name: 'census.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`区划代码,名称,常住人口,户数\n${COMMUNITIES[0]},柳岸社区,${figure},4000\n`),
  });
  await page.locator('[data-test="population-table"] .el-table__row', { hasText: String(figure) }).waitFor();
  expect(await errors.count()).toBe(0);
}

describe('console authoring at 1366×900', () => {
  h5.it(
    'edits an activity and checks a volunteer in for her',
    async ({ page, app }) => {
      await signIn(page, app);
      await editAndCheckIn(page, app);
    },
    { desktop: true, timeout: 60_000 },
  );
  h5.it(
    'imports a census CSV with errors, shows the error table, then a clean one',
    async ({ page, app }) => {
      await signIn(page, app);
      await importCsv(page, 12001);
    },
    { desktop: true, timeout: 60_000 },
  );
  h5.it(
    'adds a tip-off category with its deadlines',
    async ({ page, app }) => {
      await signIn(page, app);
      await page.goto(h5.url('/console/catalog'));
      await page.getByRole('button', { name: '新建类别' }).click();
      const dialog = page.locator('.el-dialog', { hasText: '新建问题类别' });
      await dialog.getByPlaceholder('字母、数字、-、_，如 shared-bikes').fill('shared-bikes');
      await dialog.getByPlaceholder('请输入名称').fill('共享单车乱停');
      await dialog.locator('[data-test="category-unit"]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '市公安局交通警察支队' }).click();
      await dialog.getByRole('button', { name: '保存' }).click();
      await page.locator('[data-test="category-table"] .el-table__row', { hasText: '共享单车乱停' }).getByText('工作台').waitFor();
    },
    { desktop: true, timeout: 60_000 },
  );
});

describe('console authoring at 375×667', () => {
  h5.it(
    'edits an activity and checks a volunteer in on a phone',
    async ({ page, app }) => {
      await signIn(page, app);
      await editAndCheckIn(page, app);
    },
    { timeout: 60_000 },
  );
  h5.it(
    'imports census CSVs on a phone',
    async ({ page, app }) => {
      await signIn(page, app);
      await importCsv(page, 13002);
    },
    { timeout: 60_000 },
  );
  h5.it(
    'adds and disables a unit on a phone',
    async ({ page, app }) => {
      await signIn(page, app);
      await page.goto(h5.url('/console/catalog'));
      await page.locator('.el-tabs__item', { hasText: '责任单位' }).click();
      await page.getByRole('button', { name: '新建单位' }).click();
      const dialog = page.locator('.el-dialog', { hasText: '新建责任单位' });
      await dialog.getByPlaceholder('字母、数字、-、_，如 shared-bikes').fill('wgb');
      await dialog.getByPlaceholder('请输入名称').fill('市网格化管理中心');
      await dialog.getByRole('button', { name: '保存' }).click();
      const row = page.locator('[data-test="unit-table"] .el-table__body-wrapper .el-table__row', { hasText: '市网格化管理中心' });
      await row.waitFor();
      await row.getByRole('button', { name: '停用' }).click();
      await row.getByText('已停用').waitFor();
    },
    { timeout: 60_000 },
  );
});
