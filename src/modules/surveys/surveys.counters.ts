import { indicatorValueOf } from '../questionnaire/questionnaire.service';
import type { Question } from '../questionnaire/questionnaire.schema';
import { counterWriter, readCounterNow, regionKey, type CounterSource } from '../counters';
import { Survey, SurveyResponse, type ResponseDoc, type SurveyDoc } from './surveys.model';

/**
 * Per-survey result counters, one document per survey in stat_counters (`svy:<surveyId>`):
 *   c.n                  responses
 *   c.r.<community|->    responses by the community they count for (sample progress)
 *   c.q.<qid>.n          answers to the question
 *   c.q.<qid>.o.<key>    choices of an option
 *   c.q.<qid>.v.<value>  scale values and community answers; c.q.<qid>.s sum of scale values
 *   c.q.<qid>.k / .sc / .sn   indicator: positive answers, score sum, scored answers
 * Written by the serialized counter writer, rebuilt from survey_responses by `npm run stats:rebuild`.
 */
export const surveyCounterId = (surveyId: string) => `svy:${surveyId}`;

/** Field names may not contain dots; question ids may. `~` is not allowed in a question id. */
export const fieldOf = (questionId: string) => questionId.replace(/\./g, '~');

export function responseEffects(
  survey: Pick<SurveyDoc, 'questions'>,
  r: Pick<ResponseDoc, 'surveyId' | 'regionCode' | 'answers'>,
): Array<[string, string, number]> {
  const id = surveyCounterId(r.surveyId);
  const out: Array<[string, string, number]> = [
    [id, 'n', 1],
    [id, `r.${regionKey(r.regionCode)}`, 1],
  ];
  const byId = new Map(survey.questions.map((q) => [q.id, q]));
  for (const { q: qid, v } of r.answers) {
    const q = byId.get(qid);
    if (!q) continue;
    const f = `q.${fieldOf(qid)}`;
    out.push([id, `${f}.n`, 1]);
    if (Array.isArray(v)) for (const k of v) out.push([id, `${f}.o.${k}`, 1]);
    else if (typeof v === 'number') out.push([id, `${f}.v.${v}`, 1], [id, `${f}.s`, v]);
    else if (q.demographic === 'community') out.push([id, `${f}.v.${v}`, 1]);
    const iv = indicatorValueOf(q as Question, v, 'survey');
    if (iv?.positive) out.push([id, `${f}.k`, 1]);
    if (iv && iv.score !== null) out.push([id, `${f}.sc`, iv.score], [id, `${f}.sn`, 1]);
  }
  return out;
}

export function countResponse(survey: SurveyDoc, r: ResponseDoc): void {
  for (const [id, f, d] of responseEffects(survey, r)) counterWriter.inc(id, f, d);
}

export type CounterNode = { [k: string]: number | CounterNode | undefined };

/**
 * A survey's counters as written plus this process's unwritten deltas (a reader sees its own
 * writes). Deltas being flushed are in neither place, so the read waits for the flush in flight
 * (office reads only; another instance's writes show within its flush interval).
 */
export async function readSurveyCounters(surveyId: string): Promise<CounterNode> {
  await counterWriter.flush().catch(() => undefined); // a failed flush requeues its deltas: pendingFor sees them
  return (await readCounterNow(surveyCounterId(surveyId))) as CounterNode;
}

export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const nodeOf = (v: unknown): CounterNode => (v && typeof v === 'object' ? (v as CounterNode) : {});

export async function responseCount(surveyId: string): Promise<number> {
  return num((await readSurveyCounters(surveyId)).n);
}

/** For the rebuild: these counters from the responses (the definitions give the marks). */
export const surveyCounterSource: CounterSource = async (emit) => {
  const surveys = new Map((await Survey.find().lean<SurveyDoc[]>()).map((s) => [s._id, s]));
  for (const r of await SurveyResponse.find().lean<ResponseDoc[]>()) {
    const s = surveys.get(r.surveyId);
    if (s && !r.hold) for (const [id, f, d] of responseEffects(s, r)) emit(id, f, d);
  }
};
