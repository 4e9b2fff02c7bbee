import { dayKey, now } from '../../core/time';
import { communitiesUnder } from '../regions';
import { volunteerCounterIds } from '../volunteers';
import { type CounterValues, num, type Period, periodYears, readCounters, sub } from '../counters';
import { wilson, type Rate } from './rates';
import type { RegionScope } from './scope';

/** 志愿者人数占常住人口的比例: the campaign's target. */
export const VOLUNTEER_TARGET = 0.1;

export interface VolunteerRow {
  /** registered by the end of the period (and still registered) */
  volunteers: number;
  population: number;
  /** volunteers / population, as of the end of the period */
  rate: Rate;
  meetsTarget: boolean;
  /** registered in the period (and still registered) */
  registrations: number;
  /** hours served in the period (check-outs of its days) */
  hours: number;
  /** services (volunteer × activity) completed in the period */
  services: number;
}

/** Which figures are a stock at the period's end and which a flow within it, as the response says. */
export const volunteerBasis = {
  volunteers: 'endOfPeriod',
  rate: 'endOfPeriod',
  registrations: 'period',
  hours: 'period',
  services: 'period',
} as const;

export interface VolunteerStats extends VolunteerRow {
  target: number;
  /** the last day the stock figures (volunteers, rate) are counted to */
  asOf: string;
  basis: typeof volunteerBasis;
  byRegion: Array<VolunteerRow & { code: string; name: string; level: string }>;
}

/** Years whose day counters can hold registrations after the period (to be taken off today's stock). */
function laterYears(period: Period, today: string): string[] {
  const out: string[] = [];
  for (let y = Number(period.to.slice(0, 4)); y <= Number(today.slice(0, 4)); y++) out.push(String(y));
  return out;
}

/**
 * 志愿者注册率 and service of a region and period. Volunteers and the rate are counted as of the
 * period's end: today's registrations (vol:<community> c.n) less those registered after it
 * (volday:<community>:<year> c[day].r). Registrations, hours and services are those of the period's
 * days. Reads O(communities × years) documents by _id.
 */
export async function volunteerStats(scope: RegionScope, period: Period): Promise<VolunteerStats> {
  const today = dayKey(now());
  const years = [...new Set([...periodYears(period), ...laterYears(period, today)])];
  const ids = scope.keys.flatMap((r) => [volunteerCounterIds.region(r), ...years.map((y) => volunteerCounterIds.days(r, y))]);
  const docs = await readCounters(ids);
  const daysOf = (code: string): Array<[string, CounterValues]> =>
    years.flatMap((y) =>
      Object.entries(docs.get(volunteerCounterIds.days(code, y)) ?? {}).map(([day, v]): [string, CounterValues] => [day, sub(v)]),
    );
  const row = (codes: string[], population: number): VolunteerRow => {
    let [volunteers, registrations, minutes, services] = [0, 0, 0, 0];
    for (const code of codes) {
      volunteers += num(docs.get(volunteerCounterIds.region(code))?.n);
      for (const [day, c] of daysOf(code)) {
        if (day > period.to) volunteers -= num(c.r);
        else if (day >= period.from) {
          registrations += num(c.r);
          minutes += num(c.m);
          services += num(c.s);
        }
      }
    }
    const rate = wilson(volunteers, population);
    return {
      volunteers,
      population,
      rate,
      meetsTarget: (rate.rate ?? 0) >= VOLUNTEER_TARGET,
      registrations,
      hours: minutes / 60,
      services,
    };
  };
  const overall = row(scope.keys, scope.population);
  return {
    ...overall,
    target: VOLUNTEER_TARGET,
    asOf: period.to,
    basis: volunteerBasis,
    byRegion: scope.children.map((child) => ({
      code: child.code,
      name: child.name,
      level: child.level,
      ...row(
        communitiesUnder(child.code).map((c) => c.code),
        child.population,
      ),
    })),
  };
}
