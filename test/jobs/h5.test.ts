import type { Page } from 'playwright-core';
import { toastText, useH5App } from '../harness/browser';
import { residentSession, staffSession } from '../factories';
import { signLinkToken } from '../../src/core/auth';
import { briefJobs } from '../../src/modules/briefs/briefs.jobs';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { notifyStaff, unitAudience } from '../../src/modules/notices/notices.service';
import { notifyResident } from '../../src/modules/outbox/outbox.service';
import { DailyQuestion } from '../../src/modules/dailyquiz/dailyquiz.model';

const h5 = useH5App();

async function staffLogin(page: Page, username: string, next: string, password = 'password-123'): Promise<void> {
  await page.goto(h5.url(`/console/login?next=${encodeURIComponent(next)}`));
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

describe('消息 (resident)', () => {
  h5.it("lists the resident's messages newest first and switches the daily question on and off", async ({ page, app }) => {
    const r = await residentSession(app);
    await notifyResident(r.id, '您举报的「乱扔垃圾」问题已受理。', 'test:h5-1');
    await notifyResident(r.id, '【每日一题】11月10日（判断题）\n垃圾分类是文明城市的测评内容。', 'test:h5-2');
    await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(r.id, '/messages'))}`);
    const messages = page.locator('.message .text');
    await messages.first().waitFor();
    expect(await messages.allTextContents()).toEqual([
      '【每日一题】11月10日（判断题）\n垃圾分类是文明城市的测评内容。',
      '您举报的「乱扔垃圾」问题已受理。',
    ]);
    expect(await page.locator('.message .time').first().textContent()).toMatch(/^今天 \d{2}:\d{2}$/);

    await page.getByRole('switch', { name: '订阅每日一题' }).click();
    expect(await toastText(page)).toBe('已订阅每日一题');
    expect(await page.evaluate(async () => (await fetch('/api/v1/me/daily-quiz')).json())).toEqual({ subscribed: true });
    await page.reload();
    await page.locator('.van-switch--on').waitFor();
    await page.getByRole('switch', { name: '订阅每日一题' }).click();
    expect(await toastText(page)).toBe('已退订每日一题');
    expect(await page.evaluate(async () => (await fetch('/api/v1/me/daily-quiz')).json())).toEqual({ subscribed: false });
  });

  h5.it(
    "answers today's question on the page, shows the right answer with its text, and counts only the first answer",
    async ({ page, app }) => {
      const r = await residentSession(app);
      await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(r.id, '/messages'))}`);
      const card = page.locator('.daily-question');
      await card.getByRole('button', { name: '提交答案' }).waitFor();
      const today = await page.evaluate(async () => (await fetch('/api/v1/daily-quiz/today')).json());
      const q = await DailyQuestion.findById(today.day).lean();
      const wrong = q!.options.map((o) => o.key!).find((k) => !q!.answer.includes(k))!;
      const name = q!.type === 'judge' ? (wrong === 'A' ? '对' : '错') : new RegExp(`^${wrong}\\.`);
      await card.getByRole(q!.type === 'multiple' ? 'checkbox' : 'radio', { name }).click();
      await card.getByRole('button', { name: '提交答案' }).click();
      const verdict = card.locator('.verdict');
      await verdict.waitFor();
      const answerText =
        q!.type === 'judge'
          ? q!.answer[0] === 'A'
            ? '对'
            : '错'
          : q!.answer.map((k) => `${k}. ${q!.options.find((o) => o.key === k)!.text}`).join('；');
      expect(await verdict.textContent()).toBe(`❌ 回答错误，正确答案是：${answerText}`);
      await page.reload();
      await card.locator('.verdict').waitFor();
      expect(await card.getByRole('button', { name: '提交答案' }).count()).toBe(0);
      const again = await page.evaluate(
        async (choice) =>
          (
            await fetch('/api/v1/daily-quiz/answer', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ choice }),
            })
          ).json(),
        q!.answer.join(''),
      );
      expect(again).toMatchObject({ correct: false, alreadyAnswered: true, points: 0 });
    },
  );

  h5.it('says so when there is nothing yet', async ({ page }) => {
    await page.goto(h5.url('/messages'));
    await page.getByText('暂无消息').waitFor();
  });
});

/** A row of a console table (Element Plus) holding the text. */
const tableRow = (page: Page, table: string, text: string) =>
  page.locator(`[data-test="${table}"] .el-table__body-wrapper .el-table__row`, { hasText: text });

describe('console: 工作通知 and 消息发送', () => {
  h5.it('shows a unit its overdue notices and marks one read when opened (375×667)', async ({ page, app }) => {
    const unit = await staffSession(app, 'unit', 'sthj');
    await notifyStaff(
      unitAudience('sthj'),
      { kind: 'tipoff-overdue', title: '随手拍 T261101ABCDEF 已逾期', text: '「噪音扰民」问题已超过整改时限。', link: null },
      'tipoff:T261101ABCDEF:1:overdue',
    );
    await staffLogin(page, unit.username, '/console');
    await page.locator('.van-grid-item', { hasText: '工作通知' }).click();
    const notice = tableRow(page, 'notices-table', '随手拍 T261101ABCDEF 已逾期');
    await notice.waitFor();
    await page.getByText('未读 1 条').waitFor();
    await notice.getByRole('button', { name: '标为已读' }).click();
    await page.getByText('未读 0 条').waitFor();
    await notice.getByRole('button', { name: '已读', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  h5.it('shows the office undelivered resident messages (375×667)', async ({ page, app }) => {
    const r = await residentSession(app);
    await notifyResident(r.id, '您报名的志愿活动明天开始。', 'test:h5-outbox');
    const office = await staffSession(app, 'office');
    await staffLogin(page, office.username, '/console/outbox');
    await page.getByText('居民消息待推送').waitFor();
    await page.getByText(/未配置微信机器人/).waitFor();
    await page.locator('.el-radio-button', { hasText: '未推送' }).click();
    const item = tableRow(page, 'outbox-table', '您报名的志愿活动明天开始。');
    await item.waitFor();
    await item.getByText('未推送（仅网页可见）').waitFor();
    await item.getByText('渠道：仅网页').waitFor();
    await page.getByRole('tab', { name: '群消息' }).click();
    await page.getByText('没有符合条件的消息').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  h5.it(
    'at 1366×900 lists notices, messages and briefs as tables inside the shell',
    async ({ page, app }) => {
      await notifyStaff(
        'office',
        { kind: 'tipoff-escalated', title: '随手拍 T261102ABCDEF 逾期 48 小时', text: '请督促责任单位整改。', link: null },
        'tipoff:T261102ABCDEF:1:office',
      );
      const r = await residentSession(app);
      await notifyResident(r.id, '您举报的问题已办结。', 'test:h5-desktop');
      const office = await staffSession(app, 'office');
      await staffLogin(page, office.username, '/console/notices');
      const notice = tableRow(page, 'notices-table', '随手拍 T261102ABCDEF 逾期 48 小时');
      await notice.getByText('督办').waitFor();
      await notice.getByText('未读').waitFor();
      await notice.click();
      await notice.getByRole('button', { name: '已读', exact: true }).waitFor();

      await page.locator('.aside [data-test="side-nav"] .el-menu-item', { hasText: '消息发送' }).click();
      await tableRow(page, 'outbox-table', '您举报的问题已办结。')
        .getByText(/^居民 …/)
        .waitFor();

      await page.locator('.aside [data-test="side-nav"] .el-menu-item', { hasText: '工作简报' }).click();
      await page.getByText('还没有工作周报：每周一上午自动生成').waitFor();
      expect((await page.locator('.main').boundingBox())!.width).toBeGreaterThan(1000);
    },
    { desktop: true, timeout: 60_000 },
  );
});

describe('console: 工作简报', () => {
  h5.it('lists the weekly brief with its rates, shows the chart and offers the Excel file (375×667)', async ({ page, app }) => {
    await createJobRunner({ jobs: briefJobs, instanceId: 'h5' }).runOccurrence('briefs.weekly', new Date('2026-11-16T09:00:00+08:00'));
    const office = await staffSession(app, 'office');
    await staffLogin(page, office.username, '/console');
    await page.locator('.van-grid-item', { hasText: '工作简报' }).click();
    const brief = tableRow(page, 'briefs-table', '2026年第46周');
    await brief.waitFor();
    // the newest brief opens with its key rates
    const rates = page.locator('[data-test="briefs-table"] .rates').first();
    for (const title of [
      '知晓率（问卷）',
      '答题知晓',
      '参与率',
      '满意度（问卷）',
      '支持率（问卷）',
      '志愿者注册率',
      '整改率',
      '按时整改率',
    ])
      await rates.locator('dt', { hasText: new RegExp(`^${title}$`) }).waitFor();
    expect(await brief.getByRole('link', { name: '下载 Excel' }).getAttribute('href')).toBe('/api/v1/admin/briefs/2026-W46.xlsx');
    await brief.getByRole('button', { name: '查看图表' }).click();
    await page.locator('.el-image-viewer__img').waitFor();
    await page.waitForFunction(() => (document.querySelector('.el-image-viewer__img') as HTMLImageElement | null)?.naturalWidth === 900);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});
