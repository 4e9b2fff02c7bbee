import type { AppModule } from '../types';
import { syncSurveys } from './surveys.content';
import './surveys.counters'; // registers the survey counters with the statistics rebuild
import { surveysRouter } from './surveys.routes';

/** Awareness surveys (问卷调查): definitions from content/surveys and the office API, one response per resident. */
export const surveysModule: AppModule = {
  name: 'surveys',
  routers: [surveysRouter],
  syncContent: syncSurveys,
  participation: [{ kind: 'survey', name: '问卷调查', summary: { key: 'surveys', label: '问卷', order: 2 } }],
};

// What the bot (bots/) uses of this module.
export { answerOne, answerText, submitResponse } from './surveys.respond';
export { type SurveyDoc, findSurvey, hasResponded, isChatSurvey, isOpen, listSurveys } from './surveys.service';
