import type { Page } from 'playwright-core';
import { toastText, useH5App } from '../harness/browser';
import { QuizAttempt, type QuizAttemptDoc } from '../../src/modules/quiz/quiz.model';
import { COMMUNITIES, residentSession } from '../factories';
import { CONTENT_QUIZ, createQuiz, startAttempt } from './factories';

const h5 = useH5App();

/** The question on screen and its answer, read from the attempt the page's URL names. */
async function onScreen(page: Page): Promise<{ index: number; type: string; answer: string[]; explanation: string }> {
  const attemptId = new URL(page.url().replace('/#/', '/')).searchParams.get('attempt')!;
  const attempt = await QuizAttempt.findById(attemptId).lean<QuizAttemptDoc>();
  const count = (await page.locator('.progress .count').textContent())!;
  const index = Number(/第 (\d+)\//.exec(count)![1]) - 1;
  const q = attempt!.questions[index]!;
  await page.locator('.question .text', { hasText: q.text }).waitFor();
  return { index, type: q.type, answer: q.answer!, explanation: q.explanation! };
}

async function choose(page: Page, type: string, keys: string[]): Promise<void> {
  for (const key of keys) {
    const option =
      type === 'judge'
        ? page.locator('.option', { hasText: key === 'A' ? '对' : '错' })
        : page.locator('.option').filter({ has: page.locator('.key', { hasText: `${key}.` }) });
    await option.click();
  }
}

const wrongKeys = (type: string, answer: string[]) =>
  type === 'judge' ? [answer[0] === 'A' ? 'B' : 'A'] : [['A', 'B', 'C', 'D'].find((k) => !answer.includes(k))!];

describe('知识问答 in the browser', () => {
  h5.it(
    'takes a whole quiz: feedback with the explanation after each answer, the result, then the leaderboard',
    async ({ page }) => {
      await page.goto(h5.url('/'));
      await page.locator('.entry', { hasText: '知识问答' }).click();
      await page.locator('.quiz', { hasText: '创建全国文明城市知识问答' }).locator('.start').click();
      await page.locator('.progress .count', { hasText: '第 1/10 题' }).waitFor();
      for (let i = 0; i < 10; i++) {
        const q = await onScreen(page);
        expect(q.index).toBe(i);
        // nothing of the answer is on the page before answering
        expect(await page.locator('body').textContent()).not.toContain(q.explanation);
        expect(await page.locator('.feedback').count()).toBe(0);
        const right = i !== 4;
        await choose(page, q.type, right ? q.answer : wrongKeys(q.type, q.answer));
        await page.locator('.submit').click();
        await page.locator('.feedback .verdict', { hasText: right ? '回答正确！' : '回答错误，正确答案：' }).waitFor();
        await page.locator('.feedback .explanation', { hasText: q.explanation.slice(0, 12) }).waitFor();
        expect(await page.locator('.option.right').count()).toBe(q.answer.length);
        if (!right) expect(await page.locator('.option.wrong').count()).toBe(1);
        await page.locator('.next', { hasText: i < 9 ? '下一题' : '查看成绩' }).click();
      }
      await page.locator('.result h2', { hasText: '答题完成！' }).waitFor();
      expect(await page.locator('.score b').textContent()).toBe('90');
      await page.locator('.summary', { hasText: '答对 9/10 题' }).waitFor();
      await page.locator('.points', { hasText: '获得 18 积分' }).waitFor();

      await page.locator('.result-button', { hasText: '查看排行榜' }).click();
      await page.locator('.row.me', { hasText: '90 分' }).waitFor();
      await page.locator('.mine', { hasText: '排名第 1' }).waitFor();
      await page.locator('.van-tab', { hasText: '总榜' }).click();
      await page.locator('.row.me .name', { hasText: '（我）' }).waitFor();
      // the points reached 我的
      await h5.app.flush();
      const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
      expect(me).toMatchObject({ points: 18, participation: { quizzes: 1 } });
    },
    { timeout: 90_000 },
  );

  h5.it('asks for a choice before submitting', async ({ page }) => {
    await page.goto(h5.url(`/quiz/${CONTENT_QUIZ}`));
    await page.locator('.progress .count', { hasText: '第 1/10 题' }).waitFor();
    const q = await onScreen(page);
    await page.locator('.submit').click();
    expect(await toastText(page)).toBe(q.type === 'multiple' ? '请至少选择一项' : '请选择一个答案');
    expect(await page.locator('.feedback').count()).toBe(0);
  });

  h5.it('continues an attempt after a reload, and offers 继续答题 on the list', async ({ page }) => {
    await page.goto(h5.url(`/quiz/${CONTENT_QUIZ}`));
    await page.locator('.progress .count', { hasText: '第 1/10 题' }).waitFor();
    const q = await onScreen(page);
    await choose(page, q.type, q.answer);
    await page.locator('.submit').click();
    await page.locator('.feedback').waitFor();
    await page.reload();
    await page.locator('.progress .count', { hasText: '第 2/10 题' }).waitFor();
    await page.locator('.progress .right', { hasText: '答对 1' }).waitFor();
    await page.goto(h5.url('/quiz'));
    await page.locator('.quiz .continue', { hasText: '继续答题' }).click();
    await page.locator('.progress .count', { hasText: '第 2/10 题' }).waitFor();
  });
});

describe('题库管理 in the console', () => {
  async function asOffice(context: import('playwright-core').BrowserContext, token: string): Promise<void> {
    await context.addCookies([{ name: 'wm_session', value: token, url: h5.app.baseUrl, httpOnly: true }]);
  }

  h5.it('imports a file: row problems are listed and nothing is imported; a good file is imported', async ({ page, context, app }) => {
    const quiz = await createQuiz(app);
    await asOffice(context, quiz.token);
    await page.goto(h5.url(`/console/quizzes/${quiz.id}`));
    await page.locator('.el-tabs__item', { hasText: '导入导出' }).click();
    const bad = '编号,题型,题目,选项A,选项B,答案\nn1,单选,新题一？,甲,乙,C\nn2,单选,新题二？,甲,乙,A\n';
    await page.locator('.van-uploader__input').setInputFiles({ name: 'bank.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.locator('.problem-title', { hasText: '导入失败：1 处错误，未导入任何题目' }).waitFor();
    await page.locator('.problems tr', { hasText: '答案 C 不在选项中' }).locator('td').first().filter({ hasText: '2' }).waitFor();
    await page.locator('.el-tabs__item', { hasText: '题库（3）' }).waitFor();
    const good = bad.replace('乙,C', '乙,B');
    await page.locator('.van-uploader__input').setInputFiles({ name: 'bank.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.locator('.imported', { hasText: '导入成功：共 2 题，新增 2 题' }).waitFor();
    await page.locator('.el-tabs__item', { hasText: '题库（5）' }).waitFor();
    const href = await page.locator('.export', { hasText: '导出 Excel' }).getAttribute('href');
    expect(href).toBe(`/api/v1/quizzes/${quiz.id}/questions:export?format=xlsx`);
  });

  h5.it('shows the weakest questions', async ({ page, context, app }) => {
    const quiz = await createQuiz(app);
    const { token } = await residentSession(app, { regionCode: COMMUNITIES[0] });
    const attempt = await startAttempt(app, token, quiz.id);
    for (const [questionId, choice] of [
      ['m1', 'AB'],
      ['s1', 'B'],
    ]) {
      const res = await app.post(`/api/v1/quiz-attempts/${attempt.attemptId}/answers`, { questionId, choice }, { token });
      expect([res.status, res.body]).toEqual([200, expect.anything()]);
    }
    await app.flush(); // counters being written at this moment are in neither the database nor the queue
    await asOffice(context, quiz.token);
    await page.goto(h5.url(`/console/quizzes/${quiz.id}`));
    await page.locator('.el-tabs__item', { hasText: '薄弱知识点' }).click();
    await page.locator('.overall', { hasText: '共 2 次作答，正确率 50%' }).waitFor();
    expect(await page.locator('.gap .gap-text').first().textContent()).toBe('国家层面的价值目标有？');
    await page.locator('.region', { hasText: '柳岸社区' }).waitFor();
  });
});
