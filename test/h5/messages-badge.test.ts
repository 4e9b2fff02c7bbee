import { useH5App } from '../harness/browser';
import { notifyResident } from '../../src/modules/outbox/outbox.service';
import { MessageRead } from '../../src/modules/outbox/outbox.model';

const h5 = useH5App();

describe('the 消息 tab on the resident tab bar', () => {
  h5.it('shows a badge after a notice and clears it once 消息 is opened', async ({ page }) => {
    await page.goto(h5.url('/'));
    const tab = page.locator('.tab-messages');
    await tab.waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    await notifyResident(me.id, '您举报的问题已受理', `badge-test:${me.id}`);

    await page.reload();
    await tab.locator('.van-badge', { hasText: '1' }).waitFor();
    await tab.click();
    await page.locator('.message', { hasText: '您举报的问题已受理' }).waitFor();
    expect(await tab.locator('.van-badge').count()).toBe(0);

    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/messages/unread'));
    await page.locator('.van-tabbar-item', { hasText: '首页' }).click();
    expect((await (await refreshed).json()).unread).toBe(0);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    expect(await tab.locator('.van-badge').count()).toBe(0);
  });

  h5.it('caps the count at 99+', async ({ page }) => {
    await page.goto(h5.url('/me'));
    await page.locator('.tab-messages').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    await MessageRead.updateOne({ _id: me.id }, { $set: { unread: 120 } }, { upsert: true });
    await page.goto(h5.url('/'));
    await page.locator('.tab-messages .van-badge', { hasText: '99+' }).waitFor();
  });
});
