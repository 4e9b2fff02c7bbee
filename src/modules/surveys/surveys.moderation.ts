import { startOfDay } from '../../core/time';
import { hiddenInScope, openCase, registerModerationKind, screenText } from '../moderation';
import type { ResponseDoc, SurveyDoc } from './surveys.model';

/**
 * 内容安全 for free-text answers, which staff read in the export: a flagged answer is stored (the
 * response counts as usual) but shown masked until the office approves it; a rejected one stays
 * masked. An anonymous survey's item names no resident and carries only the day, so nothing joins it to a person.
 */
registerModerationKind('survey-answer', {
  describe: () => '您在问卷中填写的文字内容',
  release: async () => undefined, // the export reads the item's state
  hold: async () => undefined,
  reject: async () => false,
  afterReject: '该内容不会展示，您的其他答案照常有效。',
});

export async function screenTextAnswers(survey: SurveyDoc, response: ResponseDoc, residentId: string): Promise<void> {
  const textQuestions = new Set(survey.questions.filter((q) => q.type === 'text').map((q) => q.id));
  for (const a of response.answers) {
    if (!textQuestions.has(a.q) || typeof a.v !== 'string') continue;
    const verdict = await screenText(a.v, { kind: 'survey-answer', residentId });
    if (verdict)
      await openCase({
        kind: 'survey-answer',
        ref: `${response._id}:${a.q}`,
        scope: `survey:${survey._id}`,
        residentId: survey.anonymous ? null : residentId,
        text: a.v,
        verdict,
        ...(survey.anonymous ? { at: startOfDay(response.day) } : {}),
      });
  }
}

/** What the export shows instead of each hidden answer, by `<response id>:<question id>`. */
export const maskedAnswers = (surveyId: string) => hiddenInScope('survey-answer', `survey:${surveyId}`);
