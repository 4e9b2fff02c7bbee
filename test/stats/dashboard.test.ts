import { useH5App } from '../harness/browser';
import { seedDemo } from '../../scripts/demo/seed';
import { DEMO_PASSWORD } from '../../scripts/demo/actors';
import { formatPercent } from '../../src/core/format';
import { IndicatorResponse, type IndicatorResponseDoc } from '../../src/modules/counters/stats.model';
import { expectSame, poststratExp, ratioExp, strataExp, type RegionNodeExp } from './expected';

/** 数据看板 in Chromium, on data made by the demo seed (`npm run seed:demo`, smaller). */
const h5 = useH5App();
let token: string;

beforeAll(async () => {
  await seedDemo({ residents: 36, days: 60, seed: 11 });
  await h5.app.flush();
  const login = await h5.app.post('/api/v1/staff/sessions', { username: 'demo_office', password: DEMO_PASSWORD });
  token = login.body.token;
}, 300_000);

describe('数据看板', () => {
  h5.it(
    'shows the headline rates with intervals, the charts, the unit ranking, the sample monitor and the export link',
    async ({ page, context, app }) => {
      await context.addCookies([{ name: 'wm_session', value: token, url: app.baseUrl, httpOnly: true }]);
      await page.goto(h5.url('/console'));
      await page.locator('.van-grid-item', { hasText: '数据看板' }).click();
      const awareness = page.locator('.kpi[data-kpi="awareness"]');
      await awareness.locator('.kpi-value').waitFor({ timeout: 30_000 }); // eight cold statistics requests on a busy machine
      const json = (await app.get('/api/v1/stats/awareness', { token })).body;
      const shown = (await awareness.locator('.kpi-value').textContent())!.trim();
      expect(shown).toBe(`${(json.overall.unweighted.rate * 100).toFixed(1)}%`);
      expect(await awareness.locator('.kpi-sub').textContent()).toContain(`n=${json.overall.unweighted.n} 人`);
      // The interval is on the card, on the effective sample size, as the API gives it.
      const [low, high] = json.overall.unweighted.ci;
      expect(await awareness.locator('.kpi-sub').textContent()).toContain(`95%区间 ${formatPercent(low)}–${formatPercent(high)}`);
      // It says what it measures: survey respondents, and quiz attempts beside it, never pooled.
      expect(await awareness.locator('.kpi-title').textContent()).toContain('知晓率（问卷，n = 受访人数）');
      const quiz = (await app.get('/api/v1/stats/awareness?source=quiz', { token })).body;
      const quizCard = page.locator('.kpi[data-kpi="quizAwareness"]');
      expect(await quizCard.locator('.kpi-title').textContent()).toContain('答题知晓（答题人次）');
      expect(await quizCard.locator('.kpi-sub').textContent()).toContain(`n=${quiz.overall.unweighted.n} 人次`);
      expect(quiz.overall.unweighted.n).not.toBe(json.overall.unweighted.n);
      // Under 30 respondents the card says 样本不足.
      expect(await awareness.locator('.low').count()).toBe(json.overall.unweighted.lowSample ? 1 : 0);
      for (const k of ['participation', 'support', 'satisfaction', 'volunteers', 'rectification'])
        await page.locator(`.kpi[data-kpi="${k}"] .kpi-value`).waitFor();
      // ECharts draws on canvas: both charts are there and have a size.
      for (const chart of ['.trend canvas', '.regions canvas'])
        expect((await page.locator(chart).first().boundingBox())!.width).toBeGreaterThan(300);
      await page.locator('.region-part', { hasText: '东湖区' }).waitFor();
      const tipoffs = (await app.get('/api/v1/stats/tipoffs', { token })).body;
      const first = tipoffs.byUnit.find((u: { rank: number | null }) => u.rank === 1);
      if (first) await page.locator('.unit-row').first().getByText(first.name).waitFor();
      // The sample monitor counts respondents; every community of this small demo is under 30.
      const sample = (await app.get('/api/v1/stats/sample-monitor', { token })).body;
      const row = sample.items.find((i: { achieved: number }) => i.achieved > 0);
      const shownRow = page.locator(`.sample-row[data-community="${row.code}"]`);
      expect(await shownRow.textContent()).toContain(`${row.achieved} / ${row.target} 人`);
      expect(await shownRow.textContent()).toContain('样本不足');
      expect(await page.locator('.wm-section-title', { hasText: '样本监测（受访人数）' }).count()).toBe(1);
      expect(await page.locator('a.export-link').getAttribute('href')).toBe('/api/v1/stats/report.xlsx?period=campaign');
    },
    { timeout: 60_000 },
  );

  h5.it(
    'narrows to a district and a period from the filters',
    async ({ page, context, app }) => {
      await context.addCookies([{ name: 'wm_session', value: token, url: app.baseUrl, httpOnly: true }]);
      await page.goto(h5.url('/console/dashboard'));
      await page.locator('.kpi[data-kpi="awareness"] .kpi-value').waitFor();
      await page.locator('.filters .region').click();
      await page.locator('.van-cascader').getByText('南港区', { exact: true }).click();
      await page.locator('.van-cascader__close-icon').click();
      await page.locator('.van-dropdown-menu__item').click();
      await page.locator('.van-dropdown-item__option', { hasText: '本月' }).click();
      const json = (await app.get('/api/v1/stats/awareness?region=330203&period=month', { token })).body;
      await page.locator('.period-label', { hasText: json.filters.period.label }).waitFor();
      await page.locator('.region-part', { hasText: '港城街道' }).waitFor();
      // the page and the test format through the same function (0 shows as "0%", null as "—")
      const expected = formatPercent(json.overall.unweighted.rate);
      const exactly = new RegExp(`^\\s*${expected.replace(/[.*+?^${}()|[\]\\<]/g, '\\$&')}\\s*$`);
      await page.locator('.kpi[data-kpi="awareness"] .kpi-value', { hasText: exactly }).waitFor();
      expect(await page.locator('a.export-link').getAttribute('href')).toBe('/api/v1/stats/report.xlsx?period=month&region=330203');
    },
    { timeout: 60_000 },
  );
});

describe('数据看板 figures on the demo data', () => {
  it("are DESIGN's formulas worked from the stored responses: n in people, thin communities merged, survey and quiz apart", async () => {
    const tree: RegionNodeExp[] = (await h5.app.get('/api/v1/regions')).body;
    const stored = await IndicatorResponse.find().lean<IndicatorResponseDoc[]>();
    for (const source of ['survey', 'quiz'] as const) {
      const { filters, overall } = (await h5.app.get(`/api/v1/stats/awareness?source=${source}`, { token })).body;
      /** each response of the period as (n_j, k_j) over its awareness answers */
      const units = (where: (r: IndicatorResponseDoc) => boolean) =>
        stored
          .filter((r) => r.source === source && r.day >= filters.period.from && r.day <= filters.period.to && where(r))
          .map((r) => r.answers.filter((a) => a.kind === 'awareness'))
          .filter((a) => a.length > 0)
          .map((a) => ({ n: a.length, k: a.filter((x) => x.positive).length }));
      const { strata, collapsed } = strataExp(tree, tree[0]!, (community) => units((r) => r.regionCode === community));
      expect(overall.unweighted.n).toBeGreaterThan(0);
      expectSame(overall, { unweighted: ratioExp(units(() => true)), weighted: { ...poststratExp(strata), collapsed } });
    }
  });
});
