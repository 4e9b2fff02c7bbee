import type { PublicQuestion } from '../../../../../modules/questionnaire/questionnaire.schema';
import type { CreateSurvey, SurveyAdminView, UpdateSurvey } from '../../../../../modules/surveys/surveys.schema';
import type { RegionNode } from '../../../types';

/**
 * The survey builder's form: what the fields hold, how a stored survey fills them, and the API
 * bodies they become (POST for a new survey, PATCH with only what changed for an existing one).
 */
export type QuestionKind = 'single' | 'multiple' | 'scale' | 'text';
export type Demographic = NonNullable<PublicQuestion['demographic']>;
type Question = CreateSurvey['questions'][number];

export interface OptionForm {
  text: string;
  /** 知晓: choosing it means the respondent knows the fact */
  aware: boolean;
  /** 支持 / 满意 */
  positive: boolean;
  /** 0–100 satisfaction score, or none */
  score: number | null;
}

export interface QuestionForm {
  /** the question's id in the answers: kept for stored questions, q1, q2 … for new ones */
  id: string;
  type: QuestionKind;
  text: string;
  required: boolean;
  demographic: Demographic | '';
  indicator: string;
  options: OptionForm[];
  scale: { min: number; max: number; minLabel: string; maxLabel: string };
  maxLength: number;
}

export interface SurveyForm {
  title: string;
  description: string;
  thanks: string;
  anonymous: boolean;
  /** auto: chat for short surveys without a community question */
  channel: 'auto' | 'chat' | 'h5';
  points: number;
  /** YYYY-MM-DDTHH:mm:ss in campaign time (+08:00), or '' */
  opensAt: string;
  closesAt: string;
  targets: Record<string, number>;
  questions: QuestionForm[];
}

export const KIND_LABELS: Record<QuestionKind, string> = { single: '单选题', multiple: '多选题', scale: '量表题', text: '填空题' };
export const DEMOGRAPHIC_LABELS: Record<Demographic, string> = {
  age: '年龄',
  gender: '性别',
  community: '所在社区',
  occupation: '职业',
  education: '学历',
};
export const INDICATOR_KIND_LABELS: Record<string, string> = { awareness: '知晓', support: '支持', satisfaction: '满意' };

const letter = (i: number) => String.fromCharCode(65 + i);
export const emptyOption = (text = ''): OptionForm => ({ text, aware: false, positive: false, score: null });

export function newQuestion(type: QuestionKind, taken: string[]): QuestionForm {
  let n = taken.length + 1;
  while (taken.includes(`q${n}`)) n++;
  return {
    id: `q${n}`,
    type,
    text: '',
    required: type !== 'text',
    demographic: '',
    indicator: '',
    options: type === 'single' || type === 'multiple' ? [emptyOption(), emptyOption()] : [],
    scale: { min: 1, max: 5, minLabel: '非常不满意', maxLabel: '非常满意' },
    maxLength: 500,
  };
}

export const emptySurvey = (): SurveyForm => ({
  title: '',
  description: '',
  thanks: '',
  anonymous: true,
  channel: 'auto',
  points: 5,
  opensAt: '',
  closesAt: '',
  targets: {},
  questions: [newQuestion('single', [])],
});

/** 2026-03-01T08:00:00.000+08:00 → 2026-03-01T08:00:00 (the API answers in campaign time). */
const localOf = (iso: string | null) => (iso ? iso.slice(0, 19) : '');

function questionOf(q: PublicQuestion): QuestionForm {
  return {
    id: q.id,
    type: q.type as QuestionKind,
    text: q.text,
    required: q.required ?? true,
    demographic: q.demographic ?? '',
    indicator: q.indicator ?? '',
    options: (q.options ?? []).map((o) => ({
      text: o.text,
      aware: Boolean(o.aware),
      positive: Boolean(o.positive),
      score: o.score ?? null,
    })),
    scale: { min: q.scale?.min ?? 1, max: q.scale?.max ?? 5, minLabel: q.scale?.minLabel ?? '', maxLabel: q.scale?.maxLabel ?? '' },
    maxLength: q.maxLength ?? 500,
  };
}

export function formOf(s: SurveyAdminView): SurveyForm {
  return {
    title: s.title,
    description: s.description ?? '',
    thanks: s.thanks ?? '',
    anonymous: s.anonymous,
    channel: s.chat ? 'chat' : 'h5',
    points: s.points,
    opensAt: localOf(s.opensAt),
    closesAt: localOf(s.closesAt),
    targets: { ...s.targets },
    questions: s.questions.map(questionOf),
  };
}

const hasOptions = (q: QuestionForm) => q.type === 'single' || q.type === 'multiple' || (q.type === 'scale' && q.options.length > 0);

/** A question as the API takes it: option keys A, B, C … by position, marks only where set. */
export function toQuestion(q: QuestionForm): Question {
  const label = (s: string) => (s.trim() ? s.trim() : undefined);
  return {
    id: q.id,
    type: q.type,
    text: q.text.trim(),
    required: q.required,
    ...(q.demographic ? { demographic: q.demographic } : {}),
    ...(q.indicator && q.type !== 'text' ? { indicator: q.indicator } : {}),
    ...(hasOptions(q)
      ? {
          options: q.options.map((o, i) => ({
            key: letter(i),
            text: o.text.trim(),
            ...(o.aware ? { aware: true } : {}),
            ...(o.positive ? { positive: true } : {}),
            ...(o.score !== null && o.score !== undefined ? { score: o.score } : {}),
          })),
        }
      : {}),
    ...(q.type === 'scale' && !q.options.length
      ? { scale: { min: q.scale.min, max: q.scale.max, minLabel: label(q.scale.minLabel), maxLabel: label(q.scale.maxLabel) } }
      : {}),
    ...(q.type === 'text' ? { maxLength: q.maxLength } : {}),
  };
}

const instant = (local: string) => (local ? `${local}+08:00` : null);
const positiveTargets = (t: Record<string, number>) => Object.fromEntries(Object.entries(t).filter(([, n]) => n > 0));

/** The whole definition (POST /surveys). */
export function toBody(f: SurveyForm): CreateSurvey {
  return {
    title: f.title.trim(),
    description: f.description.trim() || undefined,
    thanks: f.thanks.trim() || undefined,
    anonymous: f.anonymous,
    chat: f.channel === 'auto' ? undefined : f.channel === 'chat',
    points: f.points,
    opensAt: instant(f.opensAt),
    closesAt: instant(f.closesAt),
    targets: positiveTargets(f.targets),
    questions: f.questions.map(toQuestion),
  };
}

/**
 * PATCH: only the fields that differ from the survey as loaded. A survey with responses refuses
 * any change to its questions, title or anonymity, so unchanged ones are never sent.
 */
export function toPatch(f: SurveyForm, loaded: SurveyForm): UpdateSurvey {
  const now: Record<string, unknown> = { ...toBody(f) };
  const before: Record<string, unknown> = { ...toBody(loaded) };
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(now)) if (JSON.stringify(v) !== JSON.stringify(before[k])) patch[k] = v === undefined ? null : v;
  // the API takes description / thanks as text: a cleared one is sent empty
  for (const k of ['description', 'thanks']) if (k in patch && patch[k] === null) patch[k] = '';
  return patch as UpdateSurvey;
}

/** The questions the resident page shows, from the form as it is now (for the preview). */
export const previewQuestions = (f: SurveyForm): PublicQuestion[] => f.questions.map((q) => toQuestion(q) as PublicQuestion);

export interface CommunityRow {
  code: string;
  name: string;
  /** district › street */
  area: string;
  population: number;
}

/** Every community of the region tree with where it lies, in tree order. */
export function communitiesOf(tree: RegionNode[]): CommunityRow[] {
  const rows: CommunityRow[] = [];
  const walk = (n: RegionNode, path: string[]) => {
    if (n.level === 'community') rows.push({ code: n.code, name: n.name, area: path.join(' › '), population: n.population });
    for (const c of n.children) walk(c, n.level === 'city' ? path : [...path, n.name]);
  };
  tree.forEach((n) => walk(n, []));
  return rows;
}

/** The usual sample: about 0.5 % of a community's population, at least 30 responses. */
export const SAMPLE_RATE = 0.005;
export const SAMPLE_MIN = 30;
export const suggestedTarget = (population: number) => Math.max(SAMPLE_MIN, Math.round(population * SAMPLE_RATE));

/** A validation error's details say which question: "questions.2.options" → 第 3 题. */
export function explainProblem(details: unknown, fallback: string): string {
  if (!Array.isArray(details) || !details.length) return fallback;
  return (details as Array<{ path?: unknown; message?: string }>)
    .map((d) => {
      const path = Array.isArray(d.path) ? d.path.join('.') : String(d.path ?? '');
      const m = /^questions\.(\d+)/.exec(path);
      return `${m ? `第 ${Number(m[1]) + 1} 题：` : ''}${d.message ?? ''}`;
    })
    .join('；');
}
