import type { RegionNode } from '../../src/modules/regions/regions.schema';

/** Deterministic randomness, so two runs of the demo seed with the same options give the same city. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export type Rand = () => number;
export const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
export const chance = (rand: Rand, p: number): boolean => rand() < p;
export const between = (rand: Rand, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

/** A community weighted by its population (bigger communities have more active residents). */
export function weightedCommunity(rand: Rand, communities: RegionNode[]): RegionNode {
  const total = communities.reduce((s, c) => s + c.population, 0);
  let x = rand() * total;
  for (const c of communities) if ((x -= c.population) < 0) return c;
  return communities[communities.length - 1]!;
}

/**
 * How a community's residents tend to answer: some communities have run more campaign activities
 * (higher awareness and satisfaction), so the dashboard shows real differences between regions.
 */
export interface Temperament {
  aware: number;
  support: number;
  satisfied: number;
}
export function temperamentOf(code: string): Temperament {
  let h = 0;
  for (const ch of code) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const t = (h % 1000) / 1000;
  return { aware: 0.55 + 0.35 * t, support: 0.8 + (0.15 * ((h >> 3) % 100)) / 100, satisfied: 0.55 + (0.3 * ((h >> 7) % 100)) / 100 };
}

/**
 * One resident's own leaning around the community's: people differ (some know most of the campaign,
 * some little), so one person's answers agree with each other as real answer sheets do, and the
 * rates' design effect on demo data is what a real survey shows, not that of independent coin flips.
 */
export function personalTemperament(rand: Rand, t: Temperament): Temperament {
  const lean = (x: number) => Math.min(0.98, Math.max(0.05, x + (rand() - 0.5) * 0.7));
  return { aware: lean(t.aware), support: lean(t.support), satisfied: lean(t.satisfied) };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '晓东',
];
export const realName = (rand: Rand): string => pick(rand, SURNAMES) + pick(rand, GIVEN) + (chance(rand, 0.4) ? pick(rand, GIVEN) : '');
const NICK = ['晨跑的', '爱读书的', '热心的', '湖边的', '老', '小', '爱种花的', '退休的', '上班族', '跳广场舞的'];
export const nickname = (rand: Rand, i: number): string => `${pick(rand, NICK)}${pick(rand, SURNAMES)}${i % 97}`;
