import type { QuizQuestion } from './quiz.schema';

/**
 * What decides how an answer is scored, and what an indicator counts: a change to any of these on
 * a question residents may have answered makes a new revision (docs/quizzes.md). The stem, the
 * explanation and the topic are wording and change in place.
 */
const scoringOf = (q: QuizQuestion) => ({
  type: q.type,
  options: q.options ?? [],
  answer: [...(q.answer ?? [])].sort(),
  indicator: q.indicator ?? null,
});

export const scoringChanged = (a: QuizQuestion, b: QuizQuestion): boolean => JSON.stringify(scoringOf(a)) !== JSON.stringify(scoringOf(b));

/** `s1` → `s1-r2`, `s1-r2` → `s1-r3`: the first revision id of the same root no question of the bank has. */
export function nextRevisionId(id: string, taken: Set<string>): string {
  const root = id.replace(/-r\d+$/, '');
  for (let n = 2; ; n++) {
    const suffix = `-r${n}`;
    const next = root.slice(0, 60 - suffix.length) + suffix; // ids are at most 60 characters
    if (!taken.has(next)) return next;
  }
}
