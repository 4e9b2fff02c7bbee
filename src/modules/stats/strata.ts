import { type RegionNode, regionPath } from '../regions';
import { addSums, emptySums, poststratified, type Rate, type Sums } from './rates';

/** A stratum formed by merging thin communities: the street, district or region it became. */
export interface CollapsedStratum {
  code: string;
  name: string;
  level: string;
  /** the communities with responses merged into it */
  communities: string[];
  /** responses (people) in it */
  n: number;
}

export type WeightedRate = Rate & { collapsed: CollapsedStratum[] };

/** Strata need at least this many responses for a variance (m − 1 in its denominator). */
export const MIN_STRATUM = 2;

interface Group {
  node: RegionNode | null;
  members: RegionNode[];
  sums: Sums;
}

const populationOf = (g: Group) => g.members.reduce((a, c) => a + c.population, 0);

/** The ancestor of a community at `level`, never above the region R the figure is for. */
function ancestorAt(community: RegionNode, level: RegionNode['level'], top: RegionNode | null): RegionNode | null {
  const path = regionPath(community.code);
  const topIndex = top ? path.findIndex((n) => n.code === top.code) : -1;
  const at = path.findIndex((n) => n.level === level);
  if (at < 0 || at < topIndex) return top;
  return path[at]!;
}

function merge(groups: Group[], node: RegionNode | null): Group {
  const sums = emptySums();
  for (const g of groups) addSums(sums, g.sums);
  return { node, members: groups.flatMap((g) => g.members), sums };
}

/**
 * Forms the strata of a post-stratified rate over region R: each community with responses is a
 * stratum; a street with a community of fewer than MIN_STRATUM responses becomes one stratum of all
 * its communities with responses, then likewise a district, then R itself. Communities without
 * responses are in no stratum (their population is not in the weights).
 */
export function formStrata(communities: RegionNode[], sumsOf: (code: string) => Sums, top: RegionNode | null): Group[] {
  let groups: Group[] = communities.filter((c) => sumsOf(c.code).m > 0).map((c) => ({ node: c, members: [c], sums: sumsOf(c.code) }));
  for (const level of ['street', 'district'] as const) {
    const thin = new Set(groups.filter((g) => g.sums.m < MIN_STRATUM).map((g) => ancestorAt(g.members[0]!, level, top)?.code ?? null));
    if (!thin.size) return groups;
    const byAncestor = new Map<string | null, Group[]>();
    const kept: Group[] = [];
    for (const g of groups) {
      const a = ancestorAt(g.members[0]!, level, top);
      if (!thin.has(a?.code ?? null)) kept.push(g);
      else byAncestor.set(a?.code ?? null, [...(byAncestor.get(a?.code ?? null) ?? []), g]);
    }
    groups = [...kept, ...[...byAncestor].map(([, gs]) => merge(gs, ancestorAt(gs[0]!.members[0]!, level, top)))];
  }
  if (groups.length > 1 && groups.some((g) => g.sums.m < MIN_STRATUM)) groups = [merge(groups, top)];
  return groups;
}

/** The post-stratified rate of DESIGN's weighting with the merged strata named in `collapsed`. */
export function weightedRate(communities: RegionNode[], sumsOf: (code: string) => Sums, top: RegionNode | null): WeightedRate {
  const groups = formStrata(communities, sumsOf, top);
  const rate = poststratified(groups.map((g) => ({ population: populationOf(g), sums: g.sums })));
  const collapsed = groups
    .filter((g) => g.node?.level !== 'community')
    .map((g) => ({
      code: g.node?.code ?? '',
      name: g.node?.name ?? '全市',
      level: g.node?.level ?? 'city',
      communities: g.members.map((c) => c.code).sort(),
      n: g.sums.m,
    }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  return { ...rate, collapsed };
}
