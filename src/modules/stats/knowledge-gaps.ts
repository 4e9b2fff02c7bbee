import { accuracyDocIds, freshQuiz, listQuizSummaries, tallyAccuracy } from '../quiz';
import { type Period, readCounters } from '../counters';
import { wilson, type Rate } from './rates';
import { rowOfCommunity, type RegionScope } from './scope';

/**
 * 知识薄弱点: per-question accuracy of quiz answers (correct / answered, Wilson interval), weakest
 * first, city-wide and by region, over exactly the days of the period, from the quiz module's
 * counters: month totals for the months wholly inside the period, day cells for the (at most two)
 * months at its edges. A request reads quizzes × communities × (years + 2) documents by _id.
 */
export interface GapQuestion extends Rate {
  quizId: string;
  quizTitle: string;
  id: string;
  text: string;
  topic: string | null;
  indicator: string | null;
  correct: number;
}

export interface KnowledgeGaps {
  days: { from: string; to: string };
  overall: Rate & { correct: number };
  questions: GapQuestion[];
  byRegion: Array<Rate & { code: string; name: string; level: string; correct: number; weakest: GapQuestion[] }>;
}

/** Weakest first: lowest accuracy, then more answers; questions without answers last. */
const weakestFirst = (a: GapQuestion, b: GapQuestion) => (a.rate ?? 2) - (b.rate ?? 2) || b.n - a.n || (a.id < b.id ? -1 : 1);

export async function knowledgeGaps(scope: RegionScope, period: Period, onlyQuiz?: string): Promise<KnowledgeGaps> {
  const quizzes = (await listQuizSummaries({ includeRetired: true })).filter((q) => !onlyQuiz || q.id === onlyQuiz);
  const banks = await Promise.all(quizzes.map((q) => freshQuiz(q.id)));
  const docs = await readCounters(quizzes.flatMap((q) => scope.keys.flatMap((r) => accuracyDocIds(q.id, r, period.from, period.to))));
  const rowOf = rowOfCommunity(scope);
  // tallies[questionKey][rowCode|''] = {n, k}; '' is the whole scope
  const tallies = new Map<string, Map<string, { n: number; k: number }>>();
  const add = (key: string, row: string, n: number, k: number) => {
    const byRow = tallies.get(key) ?? new Map<string, { n: number; k: number }>();
    tallies.set(key, byRow);
    const t = byRow.get(row) ?? { n: 0, k: 0 };
    byRow.set(row, { n: t.n + n, k: t.k + k });
  };
  for (const q of quizzes) {
    for (const r of scope.keys) {
      const row = rowOf.get(r);
      tallyAccuracy(docs, q.id, r, period.from, period.to, (questionId, n, k) => {
        add(`${q.id}|${questionId}`, '', n, k);
        if (row) add(`${q.id}|${questionId}`, row.code, n, k);
      });
    }
  }
  const question = (quizId: string, quizTitle: string, id: string, row: string): GapQuestion => {
    const meta = banks.find((b) => b.quiz._id === quizId)?.questions.find((d) => d.q.id === id)?.q;
    const t = tallies.get(`${quizId}|${id}`)?.get(row) ?? { n: 0, k: 0 };
    return {
      quizId,
      quizTitle,
      id,
      text: meta?.text ?? id,
      topic: meta?.topic ?? null,
      indicator: meta?.indicator ?? null,
      correct: t.k,
      ...wilson(t.k, t.n),
    };
  };
  const keys = new Set(tallies.keys());
  // Active questions are listed even without answers (a gap in coverage is a finding too).
  for (const b of banks) for (const d of b.questions) if (d.status === 'active') keys.add(`${b.quiz._id}|${d.q.id}`);
  const titleOf = new Map(quizzes.map((q) => [q.id, q.title]));
  const rows = (row: string) =>
    [...keys].map((k) => k.split('|') as [string, string]).map(([quizId, id]) => question(quizId, titleOf.get(quizId) ?? quizId, id, row));
  const total = (list: GapQuestion[]) => list.reduce((s, q) => ({ n: s.n + q.n, k: s.k + q.correct }), { n: 0, k: 0 });
  const all = rows('').sort(weakestFirst);
  const overall = total(all);
  return {
    days: { from: period.from, to: period.to },
    overall: { ...wilson(overall.k, overall.n), correct: overall.k },
    questions: all,
    byRegion: scope.children.map((child) => {
      const list = rows(child.code).sort(weakestFirst);
      const t = total(list);
      return {
        code: child.code,
        name: child.name,
        level: child.level,
        correct: t.k,
        ...wilson(t.k, t.n),
        weakest: list.filter((q) => q.n > 0).slice(0, 5),
      };
    }),
  };
}
