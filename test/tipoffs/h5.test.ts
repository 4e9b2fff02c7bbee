import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { toastText, useH5App } from '../harness/browser';
import { residentSession, staffSession } from '../factories';
import { signLinkToken } from '../../src/core/auth';
import { setConfig } from '../../src/config';
import { wgs84ToGcj02 } from '../../src/h5/src/pages/tipoff/gcj02';
import { jpegWithGps, LIUAN, north, submitOk, transition, WANGHU } from './factories';

const h5 = useH5App();

async function openAs(page: Page, residentId: string, path: string): Promise<void> {
  await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(residentId, path))}`);
}

async function signIn(page: Page, username: string, path: string): Promise<void> {
  await page.goto(h5.url(path));
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill('password-123');
  await page.getByRole('button', { name: '登录' }).click();
}

const photoFile = async (name = 'street.jpg') => ({ name, mimeType: 'image/jpeg', buffer: await jpegWithGps(400, 300) });
const api = (page: Page, path: string) => page.evaluate(async (p) => (await fetch(p)).json(), path);

/** Picks a value in a Vant picker popup: scroll the option into the middle by clicking it, then confirm. */
async function pickInPicker(page: Page, text: string): Promise<void> {
  const picker = page.locator('.van-picker:visible');
  await picker.getByText(text, { exact: true }).click();
  await page.waitForTimeout(400); // the column animates to the option
  await picker.locator('.van-picker__confirm').click();
}

/** The dialog's confirm button (earlier dialogs stay in the page, hidden). */
const confirmDialog = (page: Page) => page.locator('.van-dialog:visible .van-dialog__confirm').click();
/** Waits for the toast showing now to go, so the next toastText() reads the next one. */
const toastGone = (page: Page) => page.locator('.van-toast:visible').waitFor({ state: 'hidden' });

async function allowLocation(context: BrowserContext, wgs: { lat: number; lng: number }): Promise<void> {
  await context.grantPermissions(['geolocation'], { origin: h5.app.baseUrl });
  await context.setGeolocation({ latitude: wgs.lat, longitude: wgs.lng, accuracy: 20 });
}

describe('reporting in the browser', () => {
  h5.it('uploads photos, locates the phone (converted to GCJ-02), and files the report', async ({ page, context }) => {
    const wgs = north({ lat: LIUAN.lat - 0.0025, lng: LIUAN.lng - 0.0046 }, 9000);
    await allowLocation(context, wgs);
    await page.goto(h5.url('/tipoff'));
    await page
      .locator('.van-uploader__input')
      .first()
      .setInputFiles([await photoFile('a.jpg'), await photoFile('b.jpg')]);
    await page.locator('.van-uploader__preview').nth(1).waitFor();
    await page.locator('.category-field').click();
    await pickInPicker(page, '乱停乱放');
    await page.locator('.place-label', { hasText: /^距 .+社区（.+街道）约 [\d.]+ (米|公里)$/ }).waitFor();
    await page.locator('.address-field input').fill('湖滨路 20 号门口');
    await page.locator('.description-field textarea').fill('共享单车堆满人行道');
    await page.locator('.anonymous-switch').click();
    await page.getByRole('button', { name: '提交举报' }).click();
    expect(await toastText(page)).toMatch(/^提交成功，编号 T\d{6}[0-9A-Z]{6}$/);
    await page.locator('.tipoff-card', { hasText: '共享单车堆满人行道' }).waitFor();
    expect(page.url()).toMatch(/#\/tipoff\/mine$/);
    const mine = await api(page, '/api/v1/tipoffs/mine');
    const t = mine.items[0];
    const gcj = wgs84ToGcj02(wgs.lat, wgs.lng);
    expect(t).toMatchObject({
      categoryCode: 'illegal-parking',
      anonymous: true,
      description: '共享单车堆满人行道',
      location: { address: '湖滨路 20 号门口' },
    });
    expect(t.location.lat).toBeCloseTo(gcj.lat, 6);
    expect(t.location.lng).toBeCloseTo(gcj.lng, 6);
    expect(t.photos).toHaveLength(2);
    // the photos the page shows are the stored ones, stripped of EXIF
    const stored = await page.evaluate(async (u) => Array.from(new Uint8Array(await (await fetch(u)).arrayBuffer())), t.photos[0].url);
    expect((await sharp(Buffer.from(stored)).metadata()).exif).toBeUndefined();
  });

  h5.it(
    'names the located point as the nearest community and street with the distance, on the form and on my card',
    async ({ page, context }) => {
      const spot = north(WANGHU, 320); // GCJ-02, as the page sends it
      const shifted = wgs84ToGcj02(spot.lat, spot.lng);
      await allowLocation(context, { lat: 2 * spot.lat - shifted.lat, lng: 2 * spot.lng - shifted.lng });
      await page.goto(h5.url('/tipoff'));
      const label = page.locator('.place-label');
      await label.filter({ hasText: '望湖社区' }).waitFor();
      expect(await label.textContent()).toMatch(/^距 望湖社区（湖滨街道）约 3[123]0 米$/);
      await page
        .locator('.van-uploader__input')
        .first()
        .setInputFiles([await photoFile()]);
      await page.locator('.category-field').click();
      await pickInPicker(page, '乱扔垃圾');
      await page.locator('.description-field textarea').fill('望湖路口垃圾无人清理');
      await page.getByRole('button', { name: '提交举报' }).click();
      const card = page.locator('.tipoff-card', { hasText: '望湖路口垃圾无人清理' });
      await card.waitFor();
      expect(await card.locator('.place').textContent()).toMatch(/^距 望湖社区（湖滨街道）约 3[123]0 米$/);
      // a place, never raw coordinates
      expect(await page.locator('body').textContent()).not.toMatch(/\d{2}\.\d{4}/);
    },
  );

  h5.it('says the located point is outside the city and asks for a community instead', async ({ page, context }) => {
    await allowLocation(context, { lat: 31.2304, lng: 121.4737 });
    await page.goto(h5.url('/tipoff'));
    await page.locator('.place-cell', { hasText: '该位置不在本市范围内，请手动选择社区并填写地址' }).waitFor();
    expect(await page.locator('.place-label').count()).toBe(0);
  });

  h5.it('falls back to a community chosen by hand with a typed address when location is denied', async ({ page }) => {
    await page.goto(h5.url('/tipoff'));
    await page.locator('.place-cell', { hasText: '请手动选择社区并填写地址' }).waitFor();
    await page
      .locator('.van-uploader__input')
      .first()
      .setInputFiles([await photoFile()]);
    await page.locator('.category-field').click();
    await pickInPicker(page, '乱扔垃圾');
    await page.locator('.pick-community').click();
    const cascader = page.locator('.van-cascader');
    await cascader.getByText('西岭区', { exact: true }).click();
    await cascader.getByText('文昌街道', { exact: true }).click();
    await cascader.getByText('书院社区', { exact: true }).click();
    await page.locator('.description-field textarea').fill('绿化带里有很多垃圾');
    await page.getByRole('button', { name: '提交举报' }).click();
    expect(await toastText(page)).toBe('手动选择社区时，请填写详细地址');
    await toastGone(page);
    await page.locator('.address-field input').fill('书院路 5 号');
    await page.getByRole('button', { name: '提交举报' }).click();
    expect(await toastText(page)).toMatch(/^提交成功/);
    const t = (await api(page, '/api/v1/tipoffs/mine')).items[0];
    expect(t).toMatchObject({ regionCode: '330202002002', location: { address: '书院路 5 号' }, anonymous: false });
  });

  h5.it('shows the API’s message for a file that is not a photo', async ({ page, context }) => {
    await allowLocation(context, north(LIUAN, 9500));
    await page.goto(h5.url('/tipoff'));
    await page
      .locator('.van-uploader__input')
      .first()
      .setInputFiles([{ name: 'shell.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<?php echo 1; ?>') }]);
    await page.locator('.category-field').click();
    await pickInPicker(page, '乱扔垃圾');
    await page.locator('.place-label', { hasText: /^距 .+社区（.+街道）约 [\d.]+ (米|公里)$/ }).waitFor();
    await page.locator('.description-field textarea').fill('测试一下');
    await page.getByRole('button', { name: '提交举报' }).click();
    expect(await toastText(page)).toBe('照片不是有效的图片：仅支持 JPEG、PNG、WebP 格式的照片');
  });

  h5.it('shows my tip-offs with the status timeline as they move', async ({ page, app }) => {
    const r = await residentSession(app);
    const t = await submitOk(app, r.token, { ...north(LIUAN, 9800), description: '楼道堆放杂物' });
    const office = await staffSession(app, 'office');
    await transition(app, office.token, t.id, { action: 'accept', note: '已核实' });
    await openAs(page, r.id, '/tipoff/mine');
    const card = page.locator('.tipoff-card', { hasText: '楼道堆放杂物' });
    await card.locator('.status', { hasText: '处置中' }).waitFor();
    for (const step of ['提交举报', '受理', '分派']) await card.locator('.van-step', { hasText: step }).first().waitFor();
    await card.getByText('已核实').waitFor();
    await card.getByText('市环境卫生管理处').first().waitFor();
  });
});

describe('the consoles', () => {
  h5.it(
    'lets the office open a tip-off from the triage table, see photos and place, and accept it to the category unit',
    async ({ page, app }) => {
      const r = await residentSession(app, { nickname: '热心的张阿姨' });
      const t = await submitOk(app, r.token, {
        ...north(LIUAN, 12_000),
        categoryCode: 'noise',
        description: '深夜广场舞音响太响',
        address: '湖滨公园东门',
      });
      const { username } = await staffSession(app, 'office');
      await signIn(page, username, '/console/tipoffs');
      await page.getByPlaceholder('编号或问题描述、地址').fill(t.id);
      await page.getByRole('button', { name: '查询' }).click();
      await page.locator('[data-test="triage-table"] .el-table__row', { hasText: '深夜广场舞音响太响' }).getByText(t.id).click();
      await page.locator('.place', { hasText: '湖滨公园东门' }).waitFor();
      expect(await page.locator('.place').innerText()).toMatch(/定位点距 \S+社区/);
      expect(await page.locator('.place').innerText()).not.toMatch(/\d+\.\d{4}/); // a place, never raw coordinates
      await page.locator('.reporter', { hasText: '热心的张阿姨' }).waitFor();
      await page.locator('.photo').first().waitFor();
      expect(
        await page
          .locator('.photo img')
          .first()
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      ).toBeGreaterThan(0);
      await page.locator('.action-accept').click();
      await page.locator('.unit-picker .van-picker__confirm').click(); // the category's unit is chosen already
      expect(await toastText(page)).toBe('已受理');
      await page.locator('.status', { hasText: '处置中' }).waitFor();
      await page.locator('.unit', { hasText: '市生态环境局' }).waitFor();
      expect((await app.get(`/api/v1/tipoffs/${t.id}`, { token: r.token })).body.status).toBe('assigned');
    },
  );

  h5.it('lets the office place a city system’s address-only report in a community when accepting it', async ({ page, app }) => {
    setConfig({ OPEN311_API_KEYS: ['h5-city-key'] });
    const form = new URLSearchParams({
      api_key: 'h5-city-key',
      service_code: 'littering',
      address_id: 'GIS-5521',
      description: '绿化带里堆满建筑垃圾',
    });
    const posted = await fetch(`${app.baseUrl}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const id = (await posted.json())[0].service_request_id;
    const { username } = await staffSession(app, 'office');
    await signIn(page, username, `/console/tipoffs/${id}`);
    await page.locator('.place', { hasText: '无定位' }).waitFor();
    await page.locator('.action-accept').click();
    const picker = page.locator('.place-picker');
    for (const name of ['东湖区', '湖滨街道', '望湖社区']) await picker.getByText(name, { exact: true }).click();
    await page.locator('.unit-picker .van-picker__confirm').click();
    expect(await toastText(page)).toBe('已受理');
    await page.locator('.status', { hasText: '处置中' }).waitFor();
    await page.locator('.place', { hasText: '望湖社区' }).waitFor();
  });

  h5.it('lets the office reject with a reason and merge a nearby duplicate', async ({ page, app }) => {
    const p = north(LIUAN, 14_000);
    const first = await submitOk(app, (await residentSession(app)).token, {
      ...p,
      categoryCode: 'graffiti',
      description: '电线杆上贴满小广告',
    });
    const dup = await submitOk(app, (await residentSession(app)).token, {
      ...north(p, 15),
      categoryCode: 'graffiti',
      description: '电线杆小广告很多',
    });
    const junk = await submitOk(app, (await residentSession(app)).token, {
      ...north(p, 3000),
      categoryCode: 'graffiti',
      description: '看不清的照片',
    });
    const { username } = await staffSession(app, 'office');
    await signIn(page, username, `/console/tipoffs/${dup.id}`);
    await page.locator('.duplicate', { hasText: first.id }).waitFor();
    await page.locator('.action-merge').click();
    expect(await page.locator('.merge-field input').inputValue()).toBe(first.id); // the duplicate found at submission
    await confirmDialog(page);
    expect(await toastText(page)).toBe('已合并');
    await toastGone(page);
    await page.locator('.status', { hasText: '已合并' }).waitFor();
    await page.goto(h5.url(`/console/tipoffs/${junk.id}`));
    await page.locator('.action-reject').click();
    await confirmDialog(page);
    expect(await toastText(page)).toBe('请填写原因');
    await toastGone(page);
    await page.locator('.note-field textarea').fill('照片看不出问题');
    await confirmDialog(page);
    await page.locator('.status', { hasText: '不予受理' }).waitFor();
  });

  h5.it('gives a unit its queue by deadline and lets it rectify with an uploaded photo', async ({ page, app }) => {
    const office = await staffSession(app, 'office');
    const r = await residentSession(app);
    const soon = await submitOk(app, r.token, {
      ...north(LIUAN, 16_000),
      categoryCode: 'overflowing-bins',
      description: '垃圾桶满了溢出来',
    }); // 12 h
    const later = await submitOk(app, r.token, { ...north(LIUAN, 17_000), categoryCode: 'littering', description: '草坪上有垃圾' }); // 24 h
    for (const t of [later, soon]) await transition(app, office.token, t.id, { action: 'accept' });
    const { username } = await staffSession(app, 'unit', 'hwc');
    await signIn(page, username, '/console/todo');
    await page.locator('.tipoff-card').first().waitFor();
    const order = await page.locator('.tipoff-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-id')));
    expect(order.indexOf(soon.id)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(soon.id)).toBeLessThan(order.indexOf(later.id));
    await page.locator(`.tipoff-card[data-id="${soon.id}"] .description`).click();
    expect(await page.locator('.reporter').count()).toBe(0); // a unit never sees the reporter
    await page.locator('.action-rectify').click();
    await page.locator('.rectify-submit').click();
    expect(await toastText(page)).toBe('请上传整改后的照片');
    await toastGone(page);
    await page.locator('.after-uploader .van-uploader__input').setInputFiles([await photoFile('after.jpg')]);
    await page.locator('.after-uploader .van-uploader__preview').waitFor();
    await page.locator('.rectify-note textarea').fill('已清运');
    await page.locator('.rectify-submit').click();
    expect(await toastText(page)).toBe('已提交整改');
    await page.locator('.status', { hasText: '已整改' }).waitFor();
    const after = (await app.get(`/api/v1/tipoffs/${soon.id}`, { token: r.token })).body;
    expect(after).toMatchObject({
      status: 'rectified',
      afterPhotos: [expect.objectContaining({ url: expect.stringMatching(/^\/media\//) })],
    });
  });
});
