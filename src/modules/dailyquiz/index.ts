import type { AppModule } from '../types';
import { dailyQuizJobs } from './dailyquiz.jobs';
import { dailyQuizRetention } from './dailyquiz.retention';
import { dailyQuizRouter } from './dailyquiz.routes';

/** 每日一题: subscriptions (bot keywords, H5 switch) and the daily push to residents and rooms. */
export const dailyQuizModule: AppModule = {
  name: 'dailyquiz',
  routers: [dailyQuizRouter],
  jobs: dailyQuizJobs,
  retention: dailyQuizRetention,
};

// What the bot (bots/) uses of this module.
export { answerDailyQuestion } from './dailyquiz.answer';
export { subscribeResident, subscribeRoom, todaysQuestion, unsubscribeResident, unsubscribeRoom } from './dailyquiz.service';
export type { DailyQuestionDoc } from './dailyquiz.model';
