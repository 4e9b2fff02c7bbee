import { AppError } from '../../core/errors';
import { regionLabel } from '../regions';
import { marginOfError } from '../fieldwork';
import { listSurveys, type SurveyDoc } from '../surveys';
import { counterIds, num, type Period, periodDays, periodYears, readCounters } from '../counters';
import { communityRates } from './indicator-rates';
import { LOW_SAMPLE, type Rate } from './rates';
import type { RegionScope } from './scope';

export interface SampleRow {
  code: string;
  name: string;
  population: number;
  /** the survey's target responses for the community (0 when it set none) */
  target: number;
  /** the survey's responses (people) counted for the community in the period */
  achieved: number;
  progress: number | null;
  met: boolean;
  /** achieved < 30: 样本不足 */
  lowSample: boolean;
  /** margin of error at p = 0.5 with the finite-population correction; null without responses */
  marginOfError: number | null;
  /** the community's 知晓率 from the survey responses of the period */
  awareness: Rate;
}

export interface SampleMonitor {
  survey: { id: string; title: string } | null;
  target: number;
  achieved: number;
  /** Σ min(achieved, target): responses that count towards the targets */
  achievedOfTarget: number;
  items: SampleRow[];
}

/** The survey asked for, else the first published survey with sample targets (open ones first). */
async function chooseSurvey(id?: string): Promise<SurveyDoc | null> {
  const surveys = await listSurveys({ drafts: true });
  if (id) {
    const s = surveys.find((x) => x._id === id);
    if (!s) throw new AppError('VALIDATION_FAILED', `查询参数无效：问卷 ${id} 不存在`, [{ path: 'survey', message: '问卷不存在' }]);
    return s;
  }
  return surveys.find((s) => Object.keys(s.targets ?? {}).length > 0) ?? null;
}

/** Responses to one survey per community over the period's days, from its per-day counters. */
async function responsesIn(surveyId: string, codes: string[], period: Period): Promise<Map<string, number>> {
  const years = periodYears(period);
  const days = new Set(periodDays(period));
  const docs = await readCounters(codes.flatMap((c) => years.map((y) => counterIds.instrumentResponses('survey', surveyId, c, y))));
  return new Map(
    codes.map((c) => {
      let m = 0;
      for (const y of years)
        for (const [day, v] of Object.entries(docs.get(counterIds.instrumentResponses('survey', surveyId, c, y))!))
          if (days.has(day)) m += num(v);
      return [c, m];
    }),
  );
}

/**
 * 样本监测: per community of the region, the survey's target beside the responses (people) achieved
 * in the period, the margin of error they allow and the 知晓率 they give, so the office sees where
 * more respondents are needed. Reads counters only; no response is read.
 */
export async function sampleMonitor(scope: RegionScope, period: Period, surveyId?: string): Promise<SampleMonitor> {
  const survey = await chooseSurvey(surveyId);
  const codes = scope.communities.map((c) => c.code);
  const [achievedBy, awareness] = await Promise.all([
    survey ? responsesIn(survey._id, codes, period) : Promise.resolve(new Map<string, number>()),
    communityRates('awareness', codes, period),
  ]);
  const items = scope.communities.map((c): SampleRow => {
    const target = survey?.targets?.[c.code] ?? 0;
    const achieved = achievedBy.get(c.code) ?? 0;
    return {
      code: c.code,
      name: regionLabel(c.code),
      population: c.population,
      target,
      achieved,
      progress: target ? achieved / target : null,
      met: target > 0 && achieved >= target,
      lowSample: achieved < LOW_SAMPLE,
      marginOfError: marginOfError(achieved, c.population),
      awareness: awareness.get(c.code)!,
    };
  });
  return {
    survey: survey ? { id: survey._id, title: survey.title } : null,
    target: items.reduce((s, i) => s + i.target, 0),
    achieved: items.reduce((s, i) => s + i.achieved, 0),
    achievedOfTarget: items.reduce((s, i) => s + Math.min(i.achieved, i.target), 0),
    items,
  };
}
