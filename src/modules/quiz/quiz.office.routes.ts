import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { staffOf } from '../../core/auth';
import { AppError } from '../../core/errors';
import { readMultipart } from '../../core/http/multipart';
import { route } from '../../core/http/route';
import { logger } from '../../core/logger';
import { questionSchema } from '../questionnaire/questionnaire.schema';
import { questionAccuracy } from './quiz.accuracy';
import {
  addQuestion,
  createQuiz,
  freshQuiz,
  listOfficeQuestions,
  queryOfficeQuestions,
  retireQuiz,
  setQuestionStatus,
  summarizeForOffice,
  updateQuestion,
  updateQuiz,
} from './quiz.bank';
import { exportCsv, exportXlsx } from './quiz.export';
import { importQuestions } from './quiz.import';
import {
  accuracyQuery,
  accuracySchema,
  bankQuery,
  createQuizSchema,
  exportQuery,
  importQuery,
  importResultSchema,
  officeQuestionSchema,
  questionParams,
  quizParams,
  quizSummarySchema,
  updateQuestionSchema,
  updateQuizSchema,
} from './quiz.schema';

/** The office's side: quizzes, their banks (one by one, or a CSV/XLSX file), exports and knowledge gaps. */
export const quizOfficeRouter = new Router({ prefix: '/api/v1' });

const tags = ['quizzes (office)'];
const access = ['office', 'admin'] as const;
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** Reads the multipart `file` field (the body parser leaves multipart alone). */
async function uploadedFile(ctx: Context): Promise<Buffer> {
  const [file] = (await readMultipart(ctx, { field: 'file', maxFiles: 1, maxFileBytes: IMPORT_MAX_BYTES, noun: '个文件' })).files;
  if (!file)
    throw new AppError('VALIDATION_FAILED', '请上传题库文件（字段名 file）', [{ path: 'file', message: '请上传 CSV 或 XLSX 文件' }]);
  return file;
}

route(
  quizOfficeRouter,
  {
    method: 'post',
    path: '/quizzes',
    summary: '新建答题（含抽题规则）',
    tags,
    access,
    body: createQuizSchema,
    response: quizSummarySchema,
    status: 201,
    errors: [409],
  },
  ({ body }) => createQuiz(body),
);

route(
  quizOfficeRouter,
  {
    method: 'patch',
    path: '/quizzes/:id',
    summary: '修改答题（标题、抽题规则、积分、状态）',
    tags,
    access,
    params: quizParams,
    body: updateQuizSchema,
    response: quizSummarySchema,
  },
  async ({ ctx, params, body }) => {
    // the quiz as it was, for the 操作日志's "修改前" column
    const q = summarizeForOffice(await freshQuiz(params.id));
    ctx.state.auditBefore = {
      title: q.title,
      description: q.description,
      draw: q.draw,
      pointsPerCorrect: q.pointsPerCorrect,
      status: q.status,
    };
    return updateQuiz(params.id, body);
  },
);

route(
  quizOfficeRouter,
  { method: 'delete', path: '/quizzes/:id', summary: '下线答题（保留记录）', tags, access, params: quizParams, status: 204 },
  async ({ params }) => {
    await retireQuiz(params.id);
    return undefined;
  },
);

route(
  quizOfficeRouter,
  {
    method: 'get',
    path: '/quizzes/:id/questions',
    summary: '题库（含答案，含已下线题目；可搜索、筛选、排序、分页）',
    tags,
    access,
    params: quizParams,
    query: bankQuery,
    response: z.object({ items: z.array(officeQuestionSchema), total: z.number() }),
  },
  ({ params, query }) => queryOfficeQuestions(params.id, query),
);

route(
  quizOfficeRouter,
  {
    method: 'post',
    path: '/quizzes/:id/questions',
    summary: '新增题目',
    tags,
    access,
    params: quizParams,
    body: questionSchema,
    response: officeQuestionSchema,
    status: 201,
    errors: [404, 409],
  },
  ({ params, body }) => addQuestion(params.id, body),
);

/** The question as it was, for the 操作日志's "修改前" column. */
async function rememberBefore(ctx: Context, quizId: string, questionId: string): Promise<void> {
  const q = (await listOfficeQuestions(quizId)).find((x) => x.id === questionId);
  if (q)
    ctx.state.auditBefore = {
      text: q.text,
      type: q.type,
      options: q.options.map((o) => `${o.key}. ${o.text}`).join(' '),
      answer: q.answer.join(''),
      explanation: q.explanation,
      topic: q.topic,
      indicator: q.indicator,
      status: q.status,
    };
}

async function restore(quizId: string, questionId: string) {
  await setQuestionStatus(quizId, questionId, 'active');
  return (await listOfficeQuestions(quizId)).find((q) => q.id === questionId);
}

route(
  quizOfficeRouter,
  {
    method: 'patch',
    path: '/quizzes/:id/questions/:questionId',
    summary: '修改题目（已被抽过的题目改答案、选项、题型或指标时生成新版本，原题下线）',
    tags,
    access,
    params: questionParams,
    body: updateQuestionSchema.or(z.object({ status: z.literal('active') })),
    response: officeQuestionSchema,
    errors: [404, 409],
  },
  async ({ ctx, params, body }) => {
    await rememberBefore(ctx, params.id, params.questionId);
    return 'status' in body ? restore(params.id, params.questionId) : updateQuestion(params.id, params.questionId, body);
  },
);

route(
  quizOfficeRouter,
  {
    method: 'post',
    path: '/quizzes/:id/questions/:questionId/restore',
    summary: '恢复题目（重新参与抽题）',
    tags,
    access,
    params: questionParams,
    response: officeQuestionSchema,
    errors: [404],
  },
  ({ params }) => restore(params.id, params.questionId),
);

route(
  quizOfficeRouter,
  {
    method: 'delete',
    path: '/quizzes/:id/questions/:questionId',
    summary: '下线题目（保留作答记录，不再抽到）',
    tags,
    access,
    params: questionParams,
    status: 204,
    errors: [404],
  },
  async ({ params }) => {
    await setQuestionStatus(params.id, params.questionId, 'retired');
    return undefined;
  },
);

route(
  quizOfficeRouter,
  {
    method: 'post',
    path: '/quizzes/:id/questions\\:import',
    summary: '导入题库（CSV 或 XLSX，字段 file）：任一行有误则不导入，并逐行报告（行号、列、问题）',
    tags,
    access,
    params: quizParams,
    query: importQuery,
    consumes: 'multipart/form-data',
    response: importResultSchema,
  },
  async ({ ctx, auth, params, query }) => {
    const file = await uploadedFile(ctx);
    const result = await importQuestions(params.id, file, query.mode);
    logger.info({ staff: staffOf(auth).username, quizId: params.id, ...result }, 'quiz bank imported');
    return result;
  },
);

route(
  quizOfficeRouter,
  {
    method: 'get',
    path: '/quizzes/:id/questions\\:export',
    summary: '导出题库（CSV 或 XLSX，可再导入）',
    tags,
    access,
    params: quizParams,
    query: exportQuery,
    produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
  },
  async ({ ctx, auth, params, query }) => {
    const file =
      query.format === 'csv' ? await exportCsv(params.id, query.includeRetired) : await exportXlsx(params.id, query.includeRetired);
    logger.info({ staff: staffOf(auth).username, quizId: params.id, format: query.format }, 'quiz bank exported');
    ctx.attachment(file.filename);
    ctx.type = query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.body = file.body;
    return undefined;
  },
);

route(
  quizOfficeRouter,
  {
    method: 'get',
    path: '/quizzes/:id/accuracy',
    summary: '各题正确率（按社区，薄弱知识点在前）',
    tags,
    access,
    params: quizParams,
    query: accuracyQuery,
    response: accuracySchema,
  },
  ({ params, query }) => questionAccuracy(params.id, query),
);
