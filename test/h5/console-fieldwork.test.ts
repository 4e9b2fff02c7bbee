import type { Page } from 'playwright-core';
import { adminToken, COMMUNITIES, staffSession } from '../factories';
import { enumerator, sampledSurvey, slot, visit, visitBody } from '../fieldwork/factories';
import { consoleSignIn, useH5App } from '../harness/browser';
import { genderQuestion } from './fieldwork-factories';
import { surveyDefinition } from '../surveys/factories';

const h5 = useH5App();

async function signIn(page: Page, username: string): Promise<void> {
  await consoleSignIn(page, h5, username);
  await page.waitForURL(/#\/console$/);
}

const message = (page: Page, text: string) => page.locator('.el-message', { hasText: text }).last().waitFor();
const rowsOf = (page: Page, table: string) => page.locator(`[data-test="${table}"] .el-table__body-wrapper .el-table__row`);
const pickOption = (page: Page, text: string) => page.locator('.el-select-dropdown__item:visible', { hasText: text }).click();

/** Two communities' households (6 and 5), and two rows the import must refuse. */
function frameWithErrors(building: number): string {
  const rows = ['社区编码或名称,楼栋,单元,户/室,备注'];
  for (let r = 1; r <= 6; r++) rows.push(`${COMMUNITIES[0]},${building},1,${r}01,`);
  rows.push(`不存在的社区,${building},1,101,`);
  for (let r = 1; r <= 5; r++) rows.push(`${COMMUNITIES[1]},${building},2,${r}02,`);
  rows.push(`${COMMUNITIES[1]},${building},2,,缺户号`);
  return rows.join('\n');
}

describe('入户调查 console at 1366×900', () => {
  h5.it(
    'imports households with a per-row error table, draws with a recorded seed, assigns enumerators, shows progress and reviews flagged interviews, all audited',
    async ({ page, app }) => {
      const office = await staffSession(app, 'office');
      const surveyId = await sampledSurvey(app, office.token, {
        targets: { [COMMUNITIES[0]]: 2, [COMMUNITIES[1]]: 2 },
        questions: [genderQuestion, ...surveyDefinition().questions],
      });
      const who = await enumerator(app);
      await signIn(page, office.username);
      await page.locator('.aside .el-menu-item', { hasText: '入户调查' }).click();
      await page.goto(h5.url(`/console/fieldwork?survey=${surveyId}`));

      // import: good rows in, bad rows listed by row number
      await page
        .locator('[data-test="frame-file"]')
        .setInputFiles({ name: 'households.csv', mimeType: 'text/csv', buffer: Buffer.from(frameWithErrors(70)) });
      await page.getByRole('button', { name: '导入住户清单' }).click();
      await rowsOf(page, 'import-errors').first().waitFor();
      const errors = await rowsOf(page, 'import-errors').allTextContents();
      expect(errors).toHaveLength(2);
      expect(errors[0]).toContain('8');
      expect(errors[0]).toContain('不存在的社区');
      expect(errors[1]).toContain('14');

      // draw with a seed: shown, and the same seed draws the same households again
      await page.getByRole('tab', { name: '抽样与分派' }).click();
      await page.getByPlaceholder('随机种子（留空则随机生成）').fill('wm-seed-1');
      await page.getByRole('button', { name: '抽取样本' }).click();
      await message(page, '已抽样 2 个社区');
      await rowsOf(page, 'draws').nth(1).waitFor();
      expect(await page.locator('[data-test="draw-seed"]').allTextContents()).toEqual(['wm-seed-1', 'wm-seed-1']);
      const drawn = async () =>
        (await app.get(`/api/v1/surveys/${surveyId}/fieldwork/draws`, { token: office.token })).body.items.flatMap(
          (d: { households: Array<{ id: string }> }) => d.households.map((h) => h.id),
        );
      const first = await drawn();
      const redrawn = page.waitForResponse((r) => r.url().includes('/fieldwork/draws') && r.request().method() === 'POST');
      await page.getByRole('button', { name: '抽取样本' }).click();
      expect((await redrawn).status()).toBe(201);
      expect(await drawn()).toEqual(first);

      // assign one community whole, and one household of the other
      await page.locator('[data-test="enumerator-select"]').click();
      await pickOption(page, who.id);
      await page.locator('.el-select-dropdown__item:visible', { hasText: who.id }).waitFor({ state: 'hidden' });
      await page.locator('[data-test="community-select"]').click();
      await page.locator('.el-select-dropdown__item:visible').first().click();
      await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: '分派整个社区' }).click();
      await message(page, '已分派 4 户');
      await page.locator('[data-test="community-select"]').click();
      await page.locator('.el-select-dropdown__item:visible').nth(1).click();
      await rowsOf(page, 'drawn-households').first().locator('.el-checkbox').click();
      await page.getByRole('button', { name: '分派所选住户（1）' }).click();
      await message(page, '已分派 1 户');
      const mine = await app.get('/api/v1/fieldwork/my-assignments', { token: who.token });
      expect(mine.body.items[0].households).toHaveLength(5);

      // two interviews too short to trust, one refusal
      const samples = mine.body.items[0].households.filter((h: { role: string }) => h.role === 'sample');
      for (const h of samples.slice(0, 2))
        expect(
          (await visit(app, who.token, visitBody(surveyId, h.id, h.regionCode, { ...slot(0), respondent: { gender: 'A' } }))).status,
        ).toBe(201);
      expect((await visit(app, who.token, visitBody(surveyId, samples[2].id, samples[2].regionCode, { outcome: 'refused' }))).status).toBe(
        201,
      );

      await page.getByRole('tab', { name: '进度' }).click();
      const total = rowsOf(page, 'progress').filter({ hasText: '合计' });
      await total.waitFor();
      const cells = (await total.locator('td').allTextContents()).map((c) => c.trim());
      expect(cells.slice(0, 4)).toEqual(['合计', '11', '4', '3']);
      expect(cells[11]).toMatch(/%$/);

      // review: accept one, reject the other with a reason
      await page.getByRole('tab', { name: '质量审核' }).click();
      await rowsOf(page, 'flagged').nth(1).waitFor();
      await rowsOf(page, 'flagged').first().getByRole('button', { name: '接受' }).click();
      await message(page, '已接受');
      await rowsOf(page, 'flagged').getByText('已接受').waitFor();
      await rowsOf(page, 'flagged').getByRole('button', { name: '驳回' }).click();
      await page.locator('.el-message-box__input input').fill('时长过短，回访确认未入户');
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await rowsOf(page, 'flagged').getByText('时长过短，回访确认未入户').waitFor();

      const admin = await adminToken(app);
      const log = await app.get(`/api/v1/audit?username=${office.username}`, { token: admin });
      const actions = log.body.items.map((e: { action: string }) => e.action);
      for (const words of ['导入住户抽样框', '按社区抽取样本户', '把抽中的住户分派给调查员', '审核有质量标记的访问'])
        expect(actions.some((a: string) => a.includes(words))).toBe(true);

      // the dashboard: the household figure is the headline, the online one beside it
      await page.goto(h5.url('/console/dashboard'));
      const awareness = page.locator('[data-kpi="awareness"]');
      await awareness.getByText('入户调查').waitFor();
      expect(await awareness.textContent()).toContain('线上自填');
    },
    { desktop: true, timeout: 90_000 },
  );

  h5.it('stays usable at 375×667: the survey picker, the tabs and the tables fit or scroll inside the page', async ({ page, app }) => {
    const office = await staffSession(app, 'office');
    const surveyId = await sampledSurvey(app, office.token);
    await signIn(page, office.username);
    await page.goto(h5.url(`/console/fieldwork?survey=${surveyId}&tab=progress`));
    await page.locator('[data-test="progress"]').waitFor();
    await page.getByRole('tab', { name: '住户清单' }).click();
    await page.getByRole('button', { name: '导入住户清单' }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
  });
});
