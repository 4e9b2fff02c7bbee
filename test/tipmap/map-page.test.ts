import type { BrowserContext, Page } from 'playwright-core';
import { reportTipoff, staffSession } from '../factories';
import { useH5App } from '../harness/browser';
import { syncMapShapes } from '../../src/modules/tipmap/tipmap.geo';
import { MapShape } from '../../src/modules/tipmap/tipmap.model';

const h5 = useH5App();

async function signIn(page: Page, username: string, next: string): Promise<void> {
  await page.goto(h5.url(`/console/login?next=${encodeURIComponent(next)}`));
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill('password-123');
  await page.getByRole('button', { name: '登录' }).click();
}

/** Every request the page makes outside the service's own origin (tiles, fonts, CDNs would show here). */
function outsideRequests(context: BrowserContext, origin: string): string[] {
  const outside: string[] = [];
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !/^(data|blob):/.test(url)) outside.push(url);
  });
  return outside;
}

/**
 * Where the chart painted a colour below its legend (the top 40 px): the count of its pixels and
 * their centre in page coordinates (the canvas may be drawn at the device's pixel ratio).
 */
async function painted(page: Page, rgb: [number, number, number]): Promise<{ count: number; x: number; y: number }> {
  return page.evaluate((c) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-test="tipoff-map"] canvas')!;
    const ctx = canvas.getContext('2d')!;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const skip = 40 * scale * canvas.width * 4;
    let count = 0;
    let sx = 0;
    let sy = 0;
    for (let i = skip; i < data.length; i += 4) {
      if (
        Math.abs(data[i]! - c[0]) < 10 &&
        Math.abs(data[i + 1]! - c[1]) < 10 &&
        Math.abs(data[i + 2]! - c[2]) < 10 &&
        data[i + 3]! > 200
      ) {
        count++;
        sx += (i / 4) % canvas.width;
        sy += Math.floor(i / 4 / canvas.width);
      }
    }
    return { count, x: box.left + sx / Math.max(count, 1) / scale, y: box.top + sy / Math.max(count, 1) / scale };
  }, rgb);
}

/** Waits until the chart has painted at least `min` pixels of the colour (it paints on the next frame). */
async function paintedAtLeast(page: Page, rgb: [number, number, number], min: number): Promise<{ count: number; x: number; y: number }> {
  let last = await painted(page, rgb);
  for (let i = 0; i < 50 && last.count < min; i++) {
    await page.waitForTimeout(100);
    last = await painted(page, rgb);
  }
  return last;
}

const tooltipOf = (page: Page) => page.locator('[data-test="tipoff-map"] div', { hasText: '点击查看详情' }).last();

/**
 * Moves the mouse onto the point of that colour until its tooltip shows. The chart may still move
 * under the pointer (the list under it appearing brings a scrollbar, and the chart resizes), so the
 * point is looked for again each try.
 */
async function hoverUntilTooltip(page: Page, rgb: [number, number, number]): Promise<{ x: number; y: number }> {
  for (let attempt = 0; ; attempt++) {
    const at = await paintedAtLeast(page, rgb, 20);
    await page.mouse.move(at.x + 40, at.y + 40);
    await page.mouse.move(at.x, at.y);
    const shown = await tooltipOf(page)
      .waitFor({ timeout: 2000 })
      .then(() => true)
      .catch(() => false);
    if (shown || attempt === 4) return at;
  }
}

const SUBMITTED: [number, number, number] = [0xe6, 0xa2, 0x3c];
const REJECTED: [number, number, number] = [0x6b, 0x6f, 0x76];
const AREA: [number, number, number] = [0xf5, 0xf7, 0xfa];

describe('console: 随手拍地图', () => {
  h5.it(
    'at 1366×900 draws the tip-offs over the district shapes by status, filters them, and opens a tip-off from its point, without any request outside the service',
    async ({ page, app, context }) => {
      const outside = outsideRequests(context, app.baseUrl);
      const open = await reportTipoff({ categoryCode: 'noise', lat: 29.8689, lng: 121.5303, address: '文昌路 18 号' });
      await reportTipoff({ categoryCode: 'littering', lat: 29.8731, lng: 121.5602, reject: true });
      await app.flush();
      const office = await staffSession(app, 'office');
      await signIn(page, office.username, '/console');
      await page.locator('.aside [data-test="side-nav"] .el-menu-item', { hasText: '随手拍地图' }).click();
      await page.locator('[data-test="tipoff-map"][data-points="2"]').waitFor();
      await page.locator('[data-test="map-summary"]', { hasText: '未办结 1 件' }).waitFor();
      await page.locator('[data-test="map-summary"]', { hasText: '已结束 1 件' }).waitFor();
      // the shapes, the open tip-off and the community's rejected one are on the canvas
      expect((await paintedAtLeast(page, AREA, 10_000)).count).toBeGreaterThanOrEqual(10_000);
      expect((await paintedAtLeast(page, REJECTED, 20)).count).toBeGreaterThanOrEqual(20);
      expect((await paintedAtLeast(page, SUBMITTED, 20)).count).toBeGreaterThanOrEqual(20);
      // the place is shown by name, never as coordinates
      await page.locator('[data-test="map-points"]').getByText('文昌路 18 号').waitFor();
      expect(await page.locator('.tipoff-map').innerText()).not.toMatch(/29\.86|121\.53/);

      // filter by status: only the rejected one remains
      await page.locator('[data-test="status-filter"]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '不予受理' }).click();
      await page.locator('[data-test="tipoff-map"][data-points="1"]').waitFor();
      expect((await painted(page, SUBMITTED)).count).toBe(0);
      await page.locator('[data-test="status-filter"] .el-select__clear, [data-test="status-filter"] .el-icon').first().hover();
      await page.locator('[data-test="status-filter"] .el-select__clear').click();
      await page.locator('[data-test="tipoff-map"][data-points="2"]').waitFor();

      // click the open tip-off's point → its detail; hover first, as a mouse does (ECharts finds the
      // point under the pointer on the move): the tooltip names the place
      const at = await hoverUntilTooltip(page, SUBMITTED);
      expect(await tooltipOf(page).innerText()).toMatch(/噪音扰民 · 待受理\n文昌路 18 号/);
      await page.mouse.click(at.x, at.y);
      await page.waitForURL(new RegExp(`#/console/tipoffs/${open}$`));
      expect(outside).toEqual([]);
    },
    { desktop: true, timeout: 60_000 },
  );

  h5.it(
    'at 375×667 fits the phone: the map draws its points, the list links to the tip-off, nothing is fetched from outside',
    async ({ page, app, context }) => {
      const outside = outsideRequests(context, app.baseUrl);
      const open = await reportTipoff({ categoryCode: 'graffiti', lat: 29.8458, lng: 121.5719, address: '建设路菜场东门' });
      await app.flush();
      const office = await staffSession(app, 'office');
      await signIn(page, office.username, '/console/tipoffs-map');
      await page.locator('[data-test="tipoff-map"]:not([data-points="0"])[data-points]').waitFor();
      expect((await paintedAtLeast(page, SUBMITTED, 10)).count).toBeGreaterThanOrEqual(10);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      const link = page.locator('[data-test="map-points"]').getByRole('button', { name: open });
      await link.scrollIntoViewIfNeeded();
      await link.click();
      await page.waitForURL(new RegExp(`#/console/tipoffs/${open}$`));
      expect(outside).toEqual([]);
    },
  );

  h5.it(
    'without shapes in content draws the points over the named community centres',
    async ({ page, app }) => {
      await MapShape.deleteOne({ _id: '3302' });
      try {
        await reportTipoff({ categoryCode: 'noise', lat: 29.8815, lng: 121.5734, address: '新河路 3 号' });
        const office = await staffSession(app, 'office');
        await signIn(page, office.username, '/console/tipoffs-map');
        await page.getByText('未提供区域边界（content/geo），地图以社区中心为参照显示。').waitFor();
        await page.locator('[data-test="tipoff-map"]:not([data-points="0"])[data-points]').waitFor();
        expect((await paintedAtLeast(page, SUBMITTED, 20)).count).toBeGreaterThanOrEqual(20);
        expect((await painted(page, AREA)).count).toBeLessThan(1000);
      } finally {
        await syncMapShapes();
      }
    },
    { desktop: true, timeout: 60_000 },
  );
});
