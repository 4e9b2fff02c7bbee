import { communitiesUnder } from '../regions/regions.service';
import { volunteerCounterIds } from '../volunteers/volunteers.counters';
import { num, readCounters } from './counter-reader';
import { wilson, type Rate } from './rates';
import type { RegionScope } from './scope';

/** 志愿者人数占常住人口的比例: the campaign's target. */
export const VOLUNTEER_TARGET = 0.1;

/** The volunteers module's counters: c.n registered, c.minutes served, c.served services. */
const volunteerCounterId = (region: string) => volunteerCounterIds.region(region);

export interface VolunteerRow {
  volunteers: number;
  population: number;
  rate: Rate;
  meetsTarget: boolean;
  hours: number;
  services: number;
}

export interface VolunteerStats extends VolunteerRow {
  target: number;
  byRegion: Array<VolunteerRow & { code: string; name: string; level: string }>;
}

/**
 * Registered volunteers of the region over its census population (target ≥ 10 %) and service hours.
 * Both are stocks kept by the volunteers module since the campaign began, so the period does not
 * narrow them. Reads one counter per community.
 */
export async function volunteerStats(scope: RegionScope): Promise<VolunteerStats> {
  const docs = await readCounters(scope.keys.map(volunteerCounterId));
  const row = (codes: string[], population: number): VolunteerRow => {
    let volunteers = 0;
    let minutes = 0;
    let services = 0;
    for (const code of codes) {
      const c = docs.get(volunteerCounterId(code)) ?? {};
      volunteers += num(c.n);
      minutes += num(c.minutes);
      services += num(c.served);
    }
    const rate = wilson(volunteers, population);
    return { volunteers, population, rate, meetsTarget: (rate.rate ?? 0) >= VOLUNTEER_TARGET, hours: minutes / 60, services };
  };
  const overall = row(scope.keys, scope.population);
  return {
    ...overall,
    target: VOLUNTEER_TARGET,
    byRegion: scope.children.map((child) => ({
      code: child.code,
      name: child.name,
      level: child.level,
      ...row(communitiesUnder(child.code).map((c) => c.code), child.population),
    })),
  };
}

