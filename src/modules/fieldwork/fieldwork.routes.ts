import Router from '@koa/router';
import { z } from 'zod';
import { staffOf } from '../../core/auth';
import { AppError } from '../../core/errors';
import { readMultipart } from '../../core/http/multipart';
import { route } from '../../core/http/route';
import { logger } from '../../core/logger';
import { assignHouseholds, listEnumerators, myAssignments } from './fieldwork.assign';
import { drawSample, listDraws } from './fieldwork.draw';
import { importHouseholds, listHouseholds } from './fieldwork.frame';
import { fieldworkProgress } from './fieldwork.progress';
import { listInterviews, reviewInterview } from './fieldwork.review';
import {
  assignInputSchema,
  assignResultSchema,
  drawInputSchema,
  drawListSchema,
  drawResultSchema,
  enumeratorListSchema,
  householdImportResultSchema,
  householdListSchema,
  householdsQuery,
  interviewIdParams,
  interviewListSchema,
  interviewSchema,
  interviewsQuery,
  myAssignmentsSchema,
  progressSchema,
  reviewInputSchema,
  surveyIdParams,
  visitInputSchema,
  visitResultSchema,
} from './fieldwork.schema';
import { recordVisit } from './fieldwork.visits';

export const fieldworkRouter = new Router({ prefix: '/api/v1' });

const OFFICE = ['office', 'admin'] as const;
const ENUMERATOR = ['enumerator'] as const;
const tags = ['fieldwork'];
const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

route(
  fieldworkRouter,
  {
    method: 'post',
    path: '/fieldwork/households/import',
    summary: '导入住户抽样框（CSV/XLSX，字段 file；列：社区编码或名称、楼栋、单元、户/室、备注；有误的行逐行列出，其余照常导入）',
    tags,
    access: OFFICE,
    consumes: 'multipart/form-data',
    form: z.object({ file: z.string().describe('CSV 或 XLSX 文件') }),
    response: householdImportResultSchema,
  },
  async ({ ctx, auth }) => {
    const [file] = (await readMultipart(ctx, { field: 'file', maxFiles: 1, maxFileBytes: IMPORT_MAX_BYTES, noun: '个文件' })).files;
    if (!file)
      throw new AppError('VALIDATION_FAILED', '请上传住户清单文件（字段名 file）', [{ path: 'file', message: '请上传 CSV 或 XLSX 文件' }]);
    const result = await importHouseholds(file, staffOf(auth).username);
    logger.info(
      { staff: staffOf(auth).username, imported: result.imported, unchanged: result.unchanged, rejected: result.rejected.length },
      'fieldwork households imported',
    );
    return result;
  },
);

route(
  fieldworkRouter,
  {
    method: 'get',
    path: '/fieldwork/households',
    summary: '抽样框住户（地址脱敏）与各社区户数',
    tags,
    access: OFFICE,
    query: householdsQuery,
    response: householdListSchema,
  },
  ({ query }) => listHouseholds(query),
);

route(
  fieldworkRouter,
  {
    method: 'post',
    path: '/surveys/:id/fieldwork/draws',
    summary: '按社区抽取样本户（随机起点系统抽样，样本量取问卷的社区目标，另抽等量备用户；记录随机种子，可复现）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    body: drawInputSchema,
    response: drawResultSchema,
    status: 201,
    errors: [404, 409],
  },
  ({ params, body, auth }) => drawSample(params.id, body, staffOf(auth).username),
);

route(
  fieldworkRouter,
  {
    method: 'get',
    path: '/surveys/:id/fieldwork/draws',
    summary: '各社区的抽样结果（地址脱敏）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    response: drawListSchema,
  },
  ({ params }) => listDraws(params.id),
);

route(
  fieldworkRouter,
  {
    method: 'post',
    path: '/surveys/:id/fieldwork/assignments',
    summary: '把抽中的住户分派给调查员（指定住户，或一个社区的全部样本户与备用户）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    body: assignInputSchema,
    response: assignResultSchema,
    errors: [404, 409],
  },
  ({ params, body }) => assignHouseholds(params.id, body),
);

route(
  fieldworkRouter,
  {
    method: 'get',
    path: '/fieldwork/enumerators',
    summary: '可分派的调查员（已启用的调查员账号）',
    tags,
    access: OFFICE,
    response: enumeratorListSchema,
  },
  () => listEnumerators(),
);

route(
  fieldworkRouter,
  {
    method: 'get',
    path: '/fieldwork/my-assignments',
    summary: '调查员的任务：问卷与分派的住户（完整地址）及其状态，供离线缓存',
    tags,
    access: ENUMERATOR,
    response: myAssignmentsSchema,
  },
  ({ auth }) => myAssignments(staffOf(auth).staffId),
);

route(
  fieldworkRouter,
  {
    method: 'post',
    path: '/fieldwork/visits',
    summary: '同步一次上门结果（须带 Idempotency-Key；完成的访问生成一份入户答卷）',
    tags,
    access: ENUMERATOR,
    body: visitInputSchema,
    response: visitResultSchema,
    status: 201,
    idempotent: true,
    errors: [404, 409],
    rateLimit: { name: 'fieldwork-visit', max: 120, windowMs: 60_000 },
  },
  ({ ctx, auth, body }) => {
    if (!ctx.get('idempotency-key'))
      throw new AppError('VALIDATION_FAILED', '同步访问结果须带 Idempotency-Key 请求头（每次访问一个，重试时不变）', [
        { path: 'Idempotency-Key', message: '缺少 Idempotency-Key' },
      ]);
    return recordVisit(staffOf(auth).staffId, body);
  },
);

route(
  fieldworkRouter,
  {
    method: 'get',
    path: '/surveys/:id/fieldwork/interviews',
    summary: '入户访问与质量标记（flagged=true 只看有标记的）',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    query: interviewsQuery,
    response: interviewListSchema,
  },
  ({ params, query }) => listInterviews(params.id, query),
);

route(
  fieldworkRouter,
  {
    method: 'post',
    path: '/fieldwork/interviews/:id/review',
    summary: '审核有质量标记的访问（接受后计入统计；驳回的不计入任何统计）',
    tags,
    access: OFFICE,
    params: interviewIdParams,
    body: reviewInputSchema,
    response: interviewSchema,
    errors: [404, 409],
  },
  ({ params, body, auth }) => reviewInterview(params.id, body, staffOf(auth).username),
);

route(
  fieldworkRouter,
  {
    method: 'get',
    path: '/surveys/:id/fieldwork/progress',
    summary: '入户调查进度：各社区抽中、上门、完成、拒访、无人在家、空户、替换，AAPOR RR1 应答率与误差范围',
    tags,
    access: OFFICE,
    params: surveyIdParams,
    response: progressSchema,
  },
  ({ params }) => fieldworkProgress(params.id),
);
