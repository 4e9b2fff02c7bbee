import { pool } from '../client';
import { json, type Target } from '../target';

export const SURVEY_ID = 'pulse-weekly';

interface SurveyQuestion {
  id: string;
  type: 'single' | 'multiple' | 'scale' | 'text';
  required: boolean;
  options?: Array<{ key: string }>;
  scale?: { min: number; max: number };
}

/** A complete, valid answer set built from the published definition. */
function answersFor(questions: SurveyQuestion[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of questions) {
    if (q.type === 'text') out[q.id] = '路口乱停车';
    else if (q.type === 'scale' && !q.options?.length) out[q.id] = q.scale?.max ?? 5;
    else out[q.id] = [q.options![0]!.key];
  }
  return out;
}

/** A survey response: one per resident (a second is 409), so every request comes from a new resident. */
export const surveyResponseTarget: Target = {
  id: 'survey-response',
  label: 'survey response (POST /api/v1/surveys/:id/responses)',
  server: 'service',
  okStatus: 201,
  baseline: 'koa-insert',
  minRatio: 0.6,
  pooled: true,
  requires: ['GET /api/v1/surveys/{id}', 'POST /api/v1/surveys/{id}/responses'],
  prepare: async ({ client }, count) => {
    const survey = await client.expect<{ questions: SurveyQuestion[] }>(200, 'GET', `/api/v1/surveys/${SURVEY_ID}`);
    const body = { answers: answersFor(survey.questions) };
    // Residents without a community: the write path is the same, and setup stays at one request each.
    const tokens = await pool(
      count,
      20,
      async () => (await client.expect<{ token: string }>(201, 'POST', '/api/v1/sessions/anonymous', {})).token,
    );
    let i = 0;
    return () => ({ method: 'POST', path: `/api/v1/surveys/${SURVEY_ID}/responses`, ...json(body, tokens[i++ % tokens.length]) });
  },
};
