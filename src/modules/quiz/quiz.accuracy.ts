import { AppError } from '../../core/errors';
import { dayKey, now } from '../../core/time';
import { communitiesUnder, findRegion, regionLabel } from '../regions/regions.service';
import { counterWriter, dayDiff, NO_REGION, num, readCounters, regionKey, sub, type CounterSource, type CounterValues } from '../counters';
import { freshQuiz } from './quiz.bank';
import { QuizAnswer, type QuizAnswerDoc } from './quiz.model';
import type { Accuracy } from './quiz.schema';

/**
 * Per-question accuracy by community (the knowledge gaps), as counters of the counters kernel's writer,
 * at two grains so any days [from, to] read little:
 *   quizq:<quiz>:<community>:<YYYY>     c[<questionId>][<MM>] = {n, k}  (answers, correct) per month
 *   quizd:<quiz>:<community>:<YYYY-MM>  c[<questionId>][<DD>] = {n, k}  per day
 * The months wholly inside the range come from the small year documents; only the (at most two)
 * months at its edges are read by day. `npm run stats:rebuild` recomputes both from quiz_answers
 * (declared in the quiz manifest).
 */
export const accuracyCounterId = (quizId: string, region: string, year: string) => `quizq:${quizId}:${region}:${year}`;
export const accuracyDayCounterId = (quizId: string, region: string, month: string) => `quizd:${quizId}:${region}:${month}`;

/** The months (YYYY-MM) the days from..to touch. */
export function monthsOfDays(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  for (let key = from.slice(0, 7); key <= to.slice(0, 7); key = `${y}-${String(m).padStart(2, '0')}`) {
    out.push(key);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

const lastDayOf = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

/** The months of from..to split into those wholly inside (read per month) and the partial ones (read per day). */
function monthsCovering(from: string, to: string): { whole: string[]; partial: string[] } {
  const months = monthsOfDays(from, to);
  const whole = months.filter((m) => `${m}-01` >= from && lastDayOf(m) <= to);
  return { whole, partial: months.filter((m) => !whole.includes(m)) };
}

/** The counter documents that hold the accuracy of one quiz and community over from..to. */
export function accuracyDocIds(quizId: string, region: string, from: string, to: string): string[] {
  const { whole, partial } = monthsCovering(from, to);
  return [
    ...new Set(whole.map((m) => accuracyCounterId(quizId, region, m.slice(0, 4)))),
    ...partial.map((m) => accuracyDayCounterId(quizId, region, m)),
  ];
}

/** Adds (question, answers, correct) of one quiz and community over exactly the days from..to, from the documents of accuracyDocIds. */
export function tallyAccuracy(
  docs: Map<string, CounterValues>,
  quizId: string,
  region: string,
  from: string,
  to: string,
  add: (questionId: string, n: number, k: number) => void,
): void {
  const { whole, partial } = monthsCovering(from, to);
  const cells = (doc: CounterValues | undefined, keep: (key: string) => boolean) => {
    for (const [questionId, byKey] of Object.entries(sub(doc))) {
      for (const [key, v] of Object.entries(sub(byKey))) {
        const cell = sub(v);
        if (keep(key) && (num(cell.n) || num(cell.k))) add(questionId, num(cell.n), num(cell.k));
      }
    }
  };
  for (const year of new Set(whole.map((m) => m.slice(0, 4))))
    cells(docs.get(accuracyCounterId(quizId, region, year)), (mm) => whole.includes(`${year}-${mm}`));
  for (const m of partial) cells(docs.get(accuracyDayCounterId(quizId, region, m)), (dd) => `${m}-${dd}` >= from && `${m}-${dd}` <= to);
}

function effects(a: {
  quizId: string;
  questionId: string;
  regionCode: string | null;
  day: string;
  correct: boolean;
}): Array<[string, string, number]> {
  const region = regionKey(a.regionCode);
  const out: Array<[string, string, number]> = [];
  for (const [id, field] of [
    [accuracyCounterId(a.quizId, region, a.day.slice(0, 4)), `${a.questionId}.${a.day.slice(5, 7)}`],
    [accuracyDayCounterId(a.quizId, region, a.day.slice(0, 7)), `${a.questionId}.${a.day.slice(8, 10)}`],
  ] as const) {
    out.push([id, `${field}.n`, 1]);
    if (a.correct) out.push([id, `${field}.k`, 1]);
  }
  return out;
}

export function countAnswer(a: Pick<QuizAnswerDoc, 'quizId' | 'questionId' | 'regionCode' | 'day' | 'correct'>): void {
  for (const [id, f, d] of effects(a)) counterWriter.inc(id, f, d);
}

/** For the rebuild: the accuracy counters from quiz_answers. */
export const quizAccuracyCounterSource: CounterSource = async (emit) => {
  const answers = await QuizAnswer.find().lean<QuizAnswerDoc[]>();
  for (const a of answers) for (const [id, f, d] of effects(a)) emit(id, f, d);
};

const regionName = (code?: string) => (!code ? '全市' : findRegion(code)?.level === 'city' ? findRegion(code)!.name : regionLabel(code));

const rate = (n: number, correct: number) => ({
  n,
  correct,
  rate: n ? Math.round((correct / n) * 10000) / 10000 : null,
  lowSample: n < 30,
});

const MAX_DAYS = 5 * 366;

export async function questionAccuracy(quizId: string, opts: { region?: string; from?: string; to?: string }): Promise<Accuracy> {
  const { quiz, questions } = await freshQuiz(quizId);
  const today = dayKey(now());
  const to = opts.to ?? today;
  const from = opts.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to)
    throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期', [{ path: 'from', message: '开始日期不能晚于结束日期' }]);
  if (dayDiff(from, to) >= MAX_DAYS)
    throw new AppError('VALIDATION_FAILED', '时间范围最长 5 年', [{ path: 'from', message: '时间范围最长 5 年' }]);
  if (opts.region && !findRegion(opts.region))
    throw new AppError('VALIDATION_FAILED', `区域 ${opts.region} 不存在`, [{ path: 'region', message: '区域不存在' }]);
  const regions = [...communitiesUnder(opts.region).map((c) => c.code), ...(opts.region ? [] : [NO_REGION])];

  const docs = await readCounters(regions.flatMap((code) => accuracyDocIds(quiz._id, code, from, to)));
  const perRegion = regions.map((code) => {
    const tallies = new Map<string, { n: number; k: number }>();
    tallyAccuracy(docs, quiz._id, code, from, to, (qid, n, k) => {
      const t = tallies.get(qid) ?? { n: 0, k: 0 };
      tallies.set(qid, { n: t.n + n, k: t.k + k });
    });
    return [code, tallies] as const;
  });

  const textOf = new Map(questions.map((d) => [d.q.id, d.q]));
  const total = new Map<string, { n: number; k: number }>();
  for (const [, tallies] of perRegion)
    for (const [qid, t] of tallies) total.set(qid, { n: (total.get(qid)?.n ?? 0) + t.n, k: (total.get(qid)?.k ?? 0) + t.k });
  // weakest first; unanswered questions last; ties in a stable order
  const byRate = (a: { id: string; rate: number | null; n: number }, b: { id: string; rate: number | null; n: number }) =>
    (a.rate ?? 2) - (b.rate ?? 2) || b.n - a.n || (a.id < b.id ? -1 : 1);
  const questionRows = questions
    .filter((d) => d.status === 'active' || total.has(d.q.id))
    .map((d) => ({
      id: d.q.id,
      text: d.q.text,
      topic: d.q.topic ?? null,
      indicator: d.q.indicator ?? null,
      ...rate(total.get(d.q.id)?.n ?? 0, total.get(d.q.id)?.k ?? 0),
    }))
    .sort(byRate);
  const sum = (m: Map<string, { n: number; k: number }>) =>
    [...m.values()].reduce((s, t) => ({ n: s.n + t.n, k: s.k + t.k }), { n: 0, k: 0 });
  const byRegion = perRegion
    .map(([code, tallies]) => {
      const s = sum(tallies);
      const weakest = [...tallies]
        .map(([id, t]) => ({ id, text: textOf.get(id)?.text ?? id, ...rate(t.n, t.k) }))
        .sort(byRate)
        .slice(0, 3);
      return { code, name: code === NO_REGION ? '未选择社区' : regionLabel(code), ...rate(s.n, s.k), weakest };
    })
    .filter((r) => r.n > 0 || r.code !== NO_REGION);
  const all = sum(total);
  return {
    quizId: quiz._id,
    region: { code: opts.region ?? null, name: regionName(opts.region) },
    days: { from, to },
    overall: rate(all.n, all.k),
    questions: questionRows,
    byRegion,
  };
}
