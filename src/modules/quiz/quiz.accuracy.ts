import { AppError } from '../../core/errors';
import { dayKey, now } from '../../core/time';
import { dayDiff } from '../stats/participation-days';
import { communitiesUnder, findRegion, regionLabel } from '../regions/regions.service';
import { NO_REGION, regionKey } from '../stats/counter-keys';
import { counterWriter } from '../stats/counter-writer';
import { Counter } from '../stats/stats.model';
import { registerCounterSource } from '../stats/stats.rebuild';
import { freshQuiz } from './quiz.bank';
import { QuizAnswer, type QuizAnswerDoc } from './quiz.model';
import type { Accuracy } from './quiz.schema';

/**
 * Per-question accuracy by community and DAY (the knowledge gaps), as counters of the stats counter
 * writer: one document per quiz, community and month, `c[<questionId>][<DD>] = {n, k}` (answers,
 * correct). A report of days [from, to] reads communities × months documents by _id and keeps the
 * days inside the range; `npm run stats:rebuild` recomputes them from quiz_answers (registered below).
 */
export const accuracyCounterId = (quizId: string, region: string, month: string) => `quizd:${quizId}:${region}:${month}`;

/** The months (YYYY-MM) the days from..to touch: one counter document each per quiz and community. */
export function monthsOfDays(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  for (let key = from.slice(0, 7); key <= to.slice(0, 7); key = `${y}-${String(m).padStart(2, '0')}`) {
    out.push(key);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

function effects(a: { quizId: string; questionId: string; regionCode: string | null; day: string; correct: boolean }): Array<[string, string, number]> {
  const id = accuracyCounterId(a.quizId, regionKey(a.regionCode), a.day.slice(0, 7));
  const field = `${a.questionId}.${a.day.slice(8, 10)}`;
  const out: Array<[string, string, number]> = [[id, `${field}.n`, 1]];
  if (a.correct) out.push([id, `${field}.k`, 1]);
  return out;
}

export function countAnswer(a: Pick<QuizAnswerDoc, 'quizId' | 'questionId' | 'regionCode' | 'day' | 'correct'>): void {
  for (const [id, f, d] of effects(a)) counterWriter.inc(id, f, d);
}

registerCounterSource('quiz accuracy', async (emit) => {
  const answers = await QuizAnswer.find().lean<QuizAnswerDoc[]>();
  for (const a of answers) for (const [id, f, d] of effects(a)) emit(id, f, d);
});

type Cells = Record<string, Record<string, { n?: number; k?: number }>>;

/** A counter document with this process's unwritten deltas added (a reader sees its own writes). */
async function readCells(id: string): Promise<Cells> {
  const doc = await Counter.findById(id).lean<{ c?: Cells }>();
  const cells: Cells = structuredClone(doc?.c ?? {});
  for (const [path, delta] of Object.entries(counterWriter.pendingFor(id))) {
    const [q, dd, f] = path.split('.') as [string, string, 'n' | 'k'];
    const cell = ((cells[q] ??= {})[dd] ??= {});
    cell[f] = (cell[f] ?? 0) + delta;
  }
  return cells;
}

const regionName = (code?: string) => (!code ? '全市' : findRegion(code)?.level === 'city' ? findRegion(code)!.name : regionLabel(code));

const rate = (n: number, correct: number) => ({ n, correct, rate: n ? Math.round((correct / n) * 10000) / 10000 : null, lowSample: n < 30 });

const MAX_DAYS = 5 * 366;

export async function questionAccuracy(quizId: string, opts: { region?: string; from?: string; to?: string }): Promise<Accuracy> {
  const { quiz, questions } = await freshQuiz(quizId);
  const today = dayKey(now());
  const to = opts.to ?? today;
  const from = opts.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期', [{ path: 'from', message: '开始日期不能晚于结束日期' }]);
  if (dayDiff(from, to) >= MAX_DAYS) throw new AppError('VALIDATION_FAILED', '时间范围最长 5 年', [{ path: 'from', message: '时间范围最长 5 年' }]);
  if (opts.region && !findRegion(opts.region)) throw new AppError('VALIDATION_FAILED', `区域 ${opts.region} 不存在`, [{ path: 'region', message: '区域不存在' }]);
  const regions = [...communitiesUnder(opts.region).map((c) => c.code), ...(opts.region ? [] : [NO_REGION])];
  const months = monthsOfDays(from, to);

  const perRegion = await Promise.all(
    regions.map(async (code) => {
      const tallies = new Map<string, { n: number; k: number }>();
      for (const month of months) {
        const cells = await readCells(accuracyCounterId(quiz._id, code, month));
        for (const [qid, byDay] of Object.entries(cells)) {
          for (const [dd, c] of Object.entries(byDay)) {
            const day = `${month}-${dd}`;
            if (day < from || day > to) continue;
            const t = tallies.get(qid) ?? { n: 0, k: 0 };
            tallies.set(qid, { n: t.n + (c.n ?? 0), k: t.k + (c.k ?? 0) });
          }
        }
      }
      return [code, tallies] as const;
    }),
  );

  const textOf = new Map(questions.map((d) => [d.q.id, d.q]));
  const total = new Map<string, { n: number; k: number }>();
  for (const [, tallies] of perRegion) for (const [qid, t] of tallies) total.set(qid, { n: (total.get(qid)?.n ?? 0) + t.n, k: (total.get(qid)?.k ?? 0) + t.k });
  // weakest first; unanswered questions last; ties in a stable order
  const byRate = (a: { id: string; rate: number | null; n: number }, b: { id: string; rate: number | null; n: number }) => (a.rate ?? 2) - (b.rate ?? 2) || b.n - a.n || (a.id < b.id ? -1 : 1);
  const questionRows = questions
    .filter((d) => d.status === 'active' || total.has(d.q.id))
    .map((d) => ({ id: d.q.id, text: d.q.text, topic: d.q.topic ?? null, indicator: d.q.indicator ?? null, ...rate(total.get(d.q.id)?.n ?? 0, total.get(d.q.id)?.k ?? 0) }))
    .sort(byRate);
  const sum = (m: Map<string, { n: number; k: number }>) => [...m.values()].reduce((s, t) => ({ n: s.n + t.n, k: s.k + t.k }), { n: 0, k: 0 });
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
