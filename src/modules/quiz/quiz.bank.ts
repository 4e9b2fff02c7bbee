import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { rawCollection } from '../../core/db';
import { AppError, isDuplicateKey, notFound } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { optionsOf } from '../questionnaire/questionnaire.service';
import { findIndicator } from '../catalog/catalog.service';
import { Quiz, QuizQuestionModel, type QuizDoc, type QuizQuestionDoc, type Source } from './quiz.model';
import { nextRevisionId, scoringChanged } from './quiz.revision';
import {
  quizQuestionSchema,
  type BankQuery,
  type CreateQuiz,
  type OfficeQuestion,
  type QuizQuestion,
  type QuizSummary,
  type UpdateQuestion,
  type UpdateQuiz,
} from './quiz.schema';

/**
 * The question banks. Small reference data, so each process keeps them in memory: the quiz list is
 * re-read at most every LIST_TTL_MS, and a quiz's questions are re-read only when the quiz's `rev`
 * (one point read) says another process edited it. Edits here refresh this process at once.
 */
const LIST_TTL_MS = 15_000;

export interface CachedQuiz {
  quiz: QuizDoc;
  questions: QuizQuestionDoc[];
}
const cache = new Map<string, CachedQuiz>();
let listedAt = 0;

const newRev = () => new Types.ObjectId().toHexString();
const qid = (quizId: string, questionId: string) => `${quizId}:${questionId}`;
export const hashOf = (value: unknown) => crypto.createHash('sha1').update(JSON.stringify(value)).digest('hex');

async function loadQuestions(quizId: string): Promise<QuizQuestionDoc[]> {
  // A scan of the bounded bank collection: only at start-up and after an edit elsewhere.
  const docs = await QuizQuestionModel.find({ quizId }).lean<QuizQuestionDoc[]>();
  return docs.sort((a, b) => a.order - b.order || (a._id < b._id ? -1 : 1));
}

async function reloadQuiz(quiz: QuizDoc): Promise<CachedQuiz> {
  const entry = { quiz, questions: await loadQuestions(quiz._id) };
  cache.set(quiz._id, entry);
  return entry;
}

/** Loads every quiz (module init and after a content sync). */
export async function loadBanks(): Promise<void> {
  const quizzes = await Quiz.find().lean<QuizDoc[]>();
  const all = await QuizQuestionModel.find().lean<QuizQuestionDoc[]>();
  cache.clear();
  for (const quiz of quizzes) {
    const questions = all.filter((q) => q.quizId === quiz._id).sort((a, b) => a.order - b.order || (a._id < b._id ? -1 : 1));
    cache.set(quiz._id, { quiz, questions });
  }
  listedAt = Date.now();
}

/** The quiz with its questions, fresh: one point read of the quiz, a reload only when it changed. */
export async function freshQuiz(quizId: string): Promise<CachedQuiz> {
  const quiz = await Quiz.findById(quizId).lean<QuizDoc>();
  if (!quiz) throw notFound('答题');
  const cached = cache.get(quizId);
  if (cached && cached.quiz.rev === quiz.rev) return cached;
  return reloadQuiz(quiz);
}

async function listQuizzes(): Promise<CachedQuiz[]> {
  if (Date.now() - listedAt > LIST_TTL_MS) {
    const quizzes = await Quiz.find().lean<QuizDoc[]>(); // the quizzes collection holds a handful of documents
    for (const q of quizzes) if (cache.get(q._id)?.quiz.rev !== q.rev) await reloadQuiz(q);
    for (const id of cache.keys()) if (!quizzes.some((q) => q._id === id)) cache.delete(id);
    listedAt = Date.now();
  }
  return [...cache.values()].sort((a, b) => a.quiz.order - b.quiz.order || (a.quiz._id < b.quiz._id ? -1 : 1));
}

export const activeQuestions = (c: CachedQuiz) => c.questions.filter((q) => q.status === 'active');

export function summarize(c: CachedQuiz): QuizSummary {
  const { quiz } = c;
  return {
    id: quiz._id,
    title: quiz.title,
    description: quiz.description,
    questionCount: activeQuestions(c).length,
    drawSize: quiz.draw.size,
    pointsPerCorrect: quiz.pointsPerCorrect,
    status: quiz.status,
  };
}

/** The office's summary: the residents' one plus the draw rule, the owner and the bank's topics. */
export function summarizeForOffice(c: CachedQuiz): QuizSummary {
  const topics: Record<string, number> = {};
  for (const d of activeQuestions(c)) if (d.q.topic) topics[d.q.topic] = (topics[d.q.topic] ?? 0) + 1;
  return { ...summarize(c), draw: c.quiz.draw, source: c.quiz.source, updatedAt: isoLocal(c.quiz.updatedAt), topics };
}

export async function listQuizSummaries(opts: { includeRetired?: boolean } = {}): Promise<QuizSummary[]> {
  // includeRetired is the office's list (routes allow it to office and admin only)
  return (await listQuizzes())
    .filter((c) => opts.includeRetired || c.quiz.status === 'active')
    .map(opts.includeRetired ? summarizeForOffice : summarize);
}

export async function getQuizSummary(quizId: string, opts: { includeRetired?: boolean } = {}): Promise<QuizSummary> {
  const c = await freshQuiz(quizId);
  if (c.quiz.status !== 'active' && !opts.includeRetired) throw notFound('答题');
  return summarize(c);
}

export function presentOfficeQuestion(d: QuizQuestionDoc): OfficeQuestion {
  const q = d.q;
  return {
    id: q.id,
    type: q.type as OfficeQuestion['type'],
    text: q.text,
    options: optionsOf(q).map((o) => ({ key: o.key, text: o.text })),
    answer: q.answer ?? [],
    explanation: q.explanation ?? '',
    topic: q.topic ?? null,
    indicator: q.indicator ?? null,
    status: d.status,
    source: d.source,
    updatedAt: isoLocal(d.updatedAt),
    used: !d.fresh,
    revisionOf: d.revisionOf ?? null,
    replacedBy: d.replacedBy ?? null,
  };
}

export async function listOfficeQuestions(quizId: string): Promise<OfficeQuestion[]> {
  return (await freshQuiz(quizId)).questions.map(presentOfficeQuestion);
}

const matches = (q: OfficeQuestion, f: BankQuery): boolean =>
  (!f.type || q.type === f.type) &&
  (!f.status || q.status === f.status) &&
  (!f.topic || q.topic === f.topic) &&
  (!f.indicator || (f.indicator === 'none' ? !q.indicator : q.indicator === f.indicator)) &&
  (!f.q || [q.id, q.text, q.explanation, ...q.options.map((o) => o.text)].some((t) => t.toLowerCase().includes(f.q!.toLowerCase())));

/** One page of the bank for the office's table (the bank is in memory: filtering there costs no read). */
export async function queryOfficeQuestions(quizId: string, f: BankQuery): Promise<{ items: OfficeQuestion[]; total: number }> {
  const all = (await listOfficeQuestions(quizId)).filter((q) => matches(q, f));
  if (f.sort !== 'order') {
    const key = f.sort;
    all.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
  }
  if (f.order === 'desc') all.reverse();
  return { items: all.slice((f.page - 1) * f.pageSize, f.page * f.pageSize), total: all.length };
}

/** An indicator tag must name an awareness indicator of content/indicators.yaml. */
export function indicatorProblem(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const ind = findIndicator(code);
  if (!ind) return `指标 ${code} 不存在`;
  if (ind.kind !== 'awareness') return `指标 ${code} 不是知晓类指标`;
  return undefined;
}

/** Parses a question for the bank: the engine's rules, the quiz's rules, a known indicator. */
export function checkQuestion(raw: unknown): QuizQuestion {
  const parsed = quizQuestionSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    throw new AppError('VALIDATION_FAILED', `题目无效：${details.map((d) => `${d.path} ${d.message}`).join('；')}`, details);
  }
  const problem = indicatorProblem(parsed.data.indicator);
  if (problem) throw new AppError('VALIDATION_FAILED', problem, [{ path: 'indicator', message: problem }]);
  return parsed.data;
}

async function touchQuiz(quizId: string, set: Partial<QuizDoc> = {}): Promise<void> {
  await Quiz.updateOne({ _id: quizId }, { $set: { ...set, rev: newRev(), updatedAt: now() } });
  await freshQuiz(quizId);
}

// ---- office edits ----

export async function createQuiz(input: CreateQuiz, source: Source = 'office'): Promise<QuizSummary> {
  const id = input.id ?? `quiz-${new Types.ObjectId().toHexString().slice(-8)}`;
  const doc: QuizDoc = {
    _id: id,
    title: input.title,
    description: input.description,
    draw: input.draw,
    pointsPerCorrect: input.pointsPerCorrect,
    status: 'active',
    source,
    rev: newRev(),
    order: cache.size,
    updatedAt: now(),
  };
  try {
    await rawCollection(Quiz).insertOne(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', `答题编号 ${id} 已存在`);
    throw err;
  }
  return summarizeForOffice(await reloadQuiz(doc));
}

export async function updateQuiz(quizId: string, patch: UpdateQuiz): Promise<QuizSummary> {
  await freshQuiz(quizId);
  const set: Partial<QuizDoc> = { source: 'office' };
  for (const k of ['title', 'description', 'draw', 'pointsPerCorrect', 'status'] as const)
    if (patch[k] !== undefined) (set as Record<string, unknown>)[k] = patch[k];
  await touchQuiz(quizId, set);
  return summarizeForOffice(await freshQuiz(quizId));
}

export async function retireQuiz(quizId: string): Promise<void> {
  await updateQuiz(quizId, { status: 'retired' });
}

export async function addQuestion(quizId: string, raw: unknown): Promise<OfficeQuestion> {
  const c = await freshQuiz(quizId);
  const q = checkQuestion(raw);
  const doc: QuizQuestionDoc = {
    _id: qid(quizId, q.id),
    quizId,
    q,
    status: 'active',
    source: 'office',
    order: c.questions.length,
    updatedAt: now(),
    fresh: true,
  };
  try {
    await rawCollection(QuizQuestionModel).insertOne(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', `题目编号 ${q.id} 已存在`);
    throw err;
  }
  await touchQuiz(quizId);
  return presentOfficeQuestion(doc);
}

function findQuestion(c: CachedQuiz, questionId: string): QuizQuestionDoc {
  const d = c.questions.find((x) => x.q.id === questionId);
  if (!d) throw notFound('题目');
  return d;
}

/**
 * Edits a question. Wording (stem, explanation, topic) changes in place. Scoring (type, options,
 * answer, indicator) changes in place only while the question has never been drawn; otherwise the
 * edit becomes a new revision under a new id and the old one is retired, so every answer ever given
 * to an id was scored against one and the same question (statistics per id stay meaningful).
 */
export async function updateQuestion(
  quizId: string,
  questionId: string,
  patch: UpdateQuestion,
): Promise<OfficeQuestion & { revisedFrom?: string }> {
  const c = await freshQuiz(quizId);
  const current = findQuestion(c, questionId);
  const merged: Record<string, unknown> = { ...current.q, ...patch, id: questionId };
  for (const k of ['indicator', 'topic'] as const) if (merged[k] === null) delete merged[k];
  // A changed type usually brings other options: judge questions fall back to 对/错.
  if (patch.type === 'judge' && !patch.options) delete merged.options;
  const q = checkQuestion(merged);
  // The flag is read from the database: another process may have drawn the question meanwhile.
  const stored = await QuizQuestionModel.findById(current._id).lean<QuizQuestionDoc>();
  if (!stored?.fresh && scoringChanged(current.q, q)) return reviseQuestion(c, stored ?? current, q);
  const doc: QuizQuestionDoc = { ...(stored ?? current), q, source: 'office', updatedAt: now() };
  await QuizQuestionModel.replaceOne({ _id: current._id }, doc);
  await touchQuiz(quizId);
  return presentOfficeQuestion(doc);
}

async function reviseQuestion(c: CachedQuiz, current: QuizQuestionDoc, q: QuizQuestion): Promise<OfficeQuestion & { revisedFrom: string }> {
  const quizId = c.quiz._id;
  const id = nextRevisionId(current.q.id, new Set(c.questions.map((d) => d.q.id)));
  const at = now();
  const doc: QuizQuestionDoc = {
    _id: qid(quizId, id),
    quizId,
    q: { ...q, id },
    status: current.status,
    source: 'office',
    order: current.order,
    updatedAt: at,
    fresh: true,
    revisionOf: current.q.id,
  };
  try {
    await rawCollection(QuizQuestionModel).insertOne(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', `题目 ${current.q.id} 正在被他人修改，请刷新后重试`);
    throw err;
  }
  await QuizQuestionModel.updateOne({ _id: current._id }, { $set: { status: 'retired', replacedBy: id, source: 'office', updatedAt: at } });
  await touchQuiz(quizId);
  return { ...presentOfficeQuestion(doc), revisedFrom: current.q.id };
}

export async function setQuestionStatus(quizId: string, questionId: string, status: 'active' | 'retired'): Promise<void> {
  const current = findQuestion(await freshQuiz(quizId), questionId);
  await QuizQuestionModel.updateOne({ _id: current._id }, { $set: { status, source: 'office', updatedAt: now() } });
  await touchQuiz(quizId);
}

/**
 * Writes a set of questions at once (an import): inserts new ones, replaces changed ones, and with
 * `retireOthers` retires the active questions the set does not name. All checks happen before.
 */
export async function writeQuestions(
  quizId: string,
  questions: QuizQuestion[],
  opts: { retireOthers: boolean },
): Promise<{ created: number; updated: number; retired: number }> {
  const c = await freshQuiz(quizId);
  const byId = new Map(c.questions.map((d) => [d.q.id, d]));
  const at = now();
  let order = c.questions.length;
  const ops: Array<Record<string, unknown>> = [];
  let created = 0;
  let updated = 0;
  questions.forEach((q) => {
    const prev = byId.get(q.id);
    if (prev && prev.status === 'active' && hashOf(prev.q) === hashOf(q)) return;
    const doc: QuizQuestionDoc = {
      _id: qid(quizId, q.id),
      quizId,
      q,
      status: 'active',
      source: 'office',
      order: prev?.order ?? order++,
      updatedAt: at,
    };
    ops.push({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } });
    if (prev) updated++;
    else created++;
  });
  const named = new Set(questions.map((q) => q.id));
  const retire = opts.retireOthers ? c.questions.filter((d) => d.status === 'active' && !named.has(d.q.id)) : [];
  for (const d of retire)
    ops.push({ updateOne: { filter: { _id: d._id }, update: { $set: { status: 'retired', source: 'office', updatedAt: at } } } });
  if (ops.length) {
    await rawCollection(QuizQuestionModel).bulkWrite(ops as never, { ordered: false });
    await touchQuiz(quizId);
  }
  return { created, updated, retired: retire.length };
}

/**
 * Clears the fresh flag of questions an attempt has just drawn: from then on their scoring is
 * frozen. One write per question per process at most (the cached copy is updated too).
 */
export async function markDrawn(c: CachedQuiz, questionIds: string[]): Promise<void> {
  const fresh = c.questions.filter((d) => d.fresh && questionIds.includes(d.q.id));
  if (!fresh.length) return;
  await rawCollection(QuizQuestionModel).bulkWrite(
    fresh.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $unset: { fresh: '' } } } })) as never,
    { ordered: false },
  );
  for (const d of fresh) delete d.fresh; // only once written: a failed write is tried again by the next draw
}

export const bankInternals = { cache, resetList: () => (listedAt = 0) };
