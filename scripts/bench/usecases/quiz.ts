import { pool } from '../client';
import type { Req } from '../load';
import { json, type Target } from '../target';
import { residents } from './fixtures';

export const QUIZ_ID = 'wenming-basics';

/**
 * A quiz answer: every request answers a different (attempt, question), since a second answer to
 * one question is 409. Attempts are started beforehand by 50 residents.
 */
export const quizAnswerTarget: Target = {
  id: 'quiz-answer',
  label: 'quiz answer (POST /api/v1/quiz-attempts/:id/answers)',
  server: 'service',
  okStatus: 200,
  baseline: 'koa-insert',
  minRatio: 0.6,
  pooled: true,
  requires: ['POST /api/v1/quizzes/{id}/attempts', 'POST /api/v1/quiz-attempts/{attemptId}/answers'],
  prepare: async ({ client }, count) => {
    const people = await residents(client, 50);
    const first = await client.expect<{ questions: unknown[] }>(201, 'POST', `/api/v1/quizzes/${QUIZ_ID}/attempts`, {}, people[0]!.token);
    const perAttempt = first.questions.length;
    const attempts = await pool(Math.ceil(count / perAttempt), 10, async (i) => {
      const who = people[i % people.length]!;
      const a = await client.expect<{ attemptId: string; questions: Array<{ id: string }> }>(
        201,
        'POST',
        `/api/v1/quizzes/${QUIZ_ID}/attempts`,
        {},
        who.token,
      );
      return { ...a, token: who.token };
    });
    // Question-major order: 20 connections answer 20 different attempts at a time, as people do.
    const reqs: Req[] = [];
    for (let q = 0; q < perAttempt; q++) {
      for (const a of attempts) {
        const question = a.questions[q];
        if (question)
          reqs.push({
            method: 'POST',
            path: `/api/v1/quiz-attempts/${a.attemptId}/answers`,
            ...json({ questionId: question.id, choice: ['A'] }, a.token),
          });
      }
    }
    let i = 0;
    return () => reqs[i++ % reqs.length]!;
  },
};
