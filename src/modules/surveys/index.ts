import type { AppModule } from '../types';
import { syncSurveys } from './surveys.content';
import { surveyCounterSource } from './surveys.counters';
import { surveysRouter } from './surveys.routes';

// What the statistics (the sample monitor) and the bot read.

/** Awareness surveys (问卷调查): definitions from content/surveys and the office API, one response per resident. */
export const surveysModule: AppModule = {
  name: 'surveys',
  routers: [surveysRouter],
  syncContent: syncSurveys,
  counters: surveyCounterSource,
  participation: [{ kind: 'survey', name: '问卷调查', summary: { key: 'surveys', label: '问卷', order: 2 } }],
};

export { answerOne, answerText, submitResponse } from './surveys.respond';
export { type SurveyDoc, findSurvey, hasResponded, isChatSurvey, isOpen, listSurveys } from './surveys.service';
