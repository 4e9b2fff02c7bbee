import { toastText, useH5App } from '../harness/browser';
import { staffSession } from '../factories';

const h5 = useH5App();

describe('a nickname under review on 我的', () => {
  h5.it(
    'says the new nickname is being reviewed, keeps the old one, and shows the new one once the office approves it',
    async ({ page, app }) => {
      await page.goto(h5.url('/me'));
      await page.locator('.nickname').click();
      await page.locator('.van-dialog input').fill('加微信送礼品');
      await page.locator('.van-dialog__confirm').click();
      expect(await toastText(page)).toBe('您的昵称正在审核，通过后将公开');
      const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
      expect(me.nickname).not.toBe('加微信送礼品');

      const office = await staffSession(app, 'office');
      const approved = await app.post(
        `/api/v1/moderation/items/${encodeURIComponent(`nickname:${me.id}`)}/approve`,
        {},
        { token: office.token },
      );
      expect(approved.status).toBe(200);
      await page.reload();
      await page.locator('.nickname', { hasText: '加微信送礼品' }).waitFor();
    },
  );
});
