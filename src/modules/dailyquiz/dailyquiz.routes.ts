import Router from '@koa/router';
import { residentOf } from '../../core/auth';
import { notFound } from '../../core/errors';
import { route } from '../../core/http/route';
import { dailyQuestionViewSchema, setSubscriptionSchema, subscriptionViewSchema } from './dailyquiz.schema';
import { isSubscribed, subscribeResident, todaysQuestion, unsubscribeResident } from './dailyquiz.service';

export const dailyQuizRouter = new Router({ prefix: '/api/v1' });

route(dailyQuizRouter, { method: 'get', path: '/me/daily-quiz', summary: '是否订阅每日一题', tags: ['daily-quiz'], access: 'resident', response: subscriptionViewSchema }, async ({ auth }) => ({
  subscribed: await isSubscribed(residentOf(auth).residentId),
}));

route(
  dailyQuizRouter,
  { method: 'put', path: '/me/daily-quiz', summary: '订阅或退订每日一题', tags: ['daily-quiz'], access: 'resident', body: setSubscriptionSchema, response: subscriptionViewSchema },
  async ({ auth, body }) => {
    const id = residentOf(auth).residentId;
    await (body.subscribed ? subscribeResident(id) : unsubscribeResident(id));
    return { subscribed: body.subscribed };
  },
);

route(dailyQuizRouter, { method: 'get', path: '/daily-quiz/today', summary: '今日一题（不含答案）', tags: ['daily-quiz'], access: 'resident', response: dailyQuestionViewSchema }, async () => {
  const q = await todaysQuestion();
  if (!q) throw notFound('今日一题');
  return { day: q._id, quizId: q.quizId, type: q.type, text: q.text, options: q.options.map((o) => ({ key: o.key ?? '', text: o.text ?? '' })) };
});
