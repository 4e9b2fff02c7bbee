import type { TestApp } from '../harness/app';
import { staffSession } from '../factories';

let seq = 0;
export const uniqueSurveyId = (prefix = 'svy') => `${prefix}-${Date.now().toString(36)}-${++seq}`;

/**
 * A small survey exercising every kind of question: 知晓 (aware), 支持 (positive), 满意 on options
 * with scores and on a 1–5 scale, a multiple choice, a community question and optional text.
 */
export function surveyDefinition(over: Record<string, unknown> = {}) {
  return {
    id: uniqueSurveyId(),
    title: '测试问卷：文明城市创建',
    anonymous: false,
    points: 5,
    questions: [
      {
        id: 'aware',
        type: 'single',
        indicator: 'aw-campaign',
        text: '您是否知道我市正在创建全国文明城市？',
        options: [
          { key: 'A', text: '知道', aware: true },
          { key: 'B', text: '不知道' },
        ],
      },
      {
        id: 'support',
        type: 'single',
        indicator: 'sp-campaign',
        text: '您是否支持创建全国文明城市？',
        options: [
          { key: 'A', text: '非常支持', positive: true },
          { key: 'B', text: '支持', positive: true },
          { key: 'C', text: '不支持' },
        ],
      },
      {
        id: 'env',
        type: 'single',
        indicator: 'sa-environment',
        text: '您对社区环境卫生是否满意？',
        options: [
          { key: 'A', text: '满意', positive: true, score: 100 },
          { key: 'B', text: '一般', score: 50 },
          { key: 'C', text: '不满意', score: 0 },
        ],
      },
      {
        id: 'overall',
        type: 'scale',
        indicator: 'sa-overall',
        text: '总体满意程度（1–5）',
        scale: { min: 1, max: 5, minLabel: '非常不满意', maxLabel: '非常满意' },
      },
      {
        id: 'problems',
        type: 'multiple',
        text: '最突出的不文明现象（可多选）',
        options: [
          { key: 'A', text: '乱扔垃圾' },
          { key: 'B', text: '乱停乱放' },
          { key: 'C', text: '占道经营' },
        ],
      },
      { id: 'suggestion', type: 'text', required: false, maxLength: 50, text: '您的意见和建议' },
    ],
    ...over,
  };
}

/** A full valid answer to surveyDefinition(). */
export const validAnswers = (over: Record<string, unknown> = {}) => ({
  aware: 'A',
  support: 'B',
  env: 'A',
  overall: 4,
  problems: ['A', 'C'],
  suggestion: '多设垃圾桶',
  ...over,
});

/** Creates a survey through the office API and opens it; returns its id and the office token. */
export async function openSurvey(
  app: TestApp,
  over: Record<string, unknown> = {},
  office?: string,
): Promise<{ id: string; office: string }> {
  const token = office ?? (await staffSession(app, 'office')).token;
  const created = await app.post('/api/v1/surveys', surveyDefinition(over), { token });
  if (created.status !== 201) throw new Error(`create survey failed: ${JSON.stringify(created.body)}`);
  const opened = await app.post(`/api/v1/surveys/${created.body.id}/open`, {}, { token });
  if (opened.status !== 200) throw new Error(`open survey failed: ${JSON.stringify(opened.body)}`);
  return { id: created.body.id, office: token };
}

export const respond = (
  app: TestApp,
  surveyId: string,
  token: string,
  answers: Record<string, unknown> = validAnswers(),
  headers: Record<string, string> = {},
) => app.post(`/api/v1/surveys/${surveyId}/responses`, { answers }, { token, headers });
