import { AppError } from '../../core/errors';
import { communitiesUnder, findRegion, type RegionNode, regionTree } from '../regions';
import { NO_REGION } from '../counters';

/** The region filter of a statistics request, resolved against the region tree. */
export interface RegionScope {
  code: string | null;
  name: string;
  level: RegionNode['level'] | null;
  population: number;
  communities: RegionNode[];
  /** city-wide: residents without a community count in the unweighted figures */
  cityWide: boolean;
  /** the rows of a by-region breakdown: the children, or the community itself */
  children: RegionNode[];
  /** region keys whose counters make up the unweighted figures */
  keys: string[];
}

export function resolveRegion(code?: string): RegionScope {
  const roots = regionTree();
  const node = code ? findRegion(code) : roots.length === 1 ? roots[0] : undefined;
  if (code && !node)
    throw new AppError('VALIDATION_FAILED', `查询参数无效：区域 ${code} 不存在`, [{ path: 'region', message: '区域不存在' }]);
  const communities = communitiesUnder(node?.code);
  const cityWide = !node || roots.includes(node);
  const children = node ? (node.children.length ? node.children : [node]) : roots;
  return {
    code: node?.code ?? null,
    name: node?.name ?? '全市',
    level: node?.level ?? null,
    population: communities.reduce((s, c) => s + c.population, 0),
    communities,
    cityWide,
    children,
    keys: [...communities.map((c) => c.code), ...(cityWide ? [NO_REGION] : [])],
  };
}

/** Community code → the breakdown row (child of the scope) it belongs to. */
export function rowOfCommunity(scope: RegionScope): Map<string, RegionNode> {
  const out = new Map<string, RegionNode>();
  for (const child of scope.children) for (const c of communitiesUnder(child.code)) out.set(c.code, child);
  return out;
}
