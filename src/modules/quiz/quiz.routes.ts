import Router from '@koa/router';
import { z } from 'zod';
import { authorize, residentOf } from '../../core/auth';
import { route } from '../../core/http/route';
import { getQuizSummary, listQuizSummaries } from './quiz.bank';
import { readLeaderboard } from './quiz.leaderboard';
import {
  answerBodySchema,
  answerResultSchema,
  attemptParams,
  attemptSchema,
  leaderboardQuery,
  leaderboardSchema,
  newAttemptSchema,
  quizParams,
  quizSummarySchema,
  resultSchema,
} from './quiz.schema';
import { answerQuestion, finishAttempt, getAttempt, listQuizzesFor, startAttempt } from './quiz.service';

/** Residents' side of the quizzes. Answers are never sent before answering. */
export const quizRouter = new Router({ prefix: '/api/v1' });

const tags = ['quizzes'];
const attemptLimit = { name: 'quiz-attempt', max: 30, windowMs: 60_000 };
const answerLimit = { name: 'quiz-answer', max: 120, windowMs: 60_000 };

route(
  quizRouter,
  {
    method: 'get',
    path: '/quizzes',
    summary: '答题列表（居民另见自己未完成的答题）',
    tags,
    access: 'public',
    query: z.object({ includeRetired: z.enum(['true', 'false']).optional() }),
    response: z.object({ items: z.array(quizSummarySchema) }),
    // includeRetired=true is for the office: 401 without a session, 403 for others
    errors: [401, 403],
  },
  async ({ auth, query }) => {
    if (query.includeRetired === 'true') {
      authorize(auth, ['office', 'admin']);
      return { items: await listQuizSummaries({ includeRetired: true }) };
    }
    return { items: await listQuizzesFor(auth?.kind === 'resident' ? auth.residentId : undefined) };
  },
);

route(
  quizRouter,
  { method: 'get', path: '/quizzes/:id', summary: '答题详情', tags, access: 'public', params: quizParams, response: quizSummarySchema },
  ({ params }) => getQuizSummary(params.id),
);

route(
  quizRouter,
  {
    method: 'post',
    path: '/quizzes/:id/attempts',
    summary: '开始答题：随机抽题（不含答案）',
    tags,
    access: 'resident',
    params: quizParams,
    body: z.object({}),
    response: newAttemptSchema,
    status: 201,
    idempotent: true,
    rateLimit: attemptLimit,
  },
  ({ auth, params }) => startAttempt(residentOf(auth).residentId, params.id),
);

route(
  quizRouter,
  {
    method: 'get',
    path: '/quiz-attempts/:attemptId',
    summary: '答题进度（已答题目的反馈，用于继续答题）',
    tags,
    access: 'resident',
    params: attemptParams,
    response: attemptSchema,
  },
  ({ auth, params }) => getAttempt(residentOf(auth).residentId, params.attemptId),
);

route(
  quizRouter,
  {
    method: 'post',
    path: '/quiz-attempts/:attemptId/answers',
    summary: '回答一道题：返回对错、正确答案和解析；同一题再次回答为 409',
    tags,
    access: 'resident',
    params: attemptParams,
    body: answerBodySchema,
    response: answerResultSchema,
    idempotent: true,
    rateLimit: answerLimit,
  },
  ({ auth, params, body }) => answerQuestion(residentOf(auth).residentId, params.attemptId, body.questionId, body.choice),
);

route(
  quizRouter,
  {
    method: 'post',
    path: '/quiz-attempts/:attemptId/finish',
    summary: '交卷：得分与积分（每日计分次数有上限）',
    tags,
    access: 'resident',
    params: attemptParams,
    body: z.object({}),
    response: resultSchema,
    idempotent: true,
  },
  ({ auth, params }) => finishAttempt(residentOf(auth).residentId, params.attemptId),
);

route(
  quizRouter,
  {
    method: 'get',
    path: '/quizzes/:id/leaderboard',
    summary: '排行榜：本周 / 本月 / 总榜，全市或某区',
    tags,
    access: 'public',
    params: quizParams,
    query: leaderboardQuery,
    response: leaderboardSchema,
  },
  async ({ auth, params, query }) => {
    await getQuizSummary(params.id, { includeRetired: true });
    return readLeaderboard(params.id, { ...query, residentId: auth?.kind === 'resident' ? auth.residentId : undefined });
  },
);
