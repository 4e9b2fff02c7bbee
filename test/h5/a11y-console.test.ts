import type { Locator, Page } from 'playwright-core';
import { adminToken, residentSession, staffSession } from '../factories';
import type { TestApp } from '../harness/app';
import { expectNoSeriousA11yViolations } from '../harness/axe';
import { useH5App } from '../harness/browser';
import { assignedFieldwork } from './fieldwork-factories';
import { createQuiz } from '../quiz/factories';
import { openSurvey, respond } from '../surveys/factories';
import { LIUAN, north, submitOk, transition } from '../tipoffs/factories';
import { createActivity, hoursFromNow, volunteerSession } from '../volunteers/factories';
import { briefJobs } from '../../src/modules/briefs/briefs.jobs';
import { openHelpRequest } from '../../src/modules/helpdesk/helpdesk.service';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { notifyStaff, unitAudience } from '../../src/modules/notices/notices.service';
import { notifyResident } from '../../src/modules/outbox/outbox.service';

/**
 * axe-core over every console page (each `consolePage(...)` route and the login page) with data in
 * it, and the dialogs and drawers that are part of a page's main use. A page's violations are
 * collected, not thrown at once, so one run names every page that needs work.
 */
const h5 = useH5App();

interface Seeded {
  tipoff: string;
  assigned: string;
  quiz: string;
  survey: string;
  activity: string;
  activityTitle: string;
  help: string;
}

let spot = 0;
/** A fresh place each time, so none looks like a duplicate of another. */
const fresh = (fields: Record<string, unknown>) => ({ ...north(LIUAN, 400 * ++spot), ...fields });

/**
 * What each page shows: a tip-off with a photo (new and assigned), a held one, a quiz bank, a survey with answers,
 * an activity, a help request, notices, messages, a weekly brief.
 */
async function seed(app: TestApp): Promise<Seeded> {
  const office = await staffSession(app, 'office');
  const r = await residentSession(app, { nickname: '柳岸居民' });
  const tipoff = await submitOk(app, r.token, fresh({ description: '小区门口垃圾堆放多日无人清理', address: '柳岸路 18 号' }));
  const assigned = await submitOk(app, r.token, fresh({ description: '人行道井盖缺失', address: '湖滨路 6 号' }));
  await transition(app, office.token, assigned.id, { action: 'accept', unitCode: 'cgj' });
  await submitOk(app, r.token, fresh({ description: '门口那个傻逼乱扔垃圾' })); // held by the word list → 内容审核
  const quiz = await createQuiz(app, { token: office.token });
  const survey = await openSurvey(app, {}, office.token);
  for (let i = 0; i < 3; i++) await respond(app, survey.id, (await residentSession(app, { regionCode: '330201001001' })).token);
  const activityTitle = `文明劝导${Date.now().toString(36)}`;
  const activity = await createActivity(app, { title: activityTitle, startAt: hoursFromNow(2), endAt: hoursFromNow(5) });
  const volunteer = await volunteerSession(app, { realName: '李阿婆' });
  await app.post(`/api/v1/activities/${activity.id}/signups`, {}, { token: volunteer.token });
  const help = await openHelpRequest({
    residentId: r.id,
    channel: 'chat',
    said: '我要投诉小区物业乱收停车费',
    transcript: [{ from: 'resident', text: '人工', at: new Date() }],
  });
  await notifyStaff(
    'office',
    { kind: 'test', title: '督办提醒', text: '有 1 条随手拍即将超期，请及时处理。', link: `/console/tipoffs/${tipoff.id}` },
    `a11y:${tipoff.id}`,
  );
  await notifyStaff(
    unitAudience('cgj'),
    { kind: 'test', title: '新分派的随手拍', text: '人行道井盖缺失', link: `/console/tipoffs/${assigned.id}` },
    `a11y:${assigned.id}`,
  );
  await notifyResident(r.id, '您举报的「乱扔垃圾」问题已受理。', `a11y:${tipoff.id}`);
  const run = await createJobRunner({ jobs: briefJobs, instanceId: 'a11y' }).runOccurrence('briefs.weekly', new Date());
  if (run?.status !== 'ok') throw new Error(`brief failed: ${run?.error}`);
  await app.flush();
  return {
    tipoff: tipoff.id,
    assigned: assigned.id,
    quiz: quiz.id,
    survey: survey.id,
    activity: activity.id,
    activityTitle,
    help: help.id,
  };
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(h5.url('/console/login'));
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/#\/console$/);
}

/** Runs axe on what the page shows now; keeps the failure to report all pages together. */
function checker(page: Page) {
  const failures: string[] = [];
  return {
    failures,
    async check(label: string): Promise<void> {
      // Element Plus and Vant animate dialogs and rows in; axe reads colours mid-fade otherwise.
      await page.waitForTimeout(400);
      await expectNoSeriousA11yViolations(page, label).catch((err: Error) => failures.push(err.message));
    },
  };
}

/** Opens a console page and waits for what shows it has loaded. */
async function visit(page: Page, route: string, ready: string): Promise<void> {
  await page.goto(h5.url(route));
  await page.locator(ready).first().waitFor();
}

const rowWith = (page: Page, table: string, text: string): Locator =>
  page.locator(`[data-test="${table}"] .el-table__body-wrapper .el-table__row`, { hasText: text });
const dialog = (page: Page, title: string) => page.locator('.el-dialog:visible', { hasText: title });
async function closeDialog(page: Page, title: string): Promise<void> {
  await dialog(page, title).getByRole('button', { name: '取消' }).click();
  await dialog(page, title).waitFor({ state: 'hidden' });
}

let s: Seeded;
beforeAll(async () => {
  await adminToken(h5.app);
  s = await seed(h5.app);
}, 120_000);

/** One walk of an admin over some pages at 1366×900: signed in, with the checker; fails with every page's violations. */
function adminWalk(name: string, walk: (page: Page, check: (label: string) => Promise<void>) => Promise<void>): void {
  h5.it(
    name,
    async ({ page }) => {
      const { check, failures } = checker(page);
      await signIn(page, 'root', 'root-password-1');
      await walk(page, check);
      expect(failures).toEqual([]);
    },
    { desktop: true, timeout: 240_000 },
  );
}

describe('console pages pass axe-core (0 critical, 0 serious) as an admin at 1366×900', () => {
  h5.it(
    'the login page and the home page',
    async ({ page }) => {
      const { check, failures } = checker(page);
      await page.goto(h5.url('/console/login'));
      await page.getByPlaceholder('请输入用户名').waitFor();
      await check('登录');
      await signIn(page, 'root', 'root-password-1');
      await page.locator('.van-grid-item').first().waitFor();
      await check('工作台');
      expect(failures).toEqual([]);
    },
    { desktop: true, timeout: 120_000 },
  );

  adminWalk(
    '随手拍: triage with its accept dialog, a tip-off with photos and its accept picker, the map, the dashboard',
    async (page, check) => {
      await visit(page, '/console/tipoffs', `[data-test="triage-table"] .el-table__row`);
      await check('随手拍处置');
      await rowWith(page, 'triage-table', s.tipoff).locator('.el-checkbox').click();
      await page.locator('[data-test="bulk-accept"]').click();
      await dialog(page, '受理并分派').waitFor();
      await check('随手拍处置：受理并分派对话框');
      await closeDialog(page, '受理并分派');

      await visit(page, `/console/tipoffs/${s.tipoff}`, '.tipoff-detail .photo img');
      await check('随手拍详情');
      await page.locator('.action-accept').click();
      await page.locator('.place-picker, .unit-picker').first().waitFor();
      await check('随手拍详情：受理');
      await page.keyboard.press('Escape');

      await visit(page, '/console/tipoffs-map', '.tipoff-map canvas');
      await check('随手拍地图');

      await visit(page, '/console/dashboard', '.dashboard canvas');
      await check('数据看板');
    },
  );

  adminWalk('quizzes and surveys: tables, a bank, the builder, results, their dialogs and previews', async (page, check) => {
    await visit(page, '/console/quizzes', '[data-test="quiz-table"] .el-table__row');
    await check('题库管理');
    await page.getByRole('button', { name: '新建答题' }).click();
    await dialog(page, '新建答题').waitFor();
    await check('题库管理：新建答题对话框');
    await closeDialog(page, '新建答题');

    await visit(page, `/console/quizzes/${s.quiz}`, '[data-test="bank-table"] .el-table__row');
    await check('题库');
    await page.getByRole('button', { name: '新增题目' }).click();
    await dialog(page, '新增题目').waitFor();
    await check('题库：新增题目对话框');
    await closeDialog(page, '新增题目');
    await page.locator('[data-test="bank-table"] .el-table__row').first().getByRole('button', { name: '预览' }).click();
    await dialog(page, '预览').waitFor();
    await check('题库：预览');
    await page.keyboard.press('Escape');

    await visit(page, '/console/surveys', '[data-test="survey-table"] .el-table__row');
    await check('问卷管理');
    await visit(page, `/console/surveys/${s.survey}/edit`, '[data-test="question-0"]');
    // the blank form shows first; wait for the survey itself
    await page.waitForFunction(() => Array.from(document.querySelectorAll('input')).some((i) => i.value.startsWith('测试问卷')));
    await check('编辑问卷');
    await page.getByRole('button', { name: '预览' }).click();
    await page.locator('.el-drawer', { hasText: '预览（居民看到的样子）' }).waitFor();
    await check('编辑问卷：预览抽屉');
    await page.keyboard.press('Escape');
    await visit(page, `/console/surveys/${s.survey}`, '.survey-results .responses');
    await check('问卷结果');
    await visit(page, '/console/surveys/new', '[data-test="question-0"]');
    await check('新建问卷');
  });

  adminWalk('activities with the edit and 代签 dialogs and the QR page; categories and units; populations', async (page, check) => {
    await visit(page, '/console/activities', '[data-test="activity-table"] .el-table__row');
    await check('活动管理');
    const activity = rowWith(page, 'activity-table', s.activityTitle);
    await activity.getByRole('button', { name: '编辑' }).click();
    await dialog(page, '编辑活动').waitFor();
    await check('活动管理：编辑活动对话框');
    await closeDialog(page, '编辑活动');
    await activity.getByRole('button', { name: '代签' }).click();
    await dialog(page, '管理员代签').locator('[data-test="roster-table"] .el-table__row').first().waitFor();
    await check('活动管理：管理员代签对话框');
    await page.keyboard.press('Escape');
    await visit(page, `/console/activities/${s.activity}`, '.qr-card img.qr');
    await check('签到二维码');

    await visit(page, '/console/catalog', '[data-test="category-table"] .el-table__row');
    await check('类别与单位');
    await page.getByRole('button', { name: '新建类别' }).click();
    await dialog(page, '新建问题类别').waitFor();
    await check('类别与单位：新建类别对话框');
    await closeDialog(page, '新建问题类别');

    await visit(page, '/console/populations', '[data-test="population-table"] .el-table__row');
    await check('区域人口');
  });

  adminWalk('入户调查: household list, draw and assignment, progress, review', async (page, check) => {
    const { surveyId } = await assignedFieldwork(h5.app);
    await visit(page, `/console/fieldwork?survey=${surveyId}`, '[data-test="survey-select"]');
    await check('入户调查：住户清单');
    for (const tab of ['抽样与分派', '进度', '质量审核']) {
      await page.getByRole('tab', { name: tab }).click();
      await page
        .locator('.el-tab-pane:not([style*="display: none"]) .el-table, .el-tab-pane:not([style*="display: none"]) .el-empty')
        .first()
        .waitFor();
      await check(`入户调查：${tab}`);
    }
  });

  adminWalk('notices, outbox, help desk, moderation, briefs, jobs, accounts, audit log, password', async (page, check) => {
    await visit(page, '/console/notices', '.notices-page .el-table__row');
    await check('工作通知');
    await visit(page, '/console/outbox', '.outbox-page .queues');
    await check('消息发送');

    await visit(page, '/console/help', '[data-test="help-table"] .el-table__row');
    await check('人工服务');
    await rowWith(page, 'help-table', s.help).click();
    await page.locator('.el-drawer').getByText('此前的对话').waitFor();
    await check('人工服务：回复抽屉');
    await page.keyboard.press('Escape');

    await visit(page, '/console/moderation', '[data-test="moderation-table"] .el-table__body-wrapper .el-table__row img');
    await check('内容审核');
    await page
      .locator('[data-test="moderation-table"] .el-table__body-wrapper .el-table__row')
      .first()
      .getByRole('button', { name: '不通过' })
      .click();
    await dialog(page, '审核不通过').waitFor();
    await check('内容审核：不通过对话框');
    await closeDialog(page, '审核不通过');

    await visit(page, '/console/briefs', '[data-test="briefs-table"] .el-table__row');
    await check('工作简报');
    await visit(page, '/console/jobs', '[data-test="jobs-table"] .el-table__row');
    await check('定时任务');

    await visit(page, '/console/staff', '[data-test="staff-table"] .el-table__row');
    await check('账号管理');
    await page.getByRole('button', { name: '新建账号' }).click();
    await dialog(page, '新建账号').waitFor();
    await check('账号管理：新建账号对话框');
    await closeDialog(page, '新建账号');

    await visit(page, '/console/audit', '[data-test="audit-table"] .el-table__row');
    await check('操作日志');
    await visit(page, '/console/password', 'input[type="password"]');
    await check('修改密码');
  });
});

describe('console pages pass axe-core (0 critical, 0 serious) as a unit and on a phone', () => {
  h5.it(
    "a unit user's 我的待办 and an assigned tip-off at 1366×900",
    async ({ page, app }) => {
      const office = await staffSession(app, 'office');
      const r = await residentSession(app);
      const t = await submitOk(app, r.token, fresh({ description: '楼道堆放杂物', address: '柳岸路 20 号' }));
      await transition(app, office.token, t.id, { action: 'accept', unitCode: 'cgj' });
      const unit = await staffSession(app, 'unit', 'cgj');
      const { check, failures } = checker(page);
      await signIn(page, unit.username, 'password-123');
      await visit(page, '/console/todo', `.tipoff-card[data-id="${t.id}"]`);
      await check('我的待办');
      await visit(page, `/console/tipoffs/${t.id}`, '.action-request-extension');
      await check('随手拍详情（责任单位）');
      await page.locator('.action-request-extension').click();
      await page.locator('.extension-reason').waitFor();
      await check('随手拍详情：申请延期对话框');
      expect(failures).toEqual([]);
    },
    { desktop: true, timeout: 90_000 },
  );

  h5.it(
    'the login page, the home page, the triage table and 账号管理 at 375×667, with the navigation drawer',
    async ({ page, app }) => {
      await adminToken(app);
      const r = await residentSession(app);
      await submitOk(app, r.token, fresh({ description: '共享单车乱停放', address: '湖滨路 9 号' }));
      const { check, failures } = checker(page);
      await page.goto(h5.url('/console/login'));
      await page.getByPlaceholder('请输入用户名').waitFor();
      await check('登录（手机）');
      await signIn(page, 'root', 'root-password-1');
      await page.locator('.van-grid-item').first().waitFor();
      await check('工作台（手机）');
      await page.getByRole('button', { name: '菜单' }).click();
      await page.locator('.nav-drawer [data-test="side-nav"]').waitFor();
      await check('导航抽屉（手机）');
      await page.keyboard.press('Escape');
      await visit(page, '/console/tipoffs', '[data-test="triage-table"] .el-table__row');
      await check('随手拍处置（手机）');
      await visit(page, '/console/staff', '[data-test="staff-table"] .el-table__row');
      await check('账号管理（手机）');
      expect(failures).toEqual([]);
    },
    { timeout: 90_000 },
  );
});
