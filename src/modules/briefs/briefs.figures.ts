import { addDays, dayKey, isoWeekKey } from '../../core/time';
import { listUnits } from '../catalog';
import { resolvePeriod, type Period } from '../counters';
import { getIndicatorStats, getParticipation, getTipoffs, getVolunteers, noRate, type Rate, type StatsQuery } from '../stats';
import type { BriefFigures, KeyRate, RateFigure } from './briefs.schema';

const plain = (r: Rate): RateFigure => ({ rate: r.rate, ci: r.ci, n: r.n, lowSample: r.lowSample });

/** The week a brief made at `at` covers: the last whole Monday–Sunday before it. */
export function briefWeek(at: Date): Period {
  return resolvePeriod({ period: 'week', date: addDays(dayKey(at), -7) }, { first: null, last: null });
}

/**
 * One week's figures, city-wide, through the very service functions behind GET /api/v1/stats/* with
 * the query `?period=week&date=<a day of the week>` — so the brief's numbers are the endpoints'.
 */
async function weekFigures(monday: string) {
  const q: StatsQuery = { period: 'week', date: monday };
  const [participation, awareness, quizAwareness, satisfaction, support, volunteers, tipoffs] = await Promise.all([
    getParticipation(q),
    getIndicatorStats('awareness', q),
    getIndicatorStats('awareness', { ...q, source: 'quiz' }),
    getIndicatorStats('satisfaction', q),
    getIndicatorStats('support', q),
    getVolunteers(q),
    getTipoffs(q),
  ]);
  return { participation, awareness, quizAwareness, satisfaction, support, volunteers, tipoffs };
}

function keyRate(key: KeyRate['key'], title: string, current: Rate, previous: Rate, extra: Partial<KeyRate> = {}): KeyRate {
  const change = current.rate !== null && previous.rate !== null ? current.rate - previous.rate : null;
  return { key, title, current: plain(current), previous: plain(previous), change, ...extra };
}

/**
 * The brief's numbers: this week and the week before (see weekFigures). Indicator rates are the
 * survey's population-weighted ones (post-stratified by community), the city's official estimate;
 * 答题知晓 (quiz attempts) stands beside them as its own figure.
 */
export async function computeBriefFigures(week: Period): Promise<BriefFigures> {
  const previous = resolvePeriod({ period: 'week', date: addDays(week.from, -7) }, { first: null, last: null });
  const [now, before] = await Promise.all([weekFigures(week.from), weekFigures(previous.from)]);
  const unitNames = new Map(listUnits().map((u) => [u.code, u.name]));
  return {
    week: isoWeekKey(week.from),
    label: week.label,
    from: week.from,
    to: week.to,
    previousFrom: previous.from,
    previousTo: previous.to,
    rates: [
      keyRate('awareness', '知晓率（问卷）', now.awareness.overall.weighted, before.awareness.overall.weighted),
      keyRate('quizAwareness', '答题知晓', now.quizAwareness.overall.unweighted, before.quizAwareness.overall.unweighted),
      keyRate('participation', '参与率', now.participation.rate, before.participation.rate),
      keyRate('satisfaction', '满意度（问卷）', now.satisfaction.overall.weighted, before.satisfaction.overall.weighted, {
        meanScore: now.satisfaction.overall.meanScore ?? null,
        previousMeanScore: before.satisfaction.overall.meanScore ?? null,
      }),
      keyRate('support', '支持率（问卷）', now.support.overall.weighted, before.support.overall.weighted),
      // A stock as of each week's last day: the change is the registrations net of withdrawals between them.
      keyRate('volunteers', '志愿者注册率', now.volunteers.rate, before.volunteers.rate),
      keyRate('rectification', '整改率', now.tipoffs.rectificationRate, before.tipoffs.rectificationRate),
      keyRate('onTime', '按时整改率', now.tipoffs.onTimeRate, before.tipoffs.onTimeRate),
    ],
    participation: {
      participants: now.participation.participants,
      previousParticipants: before.participation.participants,
      population: now.participation.population,
    },
    tipoffs: {
      total: now.tipoffs.total,
      previousTotal: before.tipoffs.total,
      accepted: now.tipoffs.accepted,
      rectified: now.tipoffs.rectified,
      overdue: now.tipoffs.overdue,
    },
    districts: now.participation.byRegion.map((r) => ({
      code: r.code,
      name: r.name,
      participation: plain(r.rate),
      awareness: plain(now.awareness.byRegion.find((a) => a.code === r.code)?.weighted ?? noRate()),
    })),
    units: now.tipoffs.byUnit.map((u) => ({
      rank: u.rank,
      code: u.code,
      name: unitNames.get(u.code) ?? u.name,
      accepted: u.accepted,
      rectified: u.rectified,
      overdue: u.overdue,
      rectificationRate: plain(u.rectificationRate),
      onTimeRate: plain(u.onTimeRate),
      medianHoursToRectify: u.medianHoursToRectify,
      rankingRate: plain(u.rankingRate),
      lowSample: u.lowSample,
    })),
  };
}
