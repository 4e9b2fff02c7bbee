import type { Page } from 'playwright-core';
import { residentSession, staffSession } from '../factories';
import type { TestApp } from '../harness/app';
import { useH5App } from '../harness/browser';
import { feedIds, messagesOf } from '../moderation/factories';
import { submitOk } from '../tipoffs/factories';

const h5 = useH5App();

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(h5.url('/console/login'));
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

let seq = 0;
/** A resident's tip-off the word list holds; its description carries a marker to find its row. */
async function heldTipoff(app: TestApp): Promise<{ id: string; marker: string; token: string }> {
  const r = await residentSession(app);
  const marker = `标记${Date.now().toString(36)}${++seq}`;
  const t = await submitOk(app, r.token, { description: `${marker} 门口那个傻逼乱扔垃圾` });
  return { id: t.id, marker, token: r.token };
}

const rowOf = (page: Page, text: string) =>
  page.locator('[data-test="moderation-table"] .el-table__body-wrapper .el-table__row', { hasText: text });
const buttonIn = (page: Page, text: string, name: string) => rowOf(page, text).getByRole('button', { name, exact: true });

describe('内容审核 at 1366×900', () => {
  h5.it(
    'shows held content with its photo, reason and source; approves, rejects with a reason and approves several at once',
    async ({ page, app }) => {
      const [a, b, c, d] = [await heldTipoff(app), await heldTipoff(app), await heldTipoff(app), await heldTipoff(app)];
      const office = await staffSession(app, 'office');
      await signIn(page, office.username, 'password-123');
      await page.locator('.aside [data-test="side-nav"] .el-menu-item', { hasText: '内容审核' }).click();
      await page.waitForURL(/#\/console\/moderation$/);

      const row = rowOf(page, a.marker);
      await row.waitFor();
      expect(await row.textContent()).toContain('随手拍');
      expect(await row.textContent()).toContain('辱骂：傻逼');
      expect(await row.textContent()).toContain('敏感词');
      // the photo thumbnail loads through the office's session
      await page.waitForFunction((m) => {
        const tr = Array.from(document.querySelectorAll('[data-test="moderation-table"] .el-table__body-wrapper .el-table__row')).find(
          (r) => r.textContent?.includes(m),
        );
        const img = tr?.querySelector('img');
        return Boolean(img && img.complete && img.naturalWidth > 0);
      }, a.marker);

      // approve one: gone from the queue, public in the Open311 feed
      await buttonIn(page, a.marker, '通过').click();
      await page.getByText('已通过，内容现已公开').waitFor();
      await row.waitFor({ state: 'detached' });
      expect(await feedIds(app)).toContain(a.id);

      // reject one with a reason: the reporter hears why
      await buttonIn(page, b.marker, '不通过').click();
      const dialog = page.locator('.el-dialog', { hasText: '审核不通过' });
      await dialog.getByText('不予受理').waitFor();
      await dialog.getByRole('button', { name: '确认不通过' }).click();
      await dialog.getByText('请填写不通过的原因').waitFor();
      await dialog.getByRole('button', { name: '含有辱骂或人身攻击' }).click();
      await dialog.getByRole('button', { name: '确认不通过' }).click();
      await rowOf(page, b.marker).waitFor({ state: 'detached' });
      expect((await messagesOf(app, b.token))[0]).toContain('含有辱骂或人身攻击');
      expect(await feedIds(app)).not.toContain(b.id);

      // approve two at once
      await page.getByPlaceholder('内容包含…').fill('标记');
      await page.getByRole('button', { name: '查询' }).click();
      for (const m of [c.marker, d.marker]) await rowOf(page, m).locator('.el-checkbox').first().click();
      await page.getByRole('button', { name: '批量通过（2）' }).click();
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await rowOf(page, c.marker).waitFor({ state: 'detached' });
      await rowOf(page, d.marker).waitFor({ state: 'detached' });
      expect(await feedIds(app)).toEqual(expect.arrayContaining([c.id, d.id]));

      // the history: the rejected one with who decided and why
      await page.locator('[data-test="moderation-status"] .el-radio-button', { hasText: '未通过' }).click();
      const rejected = rowOf(page, b.marker);
      await rejected.waitFor();
      expect(await rejected.textContent()).toContain(`${office.username} · 含有辱骂或人身攻击`);
    },
    { desktop: true, timeout: 60_000 },
  );
});

describe('内容审核 at 375×667', () => {
  h5.it(
    'reaches the queue from the drawer and approves and rejects on a phone without the page scrolling sideways',
    async ({ page, app }) => {
      const [a, b] = [await heldTipoff(app), await heldTipoff(app)];
      const office = await staffSession(app, 'office');
      await signIn(page, office.username, 'password-123');
      await page.locator('.van-grid-item').first().waitFor();
      await page.getByRole('button', { name: '菜单' }).click();
      await page.locator('.nav-drawer .el-menu-item', { hasText: '内容审核' }).click();
      await page.waitForURL(/#\/console\/moderation$/);
      await rowOf(page, a.marker).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

      await buttonIn(page, a.marker, '通过').click();
      await rowOf(page, a.marker).waitFor({ state: 'detached' });
      await buttonIn(page, b.marker, '不通过').click();
      const dialog = page.locator('.el-dialog', { hasText: '审核不通过' });
      await dialog.getByPlaceholder('请填写不通过的原因').fill('描述含有不文明用语');
      const box = await dialog.boundingBox();
      expect(box!.width).toBeLessThanOrEqual(375);
      await dialog.getByRole('button', { name: '确认不通过' }).click();
      await rowOf(page, b.marker).waitFor({ state: 'detached' });
      expect(await feedIds(app)).toContain(a.id);
      expect(await feedIds(app)).not.toContain(b.id);
    },
  );
});
