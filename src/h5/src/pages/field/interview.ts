import type { PublicQuestion } from '../../../../modules/questionnaire/questionnaire.schema';

/** The interview's questions and answers: the respondent's demographics first, then the survey, one at a time. */
export type { PublicQuestion };
export type Answer = string | number | string[];

/** The community is the household's (the server fills it in): never asked. */
export const respondentQuestions = (qs: PublicQuestion[]) => qs.filter((q) => q.demographic && q.demographic !== 'community');
export const surveyQuestions = (qs: PublicQuestion[]) => qs.filter((q) => !q.demographic);

export const isRequired = (q: PublicQuestion) => q.required !== false;
export const isBlank = (v: Answer | undefined) =>
  v === undefined || v === '' || (Array.isArray(v) && !v.length) || (typeof v === 'string' && !v.trim());

/** What stops the enumerator moving on from this question, or '' when it may. */
export function problemOf(q: PublicQuestion, v: Answer | undefined): string {
  if (isBlank(v)) return isRequired(q) ? (q.options?.length || q.type === 'scale' ? '请选择一项后再继续' : '此题必答，请填写后再继续') : '';
  if (typeof v === 'string' && q.maxLength && v.trim().length > q.maxLength) return `最多 ${q.maxLength} 个字`;
  return '';
}

/** Answers as the API takes them: blank ones left out, the demographics keyed by what they are. */
export function splitAnswers(
  qs: PublicQuestion[],
  form: Record<string, Answer>,
): { respondent: Record<string, string | number>; answers: Record<string, Answer> } {
  const respondent: Record<string, string | number> = {};
  const answers: Record<string, Answer> = {};
  for (const q of qs) {
    const v = form[q.id];
    if (isBlank(v)) continue;
    if (q.demographic && !Array.isArray(v)) respondent[q.demographic] = typeof v === 'string' ? v.trim() : v!;
    else answers[q.id] = typeof v === 'string' ? v.trim() : v!;
  }
  return { respondent, answers };
}
