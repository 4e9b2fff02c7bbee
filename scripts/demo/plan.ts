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
  return { aware: 0.55 + 0.35 * t, support: 0.8 + 0.15 * ((h >> 3) % 100) / 100, satisfied: 0.55 + 0.3 * ((h >> 7) % 100) / 100 };
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
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '晓东'];
export const realName = (rand: Rand): string => pick(rand, SURNAMES) + pick(rand, GIVEN) + (chance(rand, 0.4) ? pick(rand, GIVEN) : '');
const NICK = ['晨跑的', '爱读书的', '热心的', '湖边的', '老', '小', '爱种花的', '退休的', '上班族', '跳广场舞的'];
export const nickname = (rand: Rand, i: number): string => `${pick(rand, NICK)}${pick(rand, SURNAMES)}${i % 97}`;

/** What residents write when they report each kind of problem. */
export const TIPOFF_TEXTS: Record<string, string[]> = {
  littering: ['小区门口垃圾堆放多日无人清理', '绿化带里有大量塑料袋和饮料瓶', '路边有人随手丢弃垃圾'],
  'illegal-parking': ['电动车停满人行道，行人只能走机动车道', '消防通道被私家车占用', '共享单车堆在公交站台'],
  'street-vending': ['早市摊贩占用人行道经营', '夜宵摊占道，油烟和垃圾很多', '路口有流动摊贩堵住盲道'],
  graffiti: ['楼道墙上贴满小广告', '电线杆上的牛皮癣一直没人清理'],
  spitting: ['公交站有人随地吐痰'],
  'dog-walking': ['遛狗不牵绳，小孩被吓哭', '草坪上狗粪无人清理'],
  'red-light': ['路口行人和电动车经常闯红灯'],
  'illegal-building': ['一楼住户私自搭建阳光房', '楼顶有人加盖违建'],
  noise: ['夜间施工噪音太大', '广场舞音响声音过大影响休息'],
  'damaged-facility': ['人行道地砖松动，下雨溅水', '路灯坏了好几天', '健身器材损坏有安全隐患'],
  'overflowing-bins': ['垃圾桶满溢，臭味很大', '分类垃圾桶长时间没人清运'],
  'shop-front': ['商铺门前乱堆杂物，门前三包没落实', '店门口占道摆放货架'],
  'greenery-damage': ['有人毁绿种菜', '绿化带被踩出小路'],
};
