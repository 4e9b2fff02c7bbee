import { optionsOf } from '../questionnaire/questionnaire.service';
import type { Question } from '../questionnaire/questionnaire.schema';
import { findRegion, regionLabel } from '../regions/regions.service';
import { NO_REGION } from '../counters';
import { fieldOf, nodeOf, num, readSurveyCounters, type CounterNode } from './surveys.counters';
import type { QuestionResult, SampleProgress, SurveyResults } from './surveys.schema';
import { getSurvey, type SurveyDoc } from './surveys.service';

const pct = (count: number, of: number) => (of > 0 ? Math.round((count / of) * 1000) / 10 : 0);
const round1 = (x: number) => Math.round(x * 10) / 10;

function valueRows(q: Question, c: CounterNode, answered: number): QuestionResult['values'] {
  const v = nodeOf(c.v);
  if (q.type === 'scale' && q.scale) {
    const rows = [];
    for (let x = q.scale.min; x <= q.scale.max; x++) {
      const label =
        x === q.scale.min && q.scale.minLabel
          ? `${x}（${q.scale.minLabel}）`
          : x === q.scale.max && q.scale.maxLabel
            ? `${x}（${q.scale.maxLabel}）`
            : String(x);
      rows.push({ value: String(x), label, count: num(v[String(x)]), percent: pct(num(v[String(x)]), answered) });
    }
    return rows;
  }
  return Object.entries(v)
    .map(([value, n]) => ({ value, label: findRegion(value) ? regionLabel(value) : value, count: num(n), percent: pct(num(n), answered) }))
    .sort((a, b) => b.count - a.count);
}

/** One question's counts and percentages (of those who answered it; multiple choice adds up past 100). */
export function questionResult(q: Question, c: CounterNode): QuestionResult {
  const answered = num(c.n);
  const o = nodeOf(c.o);
  const options = optionsOf(q).map((opt) => ({
    key: opt.key,
    text: opt.text,
    count: num(o[opt.key]),
    percent: pct(num(o[opt.key]), answered),
  }));
  const numericScale = q.type === 'scale' && Boolean(q.scale) && !q.options?.length;
  const scored = num(c.sn);
  return {
    id: q.id,
    type: q.type,
    text: q.text,
    indicator: q.indicator ?? null,
    demographic: q.demographic ?? null,
    answered,
    ...(options.length ? { options } : {}),
    ...(numericScale || q.demographic === 'community' ? { values: valueRows(q, c, answered) } : {}),
    ...(numericScale ? { mean: answered ? round1(num(c.s) / answered) : null } : {}),
    positive: q.indicator ? { count: num(c.k), percent: pct(num(c.k), answered) } : null,
    meanScore: q.indicator && scored ? round1(num(c.sc) / scored) : null,
  };
}

/** Per-question results from the survey's counters: O(questions), never O(responses). */
export async function surveyResults(id: string): Promise<SurveyResults> {
  const s = await getSurvey(id, { drafts: true });
  const c = await readSurveyCounters(id);
  const qs = nodeOf(c.q);
  return {
    id: s._id,
    title: s.title,
    anonymous: s.anonymous,
    responses: num(c.n),
    questions: s.questions.map((q) => questionResult(q, nodeOf(qs[fieldOf(q.id)]))),
  };
}

/** Sample progress: target and achieved responses per community (communities with a target or a response). */
export async function sampleProgress(id: string): Promise<SampleProgress> {
  const s: SurveyDoc = await getSurvey(id, { drafts: true });
  const c = await readSurveyCounters(id);
  const byRegion = nodeOf(c.r);
  const targets = s.targets ?? {};
  const codes = new Set([...Object.keys(targets), ...Object.keys(byRegion).filter((k) => k !== NO_REGION && num(byRegion[k]) > 0)]);
  const items = [...codes]
    .map((code) => {
      const target = targets[code] ?? 0;
      const achieved = num(byRegion[code]);
      return {
        code,
        name: regionLabel(code),
        target,
        achieved,
        percent: target ? pct(achieved, target) : null,
        met: target > 0 && achieved >= target,
      };
    })
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  const target = items.reduce((t, i) => t + i.target, 0);
  const achievedOfTarget = items.reduce((t, i) => t + Math.min(i.achieved, i.target), 0);
  return { responses: num(c.n), target, achievedOfTarget, noCommunity: num(byRegion[NO_REGION]), items };
}
