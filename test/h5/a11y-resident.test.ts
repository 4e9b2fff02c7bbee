import type { Page } from 'playwright-core';
import { signLinkToken } from '../../src/core/auth';
import { notifyResident } from '../../src/modules/outbox/outbox.service';
import { residentSession } from '../factories';
import { expectNoSeriousA11yViolations } from '../harness/axe';
import { useH5App } from '../harness/browser';
import { createQuiz } from '../quiz/factories';
import { openSurvey } from '../surveys/factories';
import { jpegWithGps, submitTipoff } from '../tipoffs/factories';
import { createActivity, registration } from '../volunteers/factories';

const h5 = useH5App();

/**
 * Every resident page through axe-core at 375×667, in normal mode and in 长辈模式: 0 critical and
 * 0 serious violations. One browser context per mode walks all pages, with data on each (a quiz
 * question, a survey question, an activity, a tip-off with three photos, messages).
 */
interface World {
  quizId: string;
  surveyId: string;
  activityId: string;
}
let world: World;
let photo: Buffer;

beforeAll(async () => {
  photo = await jpegWithGps(400, 300);
  const [quiz, survey, activity] = await Promise.all([createQuiz(h5.app), openSurvey(h5.app), createActivity(h5.app)]);
  world = { quizId: quiz.id, surveyId: survey.id, activityId: activity.id };
});

/** A resident with a tip-off (three photos) and two messages; the browser context signs in as them. */
async function residentWithData(elderMode: boolean): Promise<{ id: string; token: string }> {
  const r = await residentSession(h5.app, { regionCode: '330201001001', nickname: elderMode ? '王阿姨' : '小李' });
  if (elderMode) expect((await h5.app.patch('/api/v1/me', { elderMode: true }, { token: r.token })).status).toBe(200);
  const photos = await Promise.all([1, 2, 3].map(async () => ({ data: await jpegWithGps() })));
  expect((await submitTipoff(h5.app, r.token, {}, photos)).status).toBe(201);
  await notifyResident(r.id, '您举报的问题已受理', `a11y:${r.id}:1`);
  await notifyResident(r.id, '您报名的志愿活动明天开始', `a11y:${r.id}:2`);
  return r;
}

/** Becomes a volunteer and signs up, after the registration form has been checked. */
async function volunteer(token: string): Promise<void> {
  expect((await h5.app.post('/api/v1/volunteers', registration(), { token })).status).toBe(201);
  expect((await h5.app.post(`/api/v1/activities/${world.activityId}/signups`, {}, { token })).status).toBe(201);
}

/** The pages in walking order, each with what shows once its data has loaded. */
const pages = (w: World): Array<{ path: string; ready: string }> => [
  { path: '/volunteer/register', ready: '.van-field' },
  { path: '/', ready: '.entries' },
  { path: '/me', ready: '.stats' },
  { path: '/me/privacy', ready: '.groups' },
  { path: '/quiz', ready: '.quiz' },
  { path: `/quiz/${w.quizId}`, ready: '[role="radio"], [role="checkbox"]' },
  { path: `/quiz/${w.quizId}/leaderboard`, ready: '.van-tabs' },
  { path: '/volunteer', ready: '.van-tabs' },
  { path: `/volunteer/activities/${w.activityId}`, ready: '.my-status, .actions' },
  { path: '/volunteer/mine', ready: '.item' },
  { path: '/volunteer/record', ready: '.sheet' },
  { path: '/volunteer/checkin', ready: '.card, .van-empty' },
  { path: '/tipoff', ready: '.van-uploader' },
  { path: '/tipoff/mine', ready: '.van-image img' },
  { path: '/survey', ready: '.survey' },
  { path: `/survey/${w.surveyId}`, ready: '[role="radio"]' },
  { path: '/messages', ready: '.message' },
  { path: '/oauth-error?reason=code', ready: '.van-empty' },
];

/** Visits every page and reports all pages' violations together (not just the first page's). */
async function walk(page: Page, mode: string, token: string): Promise<void> {
  const failures: string[] = [];
  for (const [i, p] of pages(world).entries()) {
    await page.goto(h5.url(p.path));
    await page.locator(p.ready).first().waitFor();
    // Lists and images settle after their first element shows.
    await page.waitForFunction(() => !document.querySelector('.van-loading') && Array.from(document.images).every((img) => img.complete));
    await expectNoSeriousA11yViolations(page, `${p.path}（${mode}）`).catch((err: Error) => failures.push(err.message));
    if (i === 0) await volunteer(token);
    if (p.path === '/tipoff') {
      // The form again with two photos chosen: their previews are images too.
      await page
        .locator('.van-uploader__input')
        .setInputFiles([1, 2].map((n) => ({ name: `${n}.jpg`, mimeType: 'image/jpeg', buffer: photo })));
      await page.locator('.van-uploader__preview').nth(1).waitFor();
      await expectNoSeriousA11yViolations(page, `/tipoff 含照片（${mode}）`).catch((err: Error) => failures.push(err.message));
    }
  }
  expect(failures).toEqual([]);
}

describe('resident pages pass axe-core (0 critical, 0 serious)', () => {
  h5.it(
    'in normal mode at 375×667',
    async ({ page }) => {
      const r = await residentWithData(false);
      await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(r.id, '/'))}`);
      await page.locator('.entries').waitFor();
      expect(await page.evaluate(() => document.documentElement.classList.contains('wm-elder'))).toBe(false);
      await walk(page, '标准模式', r.token);
    },
    { timeout: 240_000 },
  );

  h5.it(
    'in 长辈模式 at 375×667',
    async ({ page }) => {
      const r = await residentWithData(true);
      await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(r.id, '/'))}`);
      await page.locator('.entries').waitFor();
      await page.waitForFunction(() => document.documentElement.classList.contains('wm-elder'));
      await walk(page, '长辈模式', r.token);
    },
    { timeout: 240_000 },
  );
});
