import { dayKey, now } from '../../core/time';
import { campaignSpan, counterWriter, type Instrument, type Period, resolvePeriod, withCounterCache } from '../counters';
import { indicatorStats, type IndicatorKind, type IndicatorStats, type StatsMode } from './indicator-rates';
import { knowledgeGaps, type KnowledgeGaps } from './knowledge-gaps';
import { participationStats, type ParticipationStats } from './participation';
import { sampleMonitor, type SampleMonitor } from './sample-monitor';
import { resolveRegion, type RegionScope } from './scope';
import type { StatsQuery } from './stats.schema';
import { tipoffStats, type TipoffStats } from './tipoff-figures';
import { volunteerStats, type VolunteerStats } from './volunteer-figures';

/** What a figure was computed for, written at the top of every response and export. */
export interface StatsFilters {
  region: { code: string | null; name: string; level: string | null };
  period: { kind: string; from: string; to: string; label: string; bucket: string | null };
}
type Filtered<T> = T & { filters: StatsFilters };

interface Context {
  scope: RegionScope;
  period: Period;
  filters: StatsFilters;
}

async function contextOf(q: StatsQuery): Promise<Context> {
  const scope = resolveRegion(q.region);
  const period = resolvePeriod(q, await campaignSpan());
  return {
    scope,
    period,
    filters: {
      region: { code: scope.code, name: scope.name, level: scope.level },
      period: { kind: period.kind, from: period.from, to: period.to, label: period.label, bucket: period.bucket },
    },
  };
}

/** Resolves the filters and computes with one read per counter document for the whole request. */
function compute<T>(q: StatsQuery, fn: (c: Context) => Promise<T>): Promise<Filtered<T>> {
  return withCounterCache(async () => {
    const c = await contextOf(q);
    return { filters: c.filters, ...(await fn(c)) };
  });
}

/**
 * A computed figure is shared by identical requests for up to RESULT_MS while this process has
 * changed no counter: the office's dashboards ask the same questions many times a second, and
 * the counters it is computed from are themselves shared for CACHE_MS. Callers must not modify it.
 */
export const RESULT_MS = 1000;
const results = new Map<string, { at: number; version: number; value: Promise<unknown> }>();

function computeShared<T>(topic: string, q: StatsQuery, fn: (c: Context) => Promise<T>): Promise<Filtered<T>> {
  const key = `${topic}|${dayKey(now())}|${JSON.stringify(q)}`;
  const t = Date.now();
  const hit = results.get(key);
  if (hit && hit.version === counterWriter.version && t - hit.at < RESULT_MS) return hit.value as Promise<Filtered<T>>;
  if (results.size > 1000) results.clear();
  const value = compute(q, fn);
  results.set(key, { at: t, version: counterWriter.version, value });
  value.catch(() => results.delete(key));
  return value;
}

export const getIndicatorStats = (
  kind: IndicatorKind,
  q: StatsQuery & { indicator?: string; source?: Instrument; mode?: StatsMode },
): Promise<Filtered<IndicatorStats>> =>
  computeShared(kind, q, (c) => indicatorStats(kind, q.source ?? 'survey', c.scope, c.period, q.indicator, q.mode ?? 'self'));
export const getParticipation = (q: StatsQuery): Promise<Filtered<ParticipationStats>> =>
  computeShared('participation', q, (c) => participationStats(c.scope, c.period));
export const getVolunteers = (q: StatsQuery): Promise<Filtered<VolunteerStats>> =>
  computeShared('volunteers', q, (c) => volunteerStats(c.scope, c.period));
export const getTipoffs = (q: StatsQuery): Promise<Filtered<TipoffStats>> =>
  computeShared('tipoffs', q, (c) => tipoffStats(c.scope, c.period));
export const getKnowledgeGaps = (q: StatsQuery & { quiz?: string }): Promise<Filtered<KnowledgeGaps>> =>
  computeShared('gaps', q, (c) => knowledgeGaps(c.scope, c.period, q.quiz));
export const getSampleMonitor = (q: StatsQuery & { survey?: string }): Promise<Filtered<SampleMonitor>> =>
  computeShared('sample', q, (c) => sampleMonitor(c.scope, c.period, q.survey));

export interface StatsReport {
  filters: StatsFilters;
  generatedAt: string;
  awareness: IndicatorStats;
  /** 答题知晓: awareness from quiz attempts, beside the survey's and never pooled with it */
  quizAwareness: IndicatorStats;
  support: IndicatorStats;
  satisfaction: IndicatorStats;
  participation: ParticipationStats;
  volunteers: VolunteerStats;
  tipoffs: TipoffStats;
  knowledgeGaps: KnowledgeGaps;
  sampleMonitor: SampleMonitor;
}

/** Every topic for one set of filters (the Excel report), computed over one set of counter reads. */
export function getReport(q: StatsQuery & { survey?: string; quiz?: string }, generatedAt: string): Promise<StatsReport> {
  return compute(q, async (c) => {
    const [awareness, quizAwareness, support, satisfaction, participation, volunteers, tipoffs, gaps, sample] = await Promise.all([
      indicatorStats('awareness', 'survey', c.scope, c.period),
      indicatorStats('awareness', 'quiz', c.scope, c.period),
      indicatorStats('support', 'survey', c.scope, c.period),
      indicatorStats('satisfaction', 'survey', c.scope, c.period),
      participationStats(c.scope, c.period),
      volunteerStats(c.scope, c.period),
      tipoffStats(c.scope, c.period),
      knowledgeGaps(c.scope, c.period, q.quiz),
      sampleMonitor(c.scope, c.period, q.survey),
    ]);
    return {
      generatedAt,
      awareness,
      quizAwareness,
      support,
      satisfaction,
      participation,
      volunteers,
      tipoffs,
      knowledgeGaps: gaps,
      sampleMonitor: sample,
    };
  });
}
