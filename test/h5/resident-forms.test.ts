import type { BrowserContext, Page } from 'playwright-core';
import { toastText, useH5App } from '../harness/browser';
import { staffSession } from '../factories';
import { jpegWithGps, LIUAN, transition } from '../tipoffs/factories';

const h5 = useH5App();

async function allowLocation(context: BrowserContext): Promise<void> {
  await context.grantPermissions(['geolocation'], { origin: h5.app.baseUrl });
  await context.setGeolocation({ latitude: LIUAN.lat - 0.0025, longitude: LIUAN.lng - 0.0046, accuracy: 20 });
}

/** Fills the tip-off form up to the description (photo, category, place). */
async function startReport(page: Page): Promise<void> {
  await page.goto(h5.url('/tipoff'));
  await page
    .locator('.van-uploader__input')
    .first()
    .setInputFiles([{ name: 'a.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(400, 300) }]);
  await page.locator('.van-uploader__preview').first().waitFor();
  await page.locator('.category-field').click();
  const picker = page.locator('.van-picker:visible');
  await picker.getByText('乱扔垃圾', { exact: true }).click();
  await page.waitForTimeout(400); // the column animates to the option
  await picker.locator('.van-picker__confirm').click();
  await page.locator('.place-label', { hasText: '距 ' }).waitFor();
}

/** Pastes text into a field the way a phone's paste does (a paste event with clipboard data). */
const paste = (page: Page, selector: string, text: string) =>
  page.locator(selector).evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);

describe('the tip-off form shows its limits before they bite', () => {
  h5.it('counts the description against its 500-character limit', async ({ page }) => {
    await page.goto(h5.url('/tipoff'));
    await page.locator('.description-field textarea').fill('路口垃圾堆放');
    expect((await page.locator('.description-field .van-field__word-limit').textContent())?.replace(/\s/g, '')).toBe('6/500');
  });

  h5.it('refuses a 1,200-character paste with a word on the field instead of cutting it', async ({ page }) => {
    await page.goto(h5.url('/tipoff'));
    await paste(page, '.description-field textarea', '很'.repeat(1200));
    await page
      .locator('.description-field .van-field__error-message', { hasText: '问题描述最多 500 个字，粘贴的内容共 1200 个字' })
      .waitFor();
    expect(await page.locator('.description-field textarea').inputValue()).toBe('');
  });

  h5.it("marks the description with the server's 400 when only invisible characters were typed", async ({ page, context }) => {
    await allowLocation(context);
    await startReport(page);
    await page.locator('.description-field textarea').fill('\u200B\u200B\u200B');
    await page.getByRole('button', { name: '提交举报' }).click();
    await page.locator('.description-field .van-field__error-message', { hasText: '请简单描述问题（至少 2 个字）' }).waitFor();
    expect(page.url()).toMatch(/#\/tipoff$/);
  });
});

describe('the nickname edit on 我的', () => {
  h5.it("counts against the 20-character limit and marks the server's refusal on the field", async ({ page }) => {
    await page.goto(h5.url('/me'));
    await page.locator('.nickname').click();
    const field = page.locator('.van-dialog .nickname-field');
    await field.locator('input').fill('文明<市民>');
    expect((await field.locator('.van-field__word-limit').textContent())?.replace(/\s/g, '')).toBe('6/20');
    await page.locator('.van-dialog__confirm').click();
    await field.locator('.van-field__error-message', { hasText: '昵称不能包含 < 或 >' }).waitFor();
    await paste(page, '.van-dialog .nickname-field input', '长'.repeat(200));
    await field.locator('.van-field__error-message', { hasText: '昵称最多 20 个字，粘贴的内容共 200 个字' }).waitFor();
  });
});

describe('the tip-off result speaks web, not chat', () => {
  h5.it('shows the submitted report without chat instructions', async ({ page, context }) => {
    await allowLocation(context);
    await startReport(page);
    await page.locator('.description-field textarea').fill('共享单车堆满人行道');
    await page.getByRole('button', { name: '提交举报' }).click();
    expect(await toastText(page)).toMatch(/^提交成功/);
    await page.locator('.tipoff-card', { hasText: '共享单车堆满人行道' }).waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/回复|发送“/);
  });

  h5.it('tells the progress in 消息 with a link to 我的随手拍, not a chat keyword', async ({ page, context, app }) => {
    await allowLocation(context);
    await startReport(page);
    await page.locator('.description-field textarea').fill('路灯不亮已经一周');
    await page.getByRole('button', { name: '提交举报' }).click();
    await page.locator('.tipoff-card', { hasText: '路灯不亮已经一周' }).waitFor();
    const mine = await page.evaluate(async () => (await fetch('/api/v1/tipoffs/mine')).json());
    const office = await staffSession(app, 'office');
    expect((await transition(app, office.token, mine.items[0].id, { action: 'accept', note: '已核实' })).status).toBe(200);

    await page.goto(h5.url('/messages'));
    const message = page.locator('.message', { hasText: '已受理' });
    await message.waitFor();
    expect(await message.innerText()).not.toMatch(/回复/);
    await message.getByText('查看我的随手拍').click();
    await page.waitForURL(/#\/tipoff\/mine$/);
  });
});
