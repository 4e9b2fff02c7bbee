import crypto from 'node:crypto';
import { AppError, isDuplicateKey, notFound } from '../../core/errors';
import { hmac } from '../../core/pii';
import { isoLocal, now, startOfDay } from '../../core/time';
import { findIndicator } from '../catalog/catalog.service';
import { presentQuestion } from '../questionnaire/questionnaire.service';
import type { Question } from '../questionnaire/questionnaire.schema';
import { findRegion } from '../regions/regions.service';
import { nodeOf, num, readSurveyCounters, responseCount, type CounterNode } from './surveys.counters';
import { Survey, SurveyGuard, type SurveyDoc } from './surveys.model';
import {
  CHAT_MAX_QUESTIONS,
  DEFINITION_FIELDS,
  type CreateSurvey,
  type SurveyAdminView,
  type SurveyInput,
  type SurveyListItem,
  type SurveyView,
  type UpdateSurvey,
} from './surveys.schema';

export type { SurveyDoc };

/** 2026-03-01 is the start of that day in China; anything else is an ISO instant with offset. */
export const toInstant = (s: string | null | undefined): Date | null =>
  s ? (/^\d{4}-\d{2}-\d{2}$/.test(s) ? startOfDay(s) : new Date(s)) : null;

export function isOpen(s: Pick<SurveyDoc, 'opensAt' | 'closesAt' | 'closedAt'>, at = now()): boolean {
  return Boolean(s.opensAt && s.opensAt <= at && !s.closedAt && (!s.closesAt || at < s.closesAt));
}

/** Published = opened at some time (open now, scheduled or closed); drafts only the office sees. */
const isPublished = (s: SurveyDoc) => Boolean(s.opensAt);

/** Short surveys without a community picker are answered in the chat; the rest open as an H5 page. */
export const isChatSurvey = (s: Pick<SurveyDoc, 'chat' | 'questions'>): boolean =>
  s.chat ?? (s.questions.length <= CHAT_MAX_QUESTIONS && !s.questions.some((q) => q.demographic === 'community'));

export async function findSurvey(id: string): Promise<SurveyDoc | undefined> {
  return (await Survey.findById(id).lean<SurveyDoc>()) ?? undefined;
}

/** A survey a resident may see (drafts are 404 to them). */
export async function getSurvey(id: string, opts: { drafts?: boolean } = {}): Promise<SurveyDoc> {
  const s = await findSurvey(id);
  if (!s || (!opts.drafts && !isPublished(s))) throw notFound('问卷');
  return s;
}

/** The surveys collection is small (the office's surveys), so listing it is a bounded read. */
export async function listSurveys(opts: { drafts?: boolean } = {}): Promise<SurveyDoc[]> {
  const all = await Survey.find().lean<SurveyDoc[]>();
  const at = now();
  return all
    .filter((s) => opts.drafts || isPublished(s))
    .sort(
      (a, b) =>
        Number(isOpen(b, at)) - Number(isOpen(a, at)) ||
        (b.opensAt?.getTime() ?? Infinity) - (a.opensAt?.getTime() ?? Infinity) ||
        (a._id < b._id ? -1 : 1),
    );
}

/**
 * The one-response guard key: the resident id, or for an anonymous survey a keyed hash of it, so
 * the guard tells "this resident answered" to whoever holds the key and nothing to anyone else.
 */
export function guardIdOf(s: Pick<SurveyDoc, '_id' | 'anonymous'>, residentId: string): string {
  return `${s._id}:${s.anonymous ? hmac(residentId, `survey:${s._id}`) : residentId}`;
}

export async function hasResponded(s: Pick<SurveyDoc, '_id' | 'anonymous'>, residentId: string): Promise<boolean> {
  return Boolean(await SurveyGuard.exists({ _id: guardIdOf(s, residentId) }));
}

export function presentListItem(s: SurveyDoc, responded?: boolean): SurveyListItem {
  return {
    id: s._id,
    title: s.title,
    open: isOpen(s),
    anonymous: s.anonymous,
    chat: isChatSurvey(s),
    questionCount: s.questions.length,
    points: s.points,
    closesAt: s.closesAt ? isoLocal(s.closesAt) : null,
    ...(responded === undefined ? {} : { responded }),
  };
}

export function presentSurvey(s: SurveyDoc, responded?: boolean): SurveyView {
  return {
    ...presentListItem(s, responded),
    description: s.description ?? null,
    thanks: s.thanks ?? null,
    questions: s.questions.map((q) => presentQuestion(q, { revealMarks: true })),
  };
}

/** Why a survey with responses refuses edits to its questions, title and anonymity (shown by the builder too). */
export const LOCKED_REASON = '问卷已有居民作答，不能再修改题目、标题或匿名设置；开放时间、样本目标等仍可修改';

/** Created or edited in the console: content sync leaves it as the office made it. */
export const isConsoleOwned = (s: Pick<SurveyDoc, 'source' | 'editedInConsole'>): boolean =>
  s.source === 'office' || Boolean(s.editedInConsole);

/** Sample progress in one figure per survey: responses counted towards each community's target, capped at it. */
function sampleSummary(targets: Record<string, number>, byRegion: CounterNode): { target: number; achievedOfTarget: number } {
  const entries = Object.entries(targets);
  return {
    target: entries.reduce((t, [, n]) => t + n, 0),
    achievedOfTarget: entries.reduce((t, [code, n]) => t + Math.min(num(byRegion[code]), n), 0),
  };
}

export async function presentAdmin(s: SurveyDoc): Promise<SurveyAdminView> {
  const c = await readSurveyCounters(s._id);
  const responses = num(c.n);
  return {
    ...presentSurvey(s),
    opensAt: s.opensAt ? isoLocal(s.opensAt) : null,
    closedAt: s.closedAt ? isoLocal(s.closedAt) : null,
    targets: s.targets ?? {},
    sample: sampleSummary(s.targets ?? {}, nodeOf(c.r)),
    responses,
    locked: responses > 0,
    lockedReason: responses > 0 ? LOCKED_REASON : null,
    rev: s.rev,
    source: s.source,
    consoleOwned: isConsoleOwned(s),
    editedAt: s.editedAt ? isoLocal(s.editedAt) : null,
  };
}

const invalidAt = (path: string, message: string) => new AppError('VALIDATION_FAILED', `${path}: ${message}`, [{ path, message }]);

/** Checks what zod cannot: indicators exist and their questions can yield them; targets are communities. */
export function checkReferences(def: { questions?: Question[]; targets?: Record<string, number> }): void {
  def.questions?.forEach((q, i) => {
    if (!q.indicator) return;
    const ind = findIndicator(q.indicator);
    const path = `questions.${i}.indicator`;
    if (!ind) throw invalidAt(path, `指标 ${q.indicator} 不存在（见 content/indicators.yaml）`);
    const opts = q.options ?? [];
    if (ind.kind === 'awareness' && !opts.some((o) => o.aware)) throw invalidAt(path, '知晓题至少要把一个选项标记为「知晓」（aware）');
    if (ind.kind === 'support' && !opts.some((o) => o.positive))
      throw invalidAt(path, '支持题至少要把一个选项标记为「支持/满意」（positive）');
    if (ind.kind === 'satisfaction' && !(q.type === 'scale' && q.scale) && !opts.some((o) => o.positive || o.score !== undefined))
      throw invalidAt(path, '满意度题需要量表（scale），或给选项填写分值（score）、标记「支持/满意」（positive）');
  });
  for (const code of Object.keys(def.targets ?? {})) {
    if (findRegion(code)?.level !== 'community') throw invalidAt(`targets.${code}`, `${code} 不是有效的社区编码`);
  }
}

function checkWindow(opensAt: Date | null, closesAt: Date | null): void {
  if (opensAt && closesAt && closesAt <= opensAt) throw invalidAt('closesAt', '结束时间应晚于开始时间');
}

/** The stored form of a definition (dates parsed, defaults applied). */
function definitionDoc(input: Omit<SurveyInput, 'id'>) {
  const opensAt = toInstant(input.opensAt);
  const closesAt = toInstant(input.closesAt);
  checkWindow(opensAt, closesAt);
  checkReferences(input);
  return {
    title: input.title,
    description: input.description ?? null,
    anonymous: input.anonymous,
    chat: input.chat ?? null,
    points: input.points,
    thanks: input.thanks ?? null,
    questions: input.questions,
    targets: input.targets,
    opensAt,
    closesAt,
  };
}

export async function createSurvey(
  input: CreateSurvey,
  source: 'office' | 'content' = 'office',
  contentHash: string | null = null,
): Promise<SurveyDoc> {
  const at = now();
  const doc: SurveyDoc = {
    _id: input.id ?? `s-${crypto.randomBytes(4).toString('hex')}`,
    ...definitionDoc(input),
    closedAt: null,
    rev: 1,
    source,
    contentHash,
    editedInConsole: false,
    editedAt: null,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await Survey.create(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', `问卷编号 ${doc._id} 已存在`);
    throw err;
  }
  return doc;
}

/** Every console write marks the survey console-owned (content sync then skips its file). */
const consoleEdit = (at: Date) => ({ editedInConsole: true, editedAt: at });

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Edits a survey. Title, anonymity and questions only while no one has answered (counted from the
 * survey's response counter: a response racing the edit is validated against the definition it read
 * and keeps its `rev`); the window, targets, points and texts any time.
 */
export async function updateSurvey(id: string, patch: UpdateSurvey): Promise<SurveyDoc> {
  const s = await getSurvey(id, { drafts: true });
  const changesDefinition = DEFINITION_FIELDS.some((f) => patch[f] !== undefined && !same(patch[f], s[f]));
  if (changesDefinition && (await responseCount(id)) > 0) throw new AppError('SURVEY_LOCKED', LOCKED_REASON);
  checkReferences({ questions: patch.questions, targets: patch.targets });
  const at = now();
  const set: Partial<SurveyDoc> = { updatedAt: at, ...consoleEdit(at) };
  for (const f of ['title', 'anonymous', 'questions', 'targets', 'points'] as const)
    if (patch[f] !== undefined) (set as Record<string, unknown>)[f] = patch[f];
  for (const f of ['description', 'thanks', 'chat'] as const)
    if (patch[f] !== undefined) (set as Record<string, unknown>)[f] = patch[f] ?? null;
  if (patch.opensAt !== undefined) set.opensAt = toInstant(patch.opensAt);
  if (patch.closesAt !== undefined) set.closesAt = toInstant(patch.closesAt);
  checkWindow(set.opensAt !== undefined ? set.opensAt : s.opensAt, set.closesAt !== undefined ? set.closesAt : s.closesAt);
  const updated = await Survey.findByIdAndUpdate(
    id,
    { $set: set, $inc: { rev: changesDefinition ? 1 : 0 } },
    { returnDocument: 'after' },
  ).lean<SurveyDoc>();
  if (!updated) throw notFound('问卷');
  return updated;
}

/**
 * The stored values of the fields a PATCH sends, for the audit log's before → after (questions as
 * their texts: the full new definition is in the entry's changes already).
 */
export function auditBeforeOf(s: SurveyDoc, patch: UpdateSurvey): Record<string, unknown> {
  const before: Record<string, unknown> = {};
  for (const f of Object.keys(patch) as Array<keyof UpdateSurvey>) {
    const v = s[f];
    before[f] = f === 'questions' ? s.questions.map((q) => q.text) : v instanceof Date ? isoLocal(v) : v;
  }
  return before;
}

/** Opens a survey now (or keeps an earlier start), clears a manual close, optionally sets the end. */
export async function openSurvey(id: string, opts: { closesAt?: string | null } = {}): Promise<SurveyDoc> {
  const s = await getSurvey(id, { drafts: true });
  const at = now();
  const closesAt = opts.closesAt !== undefined ? toInstant(opts.closesAt) : s.closesAt && s.closesAt > at ? s.closesAt : null;
  if (closesAt && closesAt <= at) throw invalidAt('closesAt', '结束时间应晚于现在');
  const opensAt = s.opensAt && s.opensAt <= at ? s.opensAt : at;
  const updated = await Survey.findByIdAndUpdate(
    id,
    { $set: { opensAt, closesAt, closedAt: null, updatedAt: at, ...consoleEdit(at) } },
    { returnDocument: 'after' },
  ).lean<SurveyDoc>();
  return updated ?? s;
}

export async function closeSurvey(id: string): Promise<SurveyDoc> {
  const s = await getSurvey(id, { drafts: true });
  if (s.closedAt) return s;
  const at = now();
  const updated = await Survey.findByIdAndUpdate(
    id,
    { $set: { closedAt: at, updatedAt: at, ...consoleEdit(at) } },
    { returnDocument: 'after' },
  ).lean<SurveyDoc>();
  return updated ?? s;
}

/**
 * A new draft with the same questions, texts, settings and targets: no window, no responses, its
 * own id. How the office reuses last year's survey without touching the answered one.
 */
export async function copySurvey(id: string): Promise<SurveyDoc> {
  const s = await getSurvey(id, { drafts: true });
  const at = now();
  const doc: SurveyDoc = {
    ...s,
    _id: `s-${crypto.randomBytes(4).toString('hex')}`,
    title: `${s.title.slice(0, 95)}（副本）`,
    opensAt: null,
    closesAt: null,
    closedAt: null,
    rev: 1,
    source: 'office',
    contentHash: null,
    editedInConsole: false,
    editedAt: null,
    createdAt: at,
    updatedAt: at,
  };
  await Survey.create(doc);
  return doc;
}

export { definitionDoc };
