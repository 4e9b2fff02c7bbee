import { AppError } from '../../core/errors';
import { regionLabel } from '../regions/regions.service';
import { surveyCounterId } from '../surveys/surveys.counters';
import { listSurveys, type SurveyDoc } from '../surveys/surveys.service';
import { num, readCounters, sub } from './counter-reader';
import { indicatorsOfKind, readIndicatorCells } from './indicator-rates';
import type { Period } from './periods';
import { wilson, type Rate } from './rates';
import type { RegionScope } from './scope';

export interface SampleRow {
  code: string;
  name: string;
  population: number;
  /** the survey's target responses for the community (0 when it set none) */
  target: number;
  /** the survey's responses counted for the community */
  achieved: number;
  progress: number | null;
  met: boolean;
  /** the community's unweighted awareness rate in the period (all awareness indicators) */
  awareness: Rate;
  /** ± half the width of that rate's 95 % interval; null without answers */
  marginOfError: number | null;
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

/**
 * 样本监测: per community of the region, the survey's target and achieved responses beside the
 * awareness rate those answers support and its margin of error, so the office sees where more
 * answers are needed. Reads the survey's counter and the awareness counters; no response is read.
 */
export async function sampleMonitor(scope: RegionScope, period: Period, surveyId?: string): Promise<SampleMonitor> {
  const survey = await chooseSurvey(surveyId);
  const codes = scope.communities.map((c) => c.code);
  const indicators = indicatorsOfKind('awareness').map((i) => i.code);
  const [counters, cells] = await Promise.all([
    survey ? readCounters([surveyCounterId(survey._id)]) : Promise.resolve(new Map()),
    readIndicatorCells(indicators, codes, period),
  ]);
  const byRegion = survey ? sub(sub(counters.get(surveyCounterId(survey._id))).r) : {};
  const items = scope.communities.map((c): SampleRow => {
    const target = survey?.targets?.[c.code] ?? 0;
    const achieved = num(byRegion[c.code]);
    let n = 0;
    let k = 0;
    for (const i of indicators) {
      const cell = cells.cells.get(`${i}|${c.code}`)!;
      n += cell.n;
      k += cell.k;
    }
    const awareness = wilson(k, n);
    return {
      code: c.code,
      name: regionLabel(c.code),
      population: c.population,
      target,
      achieved,
      progress: target ? achieved / target : null,
      met: target > 0 && achieved >= target,
      awareness,
      marginOfError: awareness.ci ? (awareness.ci[1] - awareness.ci[0]) / 2 : null,
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
