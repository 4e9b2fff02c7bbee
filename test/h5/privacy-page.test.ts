import fs from 'node:fs';
import { expectNoSeriousA11yViolations } from '../harness/axe';
import { useH5App } from '../harness/browser';
import { registration, validIdNumber, validPhone } from '../volunteers/factories';

const h5 = useH5App();

describe('我的 → 个人信息 at 375×667', () => {
  h5.it(
    'shows my data by group, exports it, withdraws a consent and closes the account',
    async ({ page }) => {
      await page.goto(h5.url('/me'));
      await page.locator('.van-cell', { hasText: '个人信息' }).waitFor();
      const phone = validPhone();
      const idNumber = validIdNumber('19850615');
      const body = registration({ realName: '赵页面', phone, idNumber });
      await page.evaluate(async (b) => {
        const post = (url: string, method: string, data: unknown) =>
          fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
        await post('/api/v1/volunteers', 'POST', b);
        await post('/api/v1/me/daily-quiz', 'PUT', { subscribed: true });
      }, body);

      await page.locator('.van-cell', { hasText: '个人信息' }).click();
      await page.locator('.group-account').waitFor();
      await page.locator('.group-volunteer .van-collapse-item__title').click();
      await page.locator('.group-volunteer .field', { hasText: phone }).waitFor();
      await page.locator('.group-volunteer .field', { hasText: idNumber }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await expectNoSeriousA11yViolations(page, '个人信息');

      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.export').click()]);
      expect(download.suggestedFilename()).toMatch(/^我的个人信息-\d{4}-\d{2}-\d{2}\.json$/);
      const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
      expect(exported.groups.map((g: { kind: string }) => g.kind)).toEqual(expect.arrayContaining(['account', 'volunteer', 'consents']));

      await page.locator('.consent-daily-question .van-switch').click();
      await page.locator('.van-dialog', { hasText: '撤回后不再推送每日一题' }).waitFor();
      await page.locator('.van-dialog__confirm').click();
      await page.locator('.consent-daily-question', { hasText: '已撤回' }).waitFor();
      expect(await page.evaluate(async () => (await fetch('/api/v1/me/daily-quiz')).json())).toEqual({ subscribed: false });

      await page.locator('.volunteer-first', { hasText: '保存志愿服务记录' }).waitFor();
      await page.locator('.close-account').click();
      const confirm = page.locator('.confirm-closure');
      await confirm.waitFor();
      expect(await confirm.isDisabled()).toBe(true);
      await page.locator('.phrase input').fill('确认注销');
      await confirm.click();
      await page.locator('.closed', { hasText: '账号已注销' }).waitFor();
      await page.locator('.closed', { hasText: '匿名' }).waitFor();
      expect(await page.evaluate(async () => (await fetch('/api/v1/me')).status)).toBe(401);
    },
    { timeout: 90_000 },
  );
});
