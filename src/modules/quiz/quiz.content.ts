import { loadContentFolder } from '../../core/content';
import { rawCollection } from '../../core/db';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { now } from '../../core/time';
import { Types } from 'mongoose';
import { hashOf, indicatorProblem, loadBanks } from './quiz.bank';
import { Quiz, QuizQuestionModel, type QuizDoc, type QuizQuestionDoc } from './quiz.model';
import { quizFileSchema, type QuizFile } from './quiz.schema';

type Op = Record<string, unknown>;

/**
 * Upserts content/quizzes/*.yaml. Content seeds, the console wins: a quiz or a question created or
 * edited in the console (source "office") is never overwritten (when the file's version differs, one
 * info line says it was skipped); content questions that left the file are retired, never deleted.
 * Unchanged content writes nothing (hash), so the sync is idempotent and cheap.
 */
export async function syncQuizContent(): Promise<string> {
  const files = loadContentFolder('quizzes', quizFileSchema);
  checkFiles(files);
  let questions = 0;
  let written = 0;
  for (const [index, [, file]] of files.entries()) {
    questions += file.questions.length;
    written += await syncQuiz(file, index);
  }
  await loadBanks();
  return `quizzes: ${files.length}, questions: ${questions}, written: ${written}`;
}

function checkFiles(files: Array<[string, QuizFile]>): void {
  const ids = new Set<string>();
  for (const [rel, file] of files) {
    if (ids.has(file.id)) throw new AppError('VALIDATION_FAILED', `content/${rel}: id: 答题编号 ${file.id} 重复`);
    ids.add(file.id);
    file.questions.forEach((q, i) => {
      const problem = indicatorProblem(q.indicator);
      if (problem) throw new AppError('VALIDATION_FAILED', `content/${rel}: questions.${i}.indicator: ${problem}`);
    });
  }
}

async function syncQuiz(file: QuizFile, order: number): Promise<number> {
  const at = now();
  const existing = await Quiz.findById(file.id).lean<QuizDoc>();
  const { questions, ...meta } = file;
  const quizHash = hashOf(meta);
  const stored = await QuizQuestionModel.find({ quizId: file.id }).lean<QuizQuestionDoc[]>();
  const byId = new Map(stored.map((d) => [d.q.id, d]));
  const ops: Op[] = [];
  const skipped: string[] = [];
  questions.forEach((q, i) => {
    const prev = byId.get(q.id);
    const hash = hashOf(q);
    if (prev?.source === 'office' && prev.hash !== hash) skipped.push(q.id);
    if (prev && (prev.source === 'office' || prev.hash === hash)) return;
    const doc: QuizQuestionDoc = {
      _id: `${file.id}:${q.id}`,
      quizId: file.id,
      q,
      status: 'active',
      source: 'content',
      hash,
      order: i,
      updatedAt: at,
    };
    ops.push({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } });
  });
  const named = new Set(questions.map((q) => q.id));
  for (const d of stored) {
    if (d.source === 'content' && d.status === 'active' && !named.has(d.q.id))
      ops.push({ updateOne: { filter: { _id: d._id }, update: { $set: { status: 'retired', updatedAt: at } } } });
  }
  if (ops.length) await rawCollection(QuizQuestionModel).bulkWrite(ops as never, { ordered: false });

  const quizChanged = !existing || (existing.source === 'content' && existing.hash !== quizHash);
  if (existing?.source === 'office' && existing.hash !== quizHash)
    logger.info({ quizId: file.id }, `quiz content: 答题 ${file.id} 已在工作台修改，跳过文件中的版本`);
  if (skipped.length)
    logger.info(
      { quizId: file.id, questions: skipped },
      `quiz content: ${skipped.length} 道题已在工作台新增或修改，跳过文件中的版本（${skipped.join('、')}）`,
    );
  if (quizChanged) {
    const doc: QuizDoc = {
      _id: file.id,
      title: meta.title,
      description: meta.description,
      draw: meta.draw,
      pointsPerCorrect: meta.pointsPerCorrect,
      status: existing?.status ?? 'active',
      source: 'content',
      hash: quizHash,
      rev: new Types.ObjectId().toHexString(),
      order,
      updatedAt: at,
    };
    await rawCollection(Quiz).replaceOne({ _id: file.id }, doc, { upsert: true });
  } else if (ops.length) {
    await Quiz.updateOne({ _id: file.id }, { $set: { rev: new Types.ObjectId().toHexString(), updatedAt: at } });
  }
  return ops.length + (quizChanged ? 1 : 0);
}
