import Router from '@koa/router';
import { residentOf } from '../../core/auth';
import { notFound } from '../../core/errors';
import { route } from '../../core/http/route';
import { answerDailyQuestion, todaysAnswer } from './dailyquiz.answer';
import {
  dailyAnswerInputSchema,
  dailyAnswerViewSchema,
  dailyQuestionViewSchema,
  setSubscriptionSchema,
  subscriptionViewSchema,
} from './dailyquiz.schema';
import { isSubscribed, subscribeResident, todaysQuestion, unsubscribeResident } from './dailyquiz.service';

export const dailyQuizRouter = new Router({ prefix: '/api/v1' });

route(
  dailyQuizRouter,
  {
    method: 'get',
    path: '/me/daily-quiz',
    summary: '是否订阅每日一题',
    tags: ['daily-quiz'],
    access: 'resident',
    response: subscriptionViewSchema,
  },
  async ({ auth }) => ({
    subscribed: await isSubscribed(residentOf(auth).residentId),
  }),
);

route(
  dailyQuizRouter,
  {
    method: 'put',
    path: '/me/daily-quiz',
    summary: '订阅或退订每日一题',
    tags: ['daily-quiz'],
    access: 'resident',
    body: setSubscriptionSchema,
    response: subscriptionViewSchema,
  },
  async ({ auth, body }) => {
    const id = residentOf(auth).residentId;
    await (body.subscribed ? subscribeResident(id) : unsubscribeResident(id));
    return { subscribed: body.subscribed };
  },
);

route(
  dailyQuizRouter,
  {
    method: 'get',
    path: '/daily-quiz/today',
    summary: '今日一题（未作答时不含答案）',
    tags: ['daily-quiz'],
    access: 'resident',
    response: dailyQuestionViewSchema,
  },
  async ({ auth }) => {
    const q = await todaysQuestion();
    if (!q) throw notFound('今日一题');
    const myAnswer = await todaysAnswer(residentOf(auth).residentId);
    return {
      day: q._id,
      quizId: q.quizId,
      type: q.type,
      text: q.text,
      options: q.options.map((o) => ({ key: o.key ?? '', text: o.text ?? '' })),
      myAnswer,
    };
  },
);

route(
  dailyQuizRouter,
  {
    method: 'post',
    path: '/daily-quiz/answer',
    summary: '回答今日一题：每天第一次作答计分（聊天与网页通用），再次作答返回第一次的结果',
    tags: ['daily-quiz'],
    access: 'resident',
    body: dailyAnswerInputSchema,
    response: dailyAnswerViewSchema,
  },
  async ({ auth, body }) => answerDailyQuestion(residentOf(auth).residentId, body.choice),
);
