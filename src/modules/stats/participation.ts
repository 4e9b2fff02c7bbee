import { communitiesUnder } from '../regions';
import { counterIds, NO_REGION, num, type ParticipationKind, type Period, readCounters } from '../counters';
import { dailyActs, dailyParticipants, distinctParticipants } from './participants';
import { wilson, type Rate } from './rates';
import type { RegionScope } from './scope';
import { participationKinds as declaredKinds } from '../manifest';

export interface KindFigures {
  participants: number;
  acts: number;
  rate: Rate;
}

export interface ParticipationStats {
  participants: number;
  population: number;
  rate: Rate;
  knownResidents: number;
  rateOfKnown: Rate;
  /** city-wide only: participants who have not chosen a community (in `participants`, in no row) */
  unassignedParticipants: number;
  /** how distinct residents were counted: a calendar bucket, or the gap counters for other ranges */
  method: 'bucket' | 'gaps';
  byKind: Record<ParticipationKind, KindFigures>;
  byRegion: Array<{
    code: string;
    name: string;
    level: string;
    population: number;
    participants: number;
    rate: Rate;
    knownResidents: number;
    rateOfKnown: Rate;
  }>;
  /** per day: participants, acts, and the acts of each declared kind under its kind */
  byDay: Array<{ day: string; participants: number; acts: number; [kind: string]: string | number }>;
}

const sumOver = (m: Map<string, number>, keys: string[]) => keys.reduce((s, k) => s + (m.get(k) ?? 0), 0);

/**
 * 参与率: distinct residents with at least one participation in the period over the census
 * population (Wilson interval on those counts), and beside it over the residents known to the
 * system in those communities (`rateOfKnown`, community residents only). By kind, region and day.
 */
export async function participationStats(scope: RegionScope, period: Period): Promise<ParticipationStats> {
  const keys = scope.keys;
  const communityKeys = scope.communities.map((c) => c.code);
  const participationKinds = declaredKinds().map((k) => k.kind);
  const [all, kinds, known, daily, acts] = await Promise.all([
    distinctParticipants('all', keys, period),
    Promise.all(participationKinds.map((k) => distinctParticipants(k, keys, period))),
    readCounters(communityKeys.map((c) => counterIds.known(c))),
    dailyParticipants('all', keys, period),
    Promise.all(participationKinds.map((k) => dailyActs(k, keys, period))),
  ]);
  const knownOf = (codes: string[]) => codes.reduce((s, c) => s + num(known.get(counterIds.known(c))!.n), 0);
  const participants = sumOver(all, keys);
  const knownResidents = knownOf(communityKeys);
  const byKind = Object.fromEntries(
    participationKinds.map((k, i) => {
      const p = sumOver(kinds[i]!, keys);
      return [k, { participants: p, acts: sumOver(acts[i]!, [...acts[i]!.keys()]), rate: wilson(p, scope.population) }];
    }),
  ) as Record<ParticipationKind, KindFigures>;
  return {
    participants,
    population: scope.population,
    rate: wilson(participants, scope.population),
    knownResidents,
    rateOfKnown: wilson(sumOver(all, communityKeys), knownResidents),
    unassignedParticipants: scope.cityWide ? (all.get(NO_REGION) ?? 0) : 0,
    method: period.bucket ? 'bucket' : 'gaps',
    byKind,
    byRegion: scope.children.map((child) => {
      const codes = communitiesUnder(child.code).map((c) => c.code);
      const p = sumOver(all, codes);
      const k = knownOf(codes);
      return {
        code: child.code,
        name: child.name,
        level: child.level,
        population: child.population,
        participants: p,
        rate: wilson(p, child.population),
        knownResidents: k,
        rateOfKnown: wilson(p, k),
      };
    }),
    byDay: [...daily].map(([day, p]) => {
      const perKind = Object.fromEntries(participationKinds.map((k, i) => [k, acts[i]!.get(day) ?? 0])) as Record<
        ParticipationKind,
        number
      >;
      return { day, participants: p, acts: participationKinds.reduce((s, k) => s + perKind[k], 0), ...perKind };
    }),
  };
}
