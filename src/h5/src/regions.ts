import { api } from './api';
import type { RegionNode } from './types';

/** The region tree (city › district › street › community), fetched once per page load. */
let tree: Promise<RegionNode[]> | undefined;

export function loadRegions(): Promise<RegionNode[]> {
  tree ??= api.get<RegionNode[]>('/api/v1/regions').catch((err) => {
    tree = undefined; // let the next caller retry
    throw err;
  });
  return tree;
}

export interface CascaderOption {
  text: string;
  value: string;
  children?: CascaderOption[];
}

/**
 * Cascader options from district down to community: the city level is skipped (there is one city).
 * A leaf gets no `children` key at all, which is what tells Vant's Cascader the choice is finished.
 */
export function regionOptions(roots: RegionNode[]): CascaderOption[] {
  const top = roots.length === 1 && roots[0]!.level === 'city' ? roots[0]!.children : roots;
  const toOption = (n: RegionNode): CascaderOption =>
    n.children.length ? { text: n.name, value: n.code, children: n.children.map(toOption) } : { text: n.name, value: n.code };
  return top.map(toOption);
}

export async function cityName(): Promise<string> {
  const roots = await loadRegions();
  return roots.length === 1 && roots[0]!.level === 'city' ? roots[0]!.name : '';
}
