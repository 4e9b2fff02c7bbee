import { useH5App } from '../harness/browser';
import { staffSession } from '../factories';
import { seedRanking } from './ranking-factory';
import { formatPercent } from '../../src/core/format';
import { setClock } from '../../src/core/time';

/** 数据看板's unit ranking in Chromium on an office desktop (1366×900): ranked units, then the 样本不足 ones. */
const h5 = useH5App();
let token: string;

beforeAll(async () => {
  await seedRanking('2026-11-05');
  setClock(() => new Date('2026-11-09T10:00:00+08:00'));
  await h5.app.flush();
  token = (await staffSession(h5.app, 'office')).token;
}, 300_000);
afterAll(() => setClock(undefined));

describe('数据看板 · 责任单位考核排名', () => {
  h5.it(
    'numbers the ranked units and marks units with fewer than 10 accepted tip-offs 样本不足, after them and unnumbered',
    async ({ page, context, app }) => {
      await page.setViewportSize({ width: 1366, height: 900 });
      await context.addCookies([{ name: 'wm_session', value: token, url: app.baseUrl, httpOnly: true }]);
      await page.goto(h5.url('/console/dashboard'));
      await page.locator('.kpi[data-kpi="awareness"] .kpi-value').waitFor();
      await page.locator('.van-dropdown-menu__item').click();
      await page.locator('.van-dropdown-item__option', { hasText: '本月' }).click();
      const json = (await app.get('/api/v1/stats/tipoffs?period=month', { token })).body;
      const row = (code: string) => page.locator(`.unit-row[data-unit="${code}"]`);
      await row('jjd').waitFor();

      const shown = await page.locator('.unit-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.unit));
      const expected = json.byUnit
        .filter((u: { rank: number | null; accepted: number }) => u.rank !== null || u.accepted > 0)
        .map((u: { code: string }) => u.code);
      expect(shown).toEqual(expected);
      expect(shown).toEqual(['jjd', 'cgj', 'hwc']);

      for (const [code, rank] of [
        ['jjd', '1'],
        ['cgj', '2'],
      ] as const) {
        expect((await row(code).locator('.rank').textContent())!.trim()).toBe(rank);
        expect(await row(code).getByText('样本不足').count()).toBe(0);
      }
      const hwc = row('hwc');
      expect((await hwc.locator('.rank').textContent())!.trim()).toBe('—');
      const tag = hwc.locator('.van-tag', { hasText: '样本不足' });
      await tag.waitFor();
      const box = (await tag.boundingBox())!;
      expect(box.width).toBeGreaterThan(20);
      // Seen, not merely present: nothing clips or covers the mark at its centre.
      await tag.scrollIntoViewIfNeeded();
      expect(
        await tag.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return !!hit && el.contains(hit);
        }),
      ).toBe(true);
      for (const code of ['jjd', 'cgj', 'hwc']) {
        const figures = (await row(code).locator('.unit-figures').boundingBox())!;
        expect(figures.x + figures.width).toBeLessThanOrEqual(1366);
      }
      const jjd = json.byUnit.find((u: { code: string }) => u.code === 'jjd');
      expect(await row('jjd').locator('.unit-figures').textContent()).toContain(
        `按时 ${formatPercent(jjd.rankingRate.rate)}（下限 ${formatPercent(jjd.rankingRate.ci[0])}）`,
      );
      await page.getByText('受理不足 10 件为样本不足，不排名').waitFor();
    },
    { timeout: 60_000 },
  );
});
