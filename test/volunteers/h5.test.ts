import type { Page } from 'playwright-core';
import { toastText, useH5App } from '../harness/browser';
import { residentSession, staffSession } from '../factories';
import { createActivity, hoursFromNow, validIdNumber, validPhone, volunteerSession } from './factories';
import { signLinkToken } from '../../src/core/auth';
import { setClock } from '../../src/core/time';

const h5 = useH5App();
afterEach(() => setClock(undefined));

/** Opens an H5 page as this resident (the bot's signed link). */
async function openAs(page: Page, residentId: string, path: string): Promise<void> {
  await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(residentId, path))}`);
}

const api = (page: Page, path: string) => page.evaluate(async (p) => (await fetch(p)).json(), path);

describe('registering in the browser', () => {
  h5.it('registers with the consent, then shows the volunteer card', async ({ page }) => {
    const phone = validPhone();
    const idNumber = validIdNumber('19950501');
    await page.goto(h5.url('/volunteer'));
    await page.getByRole('button', { name: '注册志愿者' }).click();
    await page.getByText('志愿者个人信息处理告知书').first().waitFor();
    await page.getByText('四、保存期限').click();
    await page.getByText(/保存 3 年/).waitFor();
    await page.getByPlaceholder('请输入身份证上的姓名').fill('孙文明');
    await page.getByPlaceholder('11 位手机号码').fill(phone);
    await page.getByPlaceholder('18 位居民身份证号码').fill(idNumber);
    await page.getByPlaceholder('请选择社区').click();
    const cascader = page.locator('.van-cascader');
    await cascader.getByText('西岭区', { exact: true }).click();
    await cascader.getByText('文昌街道', { exact: true }).click();
    await cascader.getByText('书院社区', { exact: true }).click();
    await page.locator('.skill', { hasText: '环境清洁' }).click();
    const submit = page.getByRole('button', { name: '同意并注册' });
    expect(await submit.isDisabled()).toBe(true);
    await page.locator('.consent').click();
    await submit.click();
    expect(await toastText(page)).toMatch(/注册成功，编号 ZY\d{8}/);
    await page.locator('.card .name', { hasText: '孙文明' }).waitFor();
    const me = await api(page, '/api/v1/volunteers/me');
    expect(me).toMatchObject({
      realName: '孙文明',
      regionCode: '330202002002',
      skills: ['环境清洁'],
      phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
    });
    expect(await page.content()).not.toContain(phone);
  });

  h5.it('shows the API message for a bad ID number on the ID field and keeps the form', async ({ page }) => {
    const good = validIdNumber();
    await page.goto(h5.url('/volunteer/register'));
    await page.getByPlaceholder('请输入身份证上的姓名').fill('周文明');
    await page.getByPlaceholder('11 位手机号码').fill(validPhone());
    await page.getByPlaceholder('18 位居民身份证号码').fill(good.slice(0, 17) + (good[17] === '0' ? '1' : '0'));
    await page.getByPlaceholder('请选择社区').click();
    const cascader = page.locator('.van-cascader');
    await cascader.getByText('东湖区', { exact: true }).click();
    await cascader.getByText('湖滨街道', { exact: true }).click();
    await cascader.getByText('柳岸社区', { exact: true }).click();
    await page.locator('.consent').click();
    await page.getByRole('button', { name: '同意并注册' }).click();
    expect(await toastText(page)).toMatch(/校验位不正确/);
    await page
      .locator('.van-field', { has: page.getByPlaceholder('18 位居民身份证号码') })
      .locator('.van-field__error-message', { hasText: '校验位不正确' })
      .waitFor();
    expect(await page.getByPlaceholder('请输入身份证上的姓名').inputValue()).toBe('周文明');
  });
});

describe('withdrawing in the browser', () => {
  h5.it('deregisters after a confirmation and offers the registration again', async ({ page, app }) => {
    const v = await volunteerSession(app, { realName: '郑志愿' });
    await openAs(page, v.id, '/volunteer');
    await page.locator('.card .name', { hasText: '郑志愿' }).waitFor();
    await page.getByRole('button', { name: '注销志愿者身份' }).click();
    await page.getByText('注销后将删除您的注册信息').waitFor();
    await page.getByRole('button', { name: '确定注销' }).click();
    expect(await toastText(page)).toBe('已注销');
    await page.getByRole('button', { name: '注册志愿者' }).waitFor();
    expect((await app.get('/api/v1/volunteers/me', { token: v.token })).status).toBe(404);
  });
});

describe('activities in the browser', () => {
  h5.it('signs up with seats left, then a second volunteer joins the waitlist', async ({ page, app, newPage }) => {
    const a = await createActivity(app, { title: '书院社区敬老慰问', regionCode: '330202002002', capacity: 1 });
    const first = await volunteerSession(app, { regionCode: '330202002002' });
    await openAs(page, first.id, '/volunteer');
    const card = page.locator('.activity', { hasText: '书院社区敬老慰问' });
    await card.getByText('余 1 个名额').waitFor();
    await card.click();
    await page.getByRole('button', { name: '立即报名' }).click();
    expect(await toastText(page)).toBe('报名成功');
    await page.locator('.my-status', { hasText: '已报名' }).waitFor();
    await page.locator('.counts', { hasText: '已报名 1' }).waitFor();
    await page.goto(h5.url('/volunteer/mine'));
    await page.locator('.item', { hasText: '书院社区敬老慰问' }).getByText('已报名').waitFor();

    const second = await volunteerSession(app);
    const other = await newPage();
    await other.context().clearCookies();
    await openAs(other, second.id, `/volunteer/activities/${a.id}`);
    await other.getByRole('button', { name: '报名候补' }).click();
    expect(await toastText(other)).toBe('名额已满，您是候补第 1 位');
    await other.locator('.my-status', { hasText: '候补第 1 位' }).waitFor();
  });

  h5.it('sends a resident who is not a volunteer to the registration first', async ({ page, app }) => {
    const a = await createActivity(app, { title: '未注册报名测试' });
    const r = await residentSession(app);
    await openAs(page, r.id, `/volunteer/activities/${a.id}`);
    await page.getByRole('button', { name: '立即报名' }).click();
    await page.getByText('报名志愿活动需要先注册志愿者').waitFor();
    await page.locator('.van-dialog__confirm').click();
    await page.getByRole('button', { name: '同意并注册' }).waitFor();
  });

  h5.it('checks in and out from the scanned QR link, then prints the service record', async ({ page, app }) => {
    const base = Date.now();
    const a = await createActivity(app, {
      title: '文昌路口交通劝导',
      startAt: hoursFromNow(1, base),
      endAt: hoursFromNow(4, base),
      capacity: 3,
    });
    const v = await volunteerSession(app, { realName: '钱志愿' });
    await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token: v.token });
    setClock(() => new Date(base + 1.5 * 3_600_000));
    await openAs(page, v.id, `/volunteer/checkin?activity=${a.id}&code=${a.checkinCode}`);
    await page.getByText('文昌路口交通劝导').waitFor();
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await page.locator('.result', { hasText: '签到成功' }).waitFor();
    setClock(() => new Date(base + 3.5 * 3_600_000));
    await page.getByRole('button', { name: '签退', exact: true }).click();
    await page.locator('.result', { hasText: '签退成功，本次服务 2 小时' }).waitFor();
    await page.getByText('已完成签退').waitFor();
    await page.getByRole('button', { name: '查看服务记录' }).click();
    const entry = page.locator('.entry', { hasText: '文昌路口交通劝导' });
    await entry.locator('.hours', { hasText: '2' }).waitFor();
    await page.getByText('钱志愿').waitFor();
    await page.locator('.id-number', { hasText: /^\d{4}\*{10}[\dX]{4}$/ }).waitFor();
    expect(await page.content()).not.toContain(v.idNumber);
    await page.getByRole('button', { name: '打印 / 保存为 PDF' }).waitFor();
  });
});

describe('the organiser console', () => {
  h5.it(
    'publishes an activity and shows its check-in QR code and roster',
    async ({ page, app }) => {
      const { username } = await staffSession(app, 'office');
      await page.goto(h5.url('/console/activities'));
      await page.getByPlaceholder('请输入用户名').fill(username);
      await page.getByPlaceholder('请输入密码').fill('password-123');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('button', { name: '发布活动' }).click();
      await page.getByPlaceholder('如：文明交通劝导').fill('梧桐社区垃圾分类督导');
      await page.getByPlaceholder('做什么、注意事项').fill('在小区投放点督导居民分类投放。');
      const local = (h: number) => new Date(Date.now() + 8 * 3_600_000 + h * 3_600_000).toISOString().slice(0, 16);
      await page.locator('input[type="datetime-local"]').nth(0).fill(local(24));
      await page.locator('input[type="datetime-local"]').nth(1).fill(local(26));
      // Typed and picked from the suggestions: clicking through the three sliding menus raced their
      // layout on a loaded machine (another column's label took the click).
      await page.getByPlaceholder('请选择社区').fill('梧桐');
      await page.locator('.el-cascader__suggestion-item:visible', { hasText: '梧桐社区' }).click();
      await page.getByPlaceholder('如：柳岸路与湖滨路交叉口').fill('梧桐苑 3 号投放点');
      await page.getByRole('button', { name: '发布', exact: true }).click();
      await page.locator('.el-message', { hasText: '活动已发布' }).waitFor();
      // The first roster read of a new activity was seen to take 10–18 s on a loaded shared machine.
      await page.locator('.qr-card .title', { hasText: '梧桐社区垃圾分类督导' }).waitFor({ timeout: 30_000 });
      const code = (await page.locator('.qr-card .code').textContent())!.trim();
      expect(code).toMatch(/^\d{6}$/);
      const qr = page.locator('img.qr');
      await qr.waitFor();
      await page.waitForFunction(() => ((document.querySelector('img.qr') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
      // a volunteer signs up: the roster shows them after the refresh
      const list = await app.get('/api/v1/activities?region=330202002003');
      const created = list.body.items.find((x: { title: string }) => x.title === '梧桐社区垃圾分类督导');
      const v = await volunteerSession(app, { realName: '吴志愿' });
      await app.post(`/api/v1/activities/${created.id}/signups`, {}, { token: v.token });
      await page.reload();
      await page.locator('.person', { hasText: '吴志愿' }).getByText('未签到').waitFor();
      expect(await page.locator('.person', { hasText: '吴志愿' }).textContent()).toMatch(/\d{3}\*{4}\d{4}/);
    },
    { timeout: 60_000 },
  );
});
