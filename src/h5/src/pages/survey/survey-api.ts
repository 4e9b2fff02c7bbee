import { api, ApiError, newIdempotencyKey } from '../../api';
import type { PublicQuestion } from '../../../../modules/questionnaire/questionnaire.schema';
import type { ResponseResult, SurveyListItem, SurveyView } from '../../../../modules/surveys/surveys.schema';

/** The survey pages' calls to the API and the form's own checks (types from the service's schemas). */
export type { PublicQuestion, ResponseResult, SurveyListItem, SurveyView };

/** What the form holds per question: option keys, a scale number (0 = none yet), text or a community code. */
export type FormValue = string[] | string | number;

export const listSurveys = async () => (await api.get<{ items: SurveyListItem[] }>('/api/v1/surveys')).items;
export const getSurvey = (id: string) => api.get<SurveyView>(`/api/v1/surveys/${encodeURIComponent(id)}`);

export function submitResponse(
  id: string,
  answers: Record<string, FormValue>,
  idempotencyKey = newIdempotencyKey(),
): Promise<ResponseResult> {
  return api.post<ResponseResult>(
    `/api/v1/surveys/${encodeURIComponent(id)}/responses`,
    { answers: toAnswers(answers) },
    { idempotencyKey, silent: true },
  );
}

const isMulti = (q: PublicQuestion) => q.type === 'multiple';
export const hasOptions = (q: PublicQuestion) => Boolean(q.options?.length);

/** The empty form: a resident's own community is filled in for the community question. */
export function emptyForm(questions: PublicQuestion[], regionCode?: string | null): Record<string, FormValue> {
  return Object.fromEntries(
    questions.map((q) => [
      q.id,
      isMulti(q) ? [] : q.type === 'scale' && !hasOptions(q) ? 0 : q.demographic === 'community' ? (regionCode ?? '') : '',
    ]),
  );
}

const blank = (v: FormValue | undefined) =>
  v === undefined || v === '' || v === 0 || (Array.isArray(v) && v.length === 0) || (typeof v === 'string' && !v.trim());

/** Blank answers are left out; choice answers go as option keys (a single choice as one key). */
function toAnswers(form: Record<string, FormValue>): Record<string, string | number | string[]> {
  return Object.fromEntries(
    Object.entries(form)
      .filter(([, v]) => !blank(v))
      .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
  );
}

/** The form's checks before sending (the service checks again): question id → what to fix. */
export function checkForm(questions: PublicQuestion[], form: Record<string, FormValue>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const q of questions) {
    const v = form[q.id];
    if (blank(v)) {
      if (q.required)
        problems[q.id] =
          q.demographic === 'community'
            ? '请选择所在社区'
            : hasOptions(q) || q.type === 'scale'
              ? isMulti(q)
                ? '请至少选择一项'
                : '请选择一项'
              : '此题为必答题，请填写';
      continue;
    }
    if (typeof v === 'string' && q.maxLength && v.trim().length > q.maxLength) problems[q.id] = `最多 ${q.maxLength} 个字`;
  }
  return problems;
}

/** The service's 400 names each question (`details[].questionId`); anything else stays a toast. */
export function problemsFromError(err: unknown): Record<string, string> | undefined {
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED' || !Array.isArray(err.details)) return undefined;
  const out: Record<string, string> = {};
  for (const d of err.details as Array<{ questionId?: string; message?: string }>)
    if (d.questionId && d.message) out[d.questionId] = d.message;
  return Object.keys(out).length ? out : undefined;
}

export const isAlreadyResponded = (err: unknown) => err instanceof ApiError && err.code === 'ALREADY_RESPONDED';

export function statusOf(s: SurveyListItem): { text: string; type: 'success' | 'primary' | 'default' } {
  if (s.responded) return { text: '已填写', type: 'success' };
  return s.open ? { text: '进行中', type: 'primary' } : { text: '已结束', type: 'default' };
}

/** "约 5 分钟" from the question count (about four questions a minute). */
export const minutesText = (count: number) => `约 ${Math.max(1, Math.round(count / 4))} 分钟`;
