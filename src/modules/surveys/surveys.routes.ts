import Router from '@koa/router';
import { residentOf, staffOf, type Principal } from '../../core/auth';
import { route } from '../../core/http/route';
import { notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { invitationProgress, inviteToSurvey } from './surveys.invite';
import { submitResponse } from './surveys.respond';
import { exportResponses } from './surveys.export';
import { sampleProgress, surveyResults } from './surveys.results';
import {
  createSurveySchema,
  inviteInputSchema,
  inviteQuerySchema,
  openSurveySchema,
  responseInputSchema,
  responseResultSchema,
  sampleProgressSchema,
  surveyAdminSchema,
  surveyIdParams,
  surveyInvitationViewSchema,
  surveyListSchema,
  surveyResultsSchema,
  surveyViewSchema,
  updateSurveySchema,
} from './surveys.schema';
import {
  auditBeforeOf,
  closeSurvey,
  copySurvey,
  createSurvey,
  getSurvey,
  hasResponded,
  listSurveys,
  openSurvey,
  presentAdmin,
  presentListItem,
  presentSurvey,
  updateSurvey,
} from './surveys.service';

export const surveysRouter = new Router({ prefix: '/api/v1' });

const OFFICE = ['office', 'admin'] as const;
const tags = ['surveys'];
const isOffice = (p: Principal | undefined) => p?.kind === 'staff' && (OFFICE as readonly string[]).includes(p.role);
const residentIdOf = (p: Principal | undefined) => (p?.kind === 'resident' ? p.residentId : undefined);

route(
  surveysRouter,
  {
    method: 'get',
    path: '/surveys',
    summary: '问卷列表（居民看到是否已填写；办公室还看到草稿）',
    tags,
    access: 'public',
    response: surveyListSchema,
  },
  async ({ auth }) => {
    const rid = residentIdOf(auth);
    const surveys = await listSurveys({ drafts: isOffice(auth) });
    return { items: await Promise.all(surveys.map(async (s) => presentListItem(s, rid ? await hasResponded(s, rid) : undefined))) };
  },
);

route(
  surveysRouter,
  {
    method: 'get',
    path: '/surveys/:id',
    summary: '问卷定义（含指标标记）',
    tags,
    access: 'public',
    params: surveyIdParams,
    response: surveyViewSchema,
  },
  async ({ auth, params }) => {
    const s = await getSurvey(params.id, { drafts: isOffice(auth) });
    const rid = residentIdOf(auth);
    return presentSurvey(s, rid ? await hasResponded(s, rid) : undefined);
  },
);

route(
  surveysRouter,
  {
    method: 'post',
    path: '/surveys/:id/responses',
    summary: '提交答卷（每位居民每份问卷一次；匿名问卷不保存身份）',
    tags,
    access: 'resident',
    params: surveyIdParams,
    body: responseInputSchema,
    response: responseResultSchema,
    status: 201,
    idempotent: true,
    rateLimit: { name: 'survey-response', max: 20, windowMs: 60_000 },
  },
  ({ auth, params, body }) => submitResponse(residentOf(auth).residentId, params.id, body.answers),
);

// Office: define, schedule, read results, export.

route(
  surveysRouter,
  {
    method: 'post',
    path: '/surveys',
    summary: '新建问卷',
    tags,
    access: OFFICE,
    body: createSurveySchema,
    response: surveyAdminSchema,
    status: 201,
    errors: [409],
  },
  async ({ body }) => presentAdmin(await createSurvey(body)),
);

route(
  surveysRouter,
  {
    method: 'post',
    path: '/surveys/:id/copy',
    summary: '复制问卷（新草稿：题目、设置和样本目标相同，未开放）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    response: surveyAdminSchema,
    status: 201,
  },
  async ({ params }) => presentAdmin(await copySurvey(params.id)),
);

route(
  surveysRouter,
  {
    method: 'get',
    path: '/surveys/:id/admin',
    summary: '问卷管理视图（窗口、样本目标、答卷数）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    response: surveyAdminSchema,
  },
  async ({ params }) => presentAdmin(await getSurvey(params.id, { drafts: true })),
);

route(
  surveysRouter,
  {
    method: 'patch',
    path: '/surveys/:id',
    summary: '修改问卷（有答卷后只能改窗口、目标和说明）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    body: updateSurveySchema,
    response: surveyAdminSchema,
    errors: [409],
  },
  async ({ params, body, ctx }) => {
    ctx.state.auditBefore = auditBeforeOf(await getSurvey(params.id, { drafts: true }), body);
    return presentAdmin(await updateSurvey(params.id, body));
  },
);

route(
  surveysRouter,
  {
    method: 'post',
    path: '/surveys/:id/open',
    summary: '开放问卷',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    body: openSurveySchema,
    response: surveyAdminSchema,
  },
  async ({ params, body }) => presentAdmin(await openSurvey(params.id, body)),
);

route(
  surveysRouter,
  {
    method: 'post',
    path: '/surveys/:id/close',
    summary: '结束问卷',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    response: surveyAdminSchema,
  },
  async ({ params }) => presentAdmin(await closeSurvey(params.id)),
);

route(
  surveysRouter,
  {
    method: 'get',
    path: '/surveys/:id/results',
    summary: '逐题统计（人数与占比）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    response: surveyResultsSchema,
  },
  ({ params }) => surveyResults(params.id),
);

route(
  surveysRouter,
  {
    method: 'get',
    path: '/surveys/:id/sample',
    summary: '分社区样本进度（目标与已完成）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    response: sampleProgressSchema,
  },
  ({ params }) => sampleProgress(params.id),
);

route(
  surveysRouter,
  {
    method: 'get',
    path: '/surveys/:id/responses.xlsx',
    summary: '导出答卷（匿名问卷不含身份）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  async ({ ctx, auth, params }) => {
    const { buffer, filename, rows } = await exportResponses(params.id);
    logger.info({ staff: staffOf(auth).username, survey: params.id, rows }, 'survey responses exported');
    ctx.set('Content-Disposition', `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.body = buffer;
    return undefined;
  },
);

route(
  surveysRouter,
  {
    method: 'post',
    path: '/surveys/:id/invitations',
    summary: '邀请居民作答（某区域或全市未作答的居民，各走其渠道；每人每份问卷一次；后台发送）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    body: inviteInputSchema,
    response: surveyInvitationViewSchema,
    status: 202,
    errors: [404, 409],
  },
  ({ params, body }) => inviteToSurvey(params.id, body.regionCode ?? null),
);

route(
  surveysRouter,
  {
    method: 'get',
    path: '/surveys/:id/invitations',
    summary: '邀请作答的进度',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    query: inviteQuerySchema,
    response: surveyInvitationViewSchema,
  },
  async ({ params, query }) => (await invitationProgress(params.id, query.regionCode ?? null)) ?? Promise.reject(notFound('邀请记录')),
);
