import type { Page } from 'playwright-core';
import { adminToken } from '../factories';
import { useH5App } from '../harness/browser';

const h5 = useH5App();

async function signInAsRoot(page: Page, next: string): Promise<void> {
  await page.goto(h5.url(`/console/login?next=${encodeURIComponent(next)}`));
  await page.getByPlaceholder('请输入用户名').fill('root');
  await page.getByPlaceholder('请输入密码').fill('root-password-1');
  await page.getByRole('button', { name: '登录' }).click();
}

const row = (page: Page, title: string) =>
  page.locator('[data-test="jobs-table"] .el-table__body-wrapper .el-table__row', { hasText: title });
const confirmBox = (page: Page) => page.locator('.el-message-box__btns .el-button--primary').click();
const jobEnabled = (page: Page, name: string) =>
  page.evaluate(
    async (n) =>
      ((await (await fetch('/api/v1/admin/jobs')).json()) as { items: { name: string; enabled: boolean }[] }).items.find(
        (j) => j.name === n,
      )!.enabled,
    name,
  );

describe('console: 定时任务 (admin)', () => {
  h5.it(
    'at 1366×900 shows each job by its Chinese name with the schedule in words, switches one off and on, and runs one now with a readable result',
    async ({ page, app }) => {
      await adminToken(app);
      await signInAsRoot(page, '/console/jobs');
      const brief = row(page, '工作周报');
      await brief.getByText('每周一 09:00').waitFor();
      await row(page, '志愿活动提醒').getByText('每 5 分钟').waitFor();
      await row(page, '统计夜间对账').getByText('每天 02:30').waitFor();

      // switch off: stored for every instance, no next run shown
      await page.locator('[data-test="switch-quiz.daily-push"]').click();
      await page.locator('.el-message', { hasText: '已停用「每日一题推送」' }).waitFor();
      await row(page, '每日一题推送').getByText('已停用').waitFor();
      expect(await jobEnabled(page, 'quiz.daily-push')).toBe(false);
      await page.reload();
      await row(page, '每日一题推送').getByText('已停用').waitFor();
      expect(await page.locator('[data-test="switch-quiz.daily-push"]').getAttribute('class')).not.toContain('is-checked');
      await page.locator('[data-test="switch-quiz.daily-push"]').click();
      await page.locator('.el-message', { hasText: '已启用「每日一题推送」' }).waitFor();
      expect(await jobEnabled(page, 'quiz.daily-push')).toBe(true);

      // run now: the result is the job's own sentence, not its counts
      const reconcile = row(page, '统计夜间对账');
      await reconcile.getByRole('button', { name: '立即运行' }).click();
      await confirmBox(page);
      await page.locator('.el-message', { hasText: '运行完成' }).waitFor();
      await reconcile.getByText('成功').waitFor();
      await reconcile.getByText(/重算了 \d+ 个统计计数/).waitFor();
      expect(await reconcile.textContent()).not.toMatch(/counters|participations|drifted/);
    },
    { desktop: true, timeout: 60_000 },
  );

  h5.it('at 375×667 keeps the table usable: the switch and 立即运行 are reachable', async ({ page, app }) => {
    await adminToken(app);
    await signInAsRoot(page, '/console/jobs');
    const media = row(page, '草稿照片清理');
    await media.getByText('每天 04:10').waitFor();
    // the page itself does not scroll sideways; the table does
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const sw = page.locator('[data-test="switch-media.drafts-cleanup"]');
    await sw.scrollIntoViewIfNeeded();
    await sw.click();
    await page.locator('.el-message', { hasText: '已停用「草稿照片清理」' }).waitFor();
    const run = media.getByRole('button', { name: '立即运行' });
    await run.scrollIntoViewIfNeeded();
    await run.click();
    await confirmBox(page);
    await page.locator('.el-message', { hasText: '运行完成：没有需要删除的草稿照片。' }).waitFor();
  });
});
