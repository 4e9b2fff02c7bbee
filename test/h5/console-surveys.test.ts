import type { Locator, Page } from 'playwright-core';
import { adminToken, COMMUNITIES, residentSession, staffSession } from '../factories';
import { newPhoneContext, useH5App } from '../harness/browser';
import { openSurvey, respond } from '../surveys/factories';
import { signLinkToken } from '../../src/core/auth';
import { flushAudit } from '../../src/modules/audit';
import { createResident } from '../../src/modules/residents/residents.service';

const h5 = useH5App();

async function signInAsOffice(page: Page): Promise<string> {
  const office = await staffSession(h5.app, 'office');
  await page.goto(h5.url('/console/login'));
  await page.getByPlaceholder('请输入用户名').fill(office.username);
  await page.getByPlaceholder('请输入密码').fill('password-123');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/#\/console$/);
  return office.token;
}

const question = (page: Page, i: number) => page.locator(`[data-test="question-${i}"]`);
const option = (q: Locator, i: number) => q.locator(`[data-test="option-${i}"]`);

async function writeQuestion(q: Locator, text: string, options: string[] = []): Promise<void> {
  await q.locator('textarea').fill(text);
  for (const [i, o] of options.entries()) {
    if (i >= 2) await q.getByRole('button', { name: '添加选项' }).click();
    await option(q, i).getByPlaceholder('选项内容').fill(o);
  }
}

/** Every select has its own dropdown: wait for the last one to have closed, so the click lands in this one. */
const noDropdownShown = (page: Page) =>
  page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.el-select__popper')).every(
      (el) => el.offsetParent === null && getComputedStyle(el).display === 'none',
    ),
  );

async function pickIndicator(page: Page, q: Locator, title: string): Promise<void> {
  await noDropdownShown(page);
  await q.locator('[data-test="indicator-select"]').click();
  const item = page.locator('.el-select-dropdown__item:visible', { hasText: title });
  const chosen = q.locator('[data-test="indicator-select"]', { hasText: title });
  // Under load a click can land while the dropdown is still opening and be dropped: click again then.
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1 && (await chosen.count()) > 0) break; // the earlier click did land, late
    await item.click();
    const shown = await chosen.waitFor({ timeout: 3000 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    if (attempt === 3) await chosen.waitFor();
  }
  await noDropdownShown(page);
}

async function setNumber(input: Locator, value: number): Promise<void> {
  await input.fill(String(value));
  await input.press('Tab');
}

describe('the survey builder at 1366×900', () => {
  h5.it(
    'authors a survey with several question types, marks and targets, publishes it; a resident answers it on the phone and it is counted',
    async ({ page, app }) => {
      const office = await signInAsOffice(page);
      await page.goto(h5.url('/console/surveys'));
      await page.locator('[data-test="survey-table"]').waitFor();
      await page.getByRole('button', { name: '新建问卷' }).click();
      await page.waitForURL(/#\/console\/surveys\/new$/);
      await page.getByPlaceholder('例如：2026年创建全国文明城市市民问卷').fill('社区文明创建小调查');

      // 1: single choice, 知晓 mark, awareness indicator
      const q1 = question(page, 0);
      await writeQuestion(q1, '您是否知道我市正在创建全国文明城市？', ['知道', '不知道']);
      await option(q1, 0).getByText('知晓').click();
      await pickIndicator(page, q1, '创建全国文明城市知晓');
      // 2: multiple choice with a third option
      await page.getByRole('button', { name: '添加多选题' }).click();
      await writeQuestion(question(page, 1), '您身边最突出的不文明现象有哪些？', ['乱扔垃圾', '乱停乱放', '占道经营']);
      // 3: a 1–5 scale counted as satisfaction
      await page.getByRole('button', { name: '添加量表题' }).click();
      await writeQuestion(question(page, 2), '您对创建工作的总体满意程度');
      await pickIndicator(page, question(page, 2), '文明城市创建工作总体满意度');
      // 4: single choice with 满意 and scores
      await page.getByRole('button', { name: '添加单选题' }).click();
      const q4 = question(page, 3);
      await writeQuestion(q4, '您对社区环境卫生是否满意？', ['满意', '不满意']);
      await option(q4, 0).getByText('支持/满意').click();
      await setNumber(option(q4, 0).locator('.score input'), 100);
      await setNumber(option(q4, 1).locator('.score input'), 0);
      await pickIndicator(page, q4, '市容环境卫生满意度');
      // 5: text (optional by default), moved up above question 4
      await page.getByRole('button', { name: '添加填空题' }).click();
      await writeQuestion(question(page, 4), '您的意见和建议');
      await question(page, 4).getByRole('button', { name: '上移' }).click();
      expect(await question(page, 3).locator('textarea').inputValue()).toBe('您的意见和建议');

      // targets: prefilled from population (柳岸社区 8650 → 43), one edited
      const liuan = page.locator('[data-test="targets-table"] .el-table__row', { hasText: '柳岸社区' });
      expect(await liuan.locator('input').inputValue()).toBe('43');
      await setNumber(liuan.locator('input'), 2);

      // the preview shows it as the resident will see it
      await page.getByRole('button', { name: '预览' }).click();
      const preview = page.locator('[data-test="survey-preview"]');
      await preview.getByText('社区文明创建小调查').waitFor();
      await preview.locator('.question', { hasText: '您身边最突出的不文明现象有哪些？' }).getByText('（多选）').waitFor();
      expect(await preview.locator('.question').count()).toBe(5);
      expect((await preview.boundingBox())!.width).toBeLessThanOrEqual(375);
      await page.locator('.el-drawer__close-btn').click();

      await page.getByRole('button', { name: '保存并开放' }).click();
      await page.waitForURL(/#\/console\/surveys\/[a-z0-9-]+\/edit$/);
      await page.locator('[data-test="survey-state"]', { hasText: '进行中' }).waitFor();
      const id = /surveys\/([a-z0-9-]+)\/edit/.exec(page.url())![1]!;

      const stored = (await app.get(`/api/v1/surveys/${id}/admin`, { token: office })).body;
      expect(stored).toMatchObject({
        title: '社区文明创建小调查',
        open: true,
        anonymous: true,
        consoleOwned: true,
        targets: { [COMMUNITIES[0]]: 2 },
      });
      expect(stored.questions.map((q: { type: string }) => q.type)).toEqual(['single', 'multiple', 'scale', 'text', 'single']);
      expect(stored.questions[0]).toMatchObject({
        indicator: 'aw-campaign',
        options: [
          { key: 'A', text: '知道', aware: true },
          { key: 'B', text: '不知道' },
        ],
      });
      expect(stored.questions[2]).toMatchObject({ indicator: 'sa-overall', scale: { min: 1, max: 5 } });
      expect(stored.questions[3]).toMatchObject({ required: false });
      expect(stored.questions[4].options).toEqual([
        { key: 'A', text: '满意', positive: true, score: 100 },
        { key: 'B', text: '不满意', score: 0 },
      ]);

      // a resident of 柳岸社区 answers on the phone
      const phone = await newPhoneContext(h5.browser, app.baseUrl);
      try {
        const r = await phone.newPage();
        const resident = await createResident({ regionCode: COMMUNITIES[0] });
        await r.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(resident._id, `/survey/${id}`))}`);
        await r.getByText('匿名填写，不记录身份').waitFor();
        const card = (text: string) => r.locator('.question', { hasText: text });
        await card('您是否知道').getByText('知道', { exact: true }).click();
        await card('不文明现象').getByText('乱扔垃圾').click();
        await card('不文明现象').getByText('占道经营').click();
        await card('总体满意程度').locator('.van-rate__item').nth(3).click();
        await card('社区环境卫生').getByText('满意', { exact: true }).click();
        await r.getByRole('button', { name: '提交问卷' }).click();
        await r.getByText('提交成功，感谢您的参与！').waitFor();
      } finally {
        await phone.close();
      }

      // counted: results and sample progress
      const results = (await app.get(`/api/v1/surveys/${id}/results`, { token: office })).body;
      expect(results.responses).toBe(1);
      expect(results.questions[0].positive).toEqual({ count: 1, percent: 100 });
      expect(results.questions[4].meanScore).toBe(100);
      await page.goto(h5.url(`/console/surveys/${id}`));
      await page.locator('.responses', { hasText: '1' }).waitFor();
      await page.getByRole('button', { name: '编辑问卷' }).click();
      await page.locator('[data-test="locked-reason"]').waitFor();
      await page.goto(h5.url('/console/surveys'));
      const row = page.locator('[data-test="survey-table"] .el-table__body-wrapper .el-table__row', { hasText: '社区文明创建小调查' });
      await row.getByText('进行中').waitFor();
      await row.getByText(/^1 \/ \d+ 份$/).waitFor();

      // the office's writes are in the audit log
      await flushAudit();
      const audit = (await app.get(`/api/v1/audit?q=${encodeURIComponent('问卷')}&pageSize=100`, { token: await adminToken(app) })).body;
      const actions = audit.items
        .filter((e: { target: Record<string, string>; path: string }) => e.target.id === id || e.path === '/api/v1/surveys')
        .map((e: { action: string }) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['新建问卷', '开放问卷']));
    },
    { desktop: true, timeout: 180_000 },
  );

  h5.it(
    'refuses to change questions once a resident answered while the office edited: the reason shows and the questions are locked; the window still saves',
    async ({ page, app }) => {
      const office = await signInAsOffice(page);
      const { id } = await openSurvey(app, {}, office);
      await page.goto(h5.url(`/console/surveys/${id}/edit`));
      const q1 = question(page, 0);
      await q1.locator('textarea').fill('您知道我市在创建全国文明城市吗？');

      const r = await residentSession(app, { regionCode: COMMUNITIES[1] });
      expect((await respond(app, id, r.token)).status).toBe(201);

      await page.getByRole('button', { name: '保存', exact: true }).click();
      const error = page.locator('[data-test="save-error"]');
      await error.getByText(/未保存：问卷已有居民作答，不能再修改题目、标题或匿名设置/).waitFor();
      await page.locator('[data-test="locked-reason"]', { hasText: '开放时间、样本目标等仍可修改' }).waitFor();
      expect(await q1.locator('textarea').inputValue()).toBe('您是否知道我市正在创建全国文明城市？');
      expect(await page.locator('[data-test="locked-tag"]').count()).toBe(6);
      expect(await q1.locator('textarea').isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: '添加单选题' }).count()).toBe(0);

      // targets and the window may still change
      await setNumber(page.locator('[data-test="targets-table"] .el-table__row', { hasText: '望湖社区' }).locator('input'), 7);
      const closes = page.getByPlaceholder('结束（可不填）');
      await closes.fill('2099-12-31 18:00');
      await closes.press('Enter');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.locator('.el-message--success', { hasText: '已保存' }).waitFor();
      const stored = (await app.get(`/api/v1/surveys/${id}/admin`, { token: office })).body;
      expect(stored.targets[COMMUNITIES[1]]).toBe(7);
      expect(stored.closesAt).toBe('2099-12-31T18:00:00.000+08:00');
      expect(stored.questions[0].text).toBe('您是否知道我市正在创建全国文明城市？');
    },
    { desktop: true, timeout: 90_000 },
  );

  h5.it(
    'copies a survey from the list into a new draft, opens and closes surveys there, and invites residents to answer',
    async ({ page, app }) => {
      const office = await signInAsOffice(page);
      const { id } = await openSurvey(app, { title: '待复制的问卷' }, office);
      await page.goto(h5.url('/console/surveys'));
      const table = page.locator('[data-test="survey-table"] .el-table__body-wrapper');
      const row = table.locator('.el-table__row').filter({ hasText: '待复制的问卷' }).filter({ hasNotText: '副本' });
      await row.getByRole('button', { name: '复制' }).click();
      await page.waitForURL(/#\/console\/surveys\/s-[0-9a-f]+\/edit$/);
      await page.locator('[data-test="survey-state"]', { hasText: '草稿' }).waitFor();
      expect(await page.getByPlaceholder('例如：2026年创建全国文明城市市民问卷').inputValue()).toBe('待复制的问卷（副本）');

      await page.goto(h5.url('/console/surveys'));
      await row.getByRole('button', { name: '结束' }).click();
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await row.getByText('已结束').waitFor();
      expect((await app.get(`/api/v1/surveys/${id}/admin`, { token: office })).body.open).toBe(false);
      await row.getByRole('button', { name: '开放' }).click();
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await row.getByText('进行中').waitFor();

      // 邀请作答: the residents who have not answered, in the background
      await row.getByRole('button', { name: '邀请作答' }).click();
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await page.locator('.el-message', { hasText: /正在向 \d+ 位居民发送邀请/ }).waitFor();
      const run = await app.get(`/api/v1/surveys/${id}/invitations`, { token: office });
      expect(run.status).toBe(200);
      expect(run.body.surveyId).toBe(id);
    },
    { desktop: true, timeout: 90_000 },
  );
});

describe('the survey builder at 375×667', () => {
  h5.it(
    'lists surveys and builds one on a phone: a missing mark is named by question, the draft saves, the preview fits the screen',
    async ({ page }) => {
      await signInAsOffice(page);
      await page.locator('.van-grid-item', { hasText: '问卷管理' }).click();
      await page.locator('[data-test="survey-table"] .el-table__row').first().waitFor();
      await page.getByRole('button', { name: '新建问卷' }).click();
      await page.getByPlaceholder('例如：2026年创建全国文明城市市民问卷').fill('手机上建的问卷');
      await writeQuestion(question(page, 0), '您是否支持创建全国文明城市？', ['支持', '不支持']);
      await page.getByRole('button', { name: '添加量表题' }).click();
      await writeQuestion(question(page, 1), '您对创建工作的总体满意程度');
      // a support indicator needs a 支持 mark: the API says so, naming the question
      await pickIndicator(page, question(page, 0), '支持创建全国文明城市');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page
        .locator('[data-test="save-error"]', { hasText: '第 1 题：支持题至少要把一个选项标记为「支持/满意」（positive）' })
        .waitFor();
      await option(question(page, 0), 0).getByText('支持/满意').click();
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.waitForURL(/#\/console\/surveys\/s-[0-9a-f]+\/edit$/);
      await page.locator('[data-test="survey-state"]', { hasText: '草稿' }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await page.getByRole('button', { name: '预览' }).click();
      const preview = page.locator('[data-test="survey-preview"]');
      await preview.getByText('您是否支持创建全国文明城市？').waitFor();
      expect((await preview.boundingBox())!.width).toBeLessThanOrEqual(375);
    },
    { timeout: 90_000 },
  );
});
