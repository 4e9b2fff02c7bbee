import type { AppModule } from '../types';
import { syncSurveys } from './surveys.content';
import { surveyCounterSource } from './surveys.counters';
import { surveysRouter } from './surveys.routes';

// What the statistics read: the surveys and their targets (the sample monitor).
export { listSurveys, type SurveyDoc } from './surveys.service';

/** Awareness surveys (问卷调查): definitions from content/surveys and the office API, one response per resident. */
export const surveysModule: AppModule = { name: 'surveys', routers: [surveysRouter], syncContent: syncSurveys, counters: surveyCounterSource };
