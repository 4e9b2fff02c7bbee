import type { AppModule } from '../types';
import { loadBanks } from './quiz.bank';
import { syncQuizContent } from './quiz.content';
import { quizOfficeRouter } from './quiz.office.routes';
import { quizRouter } from './quiz.routes';
import { quizAccuracyCounterSource } from './quiz.accuracy';

// What the statistics read: the quizzes and their per-question accuracy counters (knowledge gaps).
export { accuracyDocIds, tallyAccuracy } from './quiz.accuracy';
export { freshQuiz, listQuizSummaries } from './quiz.bank';
export { quizQuestionTypes } from './quiz.schema';

/** Knowledge quizzes (双创知识问答): banks, attempts, points, leaderboards, knowledge gaps. */
export const quizModule: AppModule = {
  name: 'quiz',
  routers: [quizRouter, quizOfficeRouter],
  init: loadBanks,
  syncContent: syncQuizContent,
  counters: quizAccuracyCounterSource,
  participation: [{ kind: 'quiz', name: '知识问答', summary: { key: 'quizzes', label: '答题', order: 1 } }],
};

// What the bot (bots/) uses of this module.
export { readLeaderboard } from './quiz.leaderboard';
export { type AttemptQuestion, type AttemptView, type QuizSummary } from './quiz.schema';
export {
  answerQuestion,
  findOpenAttempt,
  finishAttempt,
  getAttempt,
  loadAttempt,
  presentAttemptQuestion,
  startAttempt,
} from './quiz.service';
