import type { Page } from 'playwright-core';
import { toastText, useH5App } from '../harness/browser';
import { COMMUNITIES, residentSession, staffSession } from '../factories';
import { openSurvey, respond, validAnswers } from './factories';
import { signLinkToken } from '../../src/core/auth';
import { createResident } from '../../src/modules/residents/residents.service';
import { SurveyResponse } from '../../src/modules/surveys/surveys.model';

const h5 = useH5App();

type Q = {
  id: string;
  type: string;
  required: boolean;
  demographic?: string;
  options?: Array<{ key: string; text: string }>;
  scale?: { min: number; max: number };
};

const definition = async (page: Page, id: string) =>
  (await page.evaluate(async (p) => (await fetch(p)).json(), `/api/v1/surveys/${id}`)) as { questions: Q[] };
const card = (page: Page, q: Q) => page.locator(`[data-question="${q.id}"]`);

/** Answers every question the way a person would: first option(s), 4 stars, 柳岸社区, a sentence. */
async function fillAll(page: Page, questions: Q[]): Promise<Record<string, unknown>> {
  const expected: Record<string, unknown> = {};
  for (const q of questions) {
    const c = card(page, q);
    if (q.type === 'multiple') {
      for (const o of q.options!.slice(0, 2)) await c.getByText(o.text, { exact: true }).click();
      expected[q.id] = q.options!.slice(0, 2).map((o) => o.key);
    } else if (q.options?.length) {
      await c.getByText(q.options[0]!.text, { exact: true }).click();
      expected[q.id] = [q.options[0]!.key];
    } else if (q.type === 'scale') {
      await c.locator('.van-rate__item').nth(3).click();
      expected[q.id] = 4;
    } else if (q.demographic === 'community') {
      await c.locator('.van-field').click();
      const cascader = page.locator('.van-cascader');
      await cascader.getByText('东湖区', { exact: true }).click();
      await cascader.getByText('湖滨街道', { exact: true }).click();
      await cascader.getByText('柳岸社区', { exact: true }).click();
      await page.locator('.van-cascader').waitFor({ state: 'hidden' });
      expect(await c.locator('input').inputValue()).toBe('东湖区 湖滨街道 柳岸社区');
      expected[q.id] = COMMUNITIES[0];
    } else {
      await c.locator('textarea').fill('希望多设置一些垃圾分类投放点');
      expected[q.id] = '希望多设置一些垃圾分类投放点';
    }
  }
  return expected;
}

describe('the survey pages', () => {
  h5.it(
    'answers the whole awareness questionnaire: required markers, Chinese validation messages, thank-you, then "already answered"',
    async ({ page }) => {
      await page.goto(h5.url('/survey'));
      const item = page.locator('.survey', { hasText: '2026年明州市创建全国文明城市市民问卷' });
      await item.getByText('匿名').waitFor();
      await item.getByText('进行中').waitFor();
      await item.click();
      await page.getByText('匿名填写，不记录身份').waitFor();
      const { questions } = await definition(page, 'civic-awareness-2026');
      const required = questions.filter((q) => q.required);
      expect(await page.locator('.question .required').count()).toBe(required.length);
      expect(await page.locator('.question .optional').count()).toBe(questions.length - required.length);

      // Submitting the empty form marks every required question, in Chinese, under the question.
      await page.getByRole('button', { name: '提交问卷' }).click();
      expect(await toastText(page)).toBe(`还有 ${required.length} 道题需要完善`);
      expect(await page.locator('.question.invalid').count()).toBe(required.length);
      await card(
        page,
        questions.find((q) => q.id === 'aw-campaign')!,
      )
        .getByRole('alert')
        .getByText('请选择一项')
        .waitFor();
      await card(
        page,
        questions.find((q) => q.id === 'problems')!,
      )
        .getByText('请至少选择一项')
        .waitFor();
      await card(
        page,
        questions.find((q) => q.id === 'community')!,
      )
        .getByText('请选择所在社区')
        .waitFor();
      await card(
        page,
        questions.find((q) => q.id === 'aw-campaign')!,
      )
        .getByText('知道', { exact: true })
        .click();
      expect(await page.locator('.question.invalid').count()).toBe(required.length - 1);

      const expected = await fillAll(page, questions);
      await page.getByRole('button', { name: '提交问卷' }).click();
      await page.getByText('提交成功，感谢您的参与！').waitFor();
      await page.getByText('获得 10 积分').waitFor();
      await page.getByText('本问卷为匿名问卷，您的答卷不记录身份信息。').waitFor();

      const stored = await SurveyResponse.find({ surveyId: 'civic-awareness-2026' }).lean();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.residentId).toBeUndefined();
      expect(stored[0]!.regionCode).toBe(COMMUNITIES[0]);
      expect(Object.fromEntries(stored[0]!.answers.map((a) => [a.q, a.v]))).toEqual(expected);

      await page.reload();
      await page.getByText('您已经填写过这份问卷').waitFor();
      await page.goto(h5.url('/survey'));
      await page.locator('.survey', { hasText: '2026年明州市创建全国文明城市市民问卷' }).getByText('已填写').waitFor();
    },
    { timeout: 90_000 },
  );

  h5.it("prefills the community question with the resident's own community and submits a short survey", async ({ page, app }) => {
    const { id } = await openSurvey(app, {
      title: '浏览器小问卷',
      questions: [
        { id: 'home', type: 'text', demographic: 'community', text: '您居住在哪个社区？' },
        {
          id: 'overall',
          type: 'scale',
          indicator: 'sa-overall',
          text: '总体满意程度',
          scale: { min: 1, max: 5, minLabel: '非常不满意', maxLabel: '非常满意' },
        },
      ],
    });
    const resident = await createResident({ regionCode: COMMUNITIES[2] });
    await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(resident._id, `/survey/${id}`))}`);
    await page.getByText('1 分 = 非常不满意，5 分 = 非常满意').waitFor();
    expect(await page.locator('[data-question="home"] input').inputValue()).toBe('西岭区 文昌街道 文昌社区');
    await page.locator('[data-question="overall"] .van-rate__item').nth(4).click();
    await page.locator('[data-question="overall"]').getByText('5 分', { exact: true }).waitFor();
    await page.getByRole('button', { name: '提交问卷' }).click();
    await page.getByText('提交成功，感谢您的参与！').waitFor();
    const stored = await SurveyResponse.findById(`${id}:${resident._id}`).lean();
    expect(stored!.answers).toEqual([
      { q: 'home', v: COMMUNITIES[2] },
      { q: 'overall', v: 5 },
    ]);
  });

  h5.it('shows a closed survey as ended, without the form', async ({ page, app }) => {
    const { id, office } = await openSurvey(app, { title: '已结束的问卷' });
    await app.post(`/api/v1/surveys/${id}/close`, {}, { token: office });
    await page.goto(h5.url(`/survey/${id}`));
    await page.getByText('这份问卷已经结束，感谢您的关注').waitFor();
    expect(await page.getByRole('button', { name: '提交问卷' }).count()).toBe(0);
  });
});

describe('the office console', () => {
  h5.it('shows per-question counts and percentages, the sample progress, and closes the survey', async ({ page, app }) => {
    const { username, token } = await staffSession(app, 'office');
    const { id } = await openSurvey(app, { title: '控制台统计问卷', targets: { [COMMUNITIES[0]]: 2, [COMMUNITIES[1]]: 4 } }, token);
    for (const [region, support] of [
      [COMMUNITIES[0], 'A'],
      [COMMUNITIES[0], 'B'],
      [COMMUNITIES[1], 'C'],
    ] as const) {
      const r = await residentSession(app, { regionCode: region });
      expect((await respond(app, id, r.token, validAnswers({ support }))).status).toBe(201);
    }
    await app.flush();
    await page.goto(h5.url('/console/surveys'));
    await page.getByPlaceholder('请输入用户名').fill(username);
    await page.getByPlaceholder('请输入密码').fill('password-123');
    await page.getByRole('button', { name: '登录' }).click();
    const row = page.locator('[data-test="survey-table"] .el-table__body-wrapper .el-table__row', { hasText: '控制台统计问卷' });
    await row.getByText('3 / 6 份').waitFor();
    await row.getByRole('link', { name: '控制台统计问卷' }).click();

    const support = page.locator('[data-question="support"]');
    await support.getByText('作答 3 人').waitFor();
    await support.locator('.row', { hasText: 'A. 非常支持' }).getByText('1 人 · 33.3%').waitFor();
    await support.locator('.row', { hasText: 'C. 不支持' }).getByText('1 人 · 33.3%').waitFor();
    await support.getByText('指标 sp-campaign：正向 2 人（66.7%）').waitFor();
    await page.locator('[data-question="overall"]').getByText('平均 4 分').waitFor();

    await page.getByRole('tab', { name: '样本进度' }).click();
    await page.getByText('样本目标 6 份，目标内已完成 3 份').waitFor();
    await page.locator(`[data-community="${COMMUNITIES[0]}"]`).getByText('2 / 2 ✓').waitFor();
    await page.locator(`[data-community="${COMMUNITIES[1]}"]`).getByText('1 / 4').waitFor();

    await page.getByRole('button', { name: '结束问卷' }).click();
    await page.locator('.van-dialog').getByRole('button', { name: '确认' }).click();
    expect(await toastText(page)).toBe('问卷已结束');
    await page.getByRole('button', { name: '开放问卷' }).waitFor();
    expect((await app.get(`/api/v1/surveys/${id}`)).body.open).toBe(false);
  });
});
