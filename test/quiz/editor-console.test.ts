import type { BrowserContext, Page } from 'playwright-core';
import { useH5App } from '../harness/browser';
import { residentSession, staffSession } from '../factories';
import { createQuiz, startAttempt } from './factories';

/** The quiz bank editor in the office console, in Chromium: desktop 1366×900 and a 375×667 phone. */
const h5 = useH5App();

async function asOffice(context: BrowserContext, token: string): Promise<void> {
  await context.addCookies([{ name: 'wm_session', value: token, url: h5.app.baseUrl, httpOnly: true }]);
}

/** The ids a resident's fresh attempt draws (the quizzes here draw their whole bank). */
async function drawn(quizId: string): Promise<string[]> {
  const { token } = await residentSession(h5.app);
  return (await startAttempt(h5.app, token, quizId)).questions.map((q) => q.id).sort();
}

const bankRow = (page: Page, id: string) =>
  page.locator('[data-test="bank-table"] .el-table__body-wrapper .el-table__row', {
    has: page.locator('td', { hasText: new RegExp(`^${id}$`) }),
  });
const confirmBox = (page: Page) => page.locator('.el-message-box__btns .el-button--primary').click();
const pick = (page: Page, text: string) => page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();

describe('the quiz table at 1366×900', () => {
  h5.it(
    'creates a quiz with its draw rules, then opens its empty bank',
    async ({ page, context, app }) => {
      const office = await staffSession(app, 'office');
      await asOffice(context, office.token);
      await page.goto(h5.url('/console'));
      await page.locator('.aside .el-menu-item', { hasText: '题库管理' }).click();
      await page.locator('[data-test="quiz-table"] .el-table__row', { hasText: '创建全国文明城市知识问答' }).waitFor();

      await page.getByRole('button', { name: '新建答题' }).click();
      const dialog = page.locator('.el-dialog', { hasText: '新建答题' });
      await dialog.getByPlaceholder('如：垃圾分类专项答题').fill('垃圾分类周周练');
      await dialog.locator('[data-test="draw-size"] input').fill('4');
      await dialog.locator('[data-test="draw-size"] input').press('Tab');
      await dialog.getByRole('button', { name: '添加主题规则' }).click();
      await dialog.locator('[data-test="mix-row"] .el-select').click();
      await pick(page, '垃圾分类');
      await dialog.locator('[data-test="mix-row"] .el-input-number input').fill('3');
      await dialog.locator('[data-test="mix-row"] .el-input-number input').press('Tab');
      await dialog.getByText('其余 1 题从整个题库随机抽取').waitFor();
      await dialog.getByRole('button', { name: '保存' }).click();

      await page.waitForURL(/#\/console\/quizzes\/quiz-[0-9a-f]{8}$/);
      await page.locator('.quiz-bank .title', { hasText: '垃圾分类周周练' }).waitFor();
      await page.locator('.quiz-bank .rule', { hasText: '每次 4 题（垃圾分类 3 题）' }).waitFor();
      await page.locator('[data-test="bank-table"]', { hasText: '题库还是空的' }).waitFor();
      const id = page.url().split('/').pop()!;
      const listed = (await app.get('/api/v1/quizzes?includeRetired=true', { token: office.token })).body.items.find(
        (q: { id: string }) => q.id === id,
      );
      expect(listed).toMatchObject({
        title: '垃圾分类周周练',
        draw: { size: 4, mix: { 垃圾分类: 3 } },
        pointsPerCorrect: 2,
        source: 'office',
        status: 'active',
      });
    },
    { desktop: true, timeout: 60_000 },
  );
});

describe('the bank editor at 1366×900', () => {
  h5.it(
    'adds a question with a preview as residents see it; residents draw it; retired it is not drawn, restored it is again',
    async ({ page, context, app }) => {
      const quiz = await createQuiz(app, { size: 10 });
      await asOffice(context, quiz.token);
      await page.goto(h5.url(`/console/quizzes/${quiz.id}`));
      await bankRow(page, 's1').waitFor();

      await page.getByRole('button', { name: '新增题目' }).click();
      const dialog = page.locator('.el-dialog', { hasText: '新增题目' });
      await dialog.locator('[data-test="question-id"]').fill('lift1');
      await dialog.locator('[data-test="question-text"]').fill('乘坐电梯时应当怎样？');
      const options = dialog.locator('[data-test="option-row"]');
      for (const [i, text] of ['先下后上', '抢先进入', '堵住门口', '大声喧哗'].entries())
        await options.nth(i).locator('.el-input input').fill(text);
      await options.nth(0).locator('.el-radio').click();
      await dialog.getByPlaceholder('答题后展示给居民的解析').fill('先下后上，文明乘梯。');
      await dialog.locator('[data-test="indicator-select"]').click();
      await pick(page, '市民文明公约知晓');

      // the preview is the resident's card: the stem, the options, and after a try the verdict with the explanation
      const preview = dialog.locator('[data-test="question-preview"]');
      await preview.locator('.question .text', { hasText: '乘坐电梯时应当怎样？' }).waitFor();
      expect(await preview.locator('.option').count()).toBe(4);
      expect(await preview.textContent()).not.toContain('先下后上，文明乘梯。');
      await preview.locator('.option', { hasText: '抢先进入' }).click();
      await preview.locator('.submit').click();
      await preview.locator('.feedback .verdict', { hasText: '回答错误，正确答案：A' }).waitFor();
      await preview.locator('.feedback .explanation', { hasText: '先下后上，文明乘梯。' }).waitFor();

      await dialog.getByRole('button', { name: '保存' }).click();
      await page.locator('.el-message', { hasText: '已新增题目 lift1' }).waitFor();
      await bankRow(page, 'lift1').locator('td', { hasText: '市民文明公约知晓' }).waitFor();
      await page.locator('.el-tabs__item', { hasText: '题库（4）' }).waitFor();
      expect(await drawn(quiz.id)).toEqual(['j1', 'lift1', 'm1', 's1']);

      await bankRow(page, 'lift1').getByRole('button', { name: '下线' }).click();
      await confirmBox(page);
      await bankRow(page, 'lift1').getByText('已下线').waitFor();
      expect(await drawn(quiz.id)).toEqual(['j1', 'm1', 's1']);

      await bankRow(page, 'lift1').getByRole('button', { name: '恢复' }).click();
      await bankRow(page, 'lift1').getByText('可抽取').waitFor();
      expect(await drawn(quiz.id)).toEqual(['j1', 'lift1', 'm1', 's1']);
    },
    { desktop: true, timeout: 90_000 },
  );

  h5.it(
    'shows why a question cannot be saved, in Chinese',
    async ({ page, context, app }) => {
      const quiz = await createQuiz(app);
      await asOffice(context, quiz.token);
      await page.goto(h5.url(`/console/quizzes/${quiz.id}`));
      await page.getByRole('button', { name: '新增题目' }).click();
      const dialog = page.locator('.el-dialog', { hasText: '新增题目' });
      await dialog.locator('[data-test="question-text"]').fill('没有选答案的题目？');
      const options = dialog.locator('[data-test="option-row"]');
      for (const i of [0, 1, 2, 3])
        await options
          .nth(i)
          .locator('.el-input input')
          .fill(`选项${i + 1}`);
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.locator('[data-test="form-error"]', { hasText: '正确答案：请填写正确答案' }).waitFor();
    },
    { desktop: true },
  );

  h5.it(
    'edits a question residents have drawn into a new revision; search and the status filter find both',
    async ({ page, context, app }) => {
      const quiz = await createQuiz(app);
      expect(await drawn(quiz.id)).toEqual(['j1', 'm1', 's1']);
      await asOffice(context, quiz.token);
      await page.goto(h5.url(`/console/quizzes/${quiz.id}`));
      await bankRow(page, 's1').getByRole('button', { name: '编辑' }).click();
      const dialog = page.locator('.el-dialog', { hasText: '编辑题目 s1' });
      await dialog.getByText('此题已被居民抽到过').waitFor();
      await dialog.locator('[data-test="option-row"]').nth(2).locator('.el-radio').click();
      await dialog.getByRole('button', { name: '保存' }).click();
      const notice = page.locator('.el-message-box', { hasText: '已保存为新版本' });
      await notice.getByText('这次修改保存为新版本 s1-r2；原题已下线，作答记录保留').waitFor();
      await notice.getByRole('button', { name: '知道了' }).click();

      await bankRow(page, 's1').getByText('已由 s1-r2 替换').waitFor();
      await bankRow(page, 's1-r2').getByText('s1 的新版本').waitFor();
      expect(await drawn(quiz.id)).toEqual(['j1', 'm1', 's1-r2']);

      await page.locator('[data-test="filter-status"]').click();
      await pick(page, '已下线');
      await page.waitForFunction(
        () => document.querySelectorAll('[data-test="bank-table"] .el-table__body-wrapper .el-table__row').length === 1,
      );
      await bankRow(page, 's1').waitFor();
      await page.reload();
      await bankRow(page, 'j1').waitFor();
      await page.locator('[data-test="bank-search"]').fill('荧光灯');
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-test="bank-table"] .el-table__body-wrapper .el-table__row').length === 2,
      );
    },
    { desktop: true, timeout: 60_000 },
  );
});

describe('the editor at phone width 375×667', () => {
  h5.it('keeps the quiz table, the bank and the question form with its preview usable', async ({ page, context, app }) => {
    const quiz = await createQuiz(app);
    await asOffice(context, quiz.token);
    await page.goto(h5.url('/console/quizzes'));
    await page.locator('[data-test="quiz-table"] .el-table__row').first().waitFor();
    await page.getByRole('button', { name: '新建答题' }).click();
    const quizForm = page.locator('.el-dialog', { hasText: '新建答题' });
    expect((await quizForm.boundingBox())!.width).toBeLessThanOrEqual(375);
    await quizForm.getByRole('button', { name: '取消' }).click();

    await page.goto(h5.url(`/console/quizzes/${quiz.id}`));
    await bankRow(page, 'm1').waitFor();
    await page.getByRole('button', { name: '新增题目' }).click();
    const dialog = page.locator('.el-dialog', { hasText: '新增题目' });
    expect((await dialog.boundingBox())!.width).toBeLessThanOrEqual(375);
    await dialog.locator('[data-test="question-text"]').fill('手机上也能预览吗？');
    await dialog.locator('[data-test="question-preview"] .question .text', { hasText: '手机上也能预览吗？' }).waitFor();
    // the page itself never scrolls sideways (wide tables scroll inside themselves)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});
