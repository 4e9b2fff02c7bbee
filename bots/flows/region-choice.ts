import { type RegionNode, findRegion, regionLabel } from '../../src/modules/regions';
import { pickFrom } from '../pick';
import type { FlowContext } from './flow';

/** What each level is called in a prompt ("请选择…街道"). */
export const levelName: Record<string, string> = { district: '区', street: '街道', community: '社区' };

/** What a reply to a region list means: a region, a short list of candidates to choose from, or nothing. */
export type RegionChoice = { region: RegionNode } | { candidates: RegionNode[]; text: string } | { none: true };

/** Every street and community under a region, for names typed at a level above them. */
function below(parent: RegionNode): RegionNode[] {
  const out: RegionNode[] = [];
  const walk = (n: RegionNode) => n.children.forEach((c) => (out.push(c), walk(c)));
  walk(parent);
  return out;
}

const labelled = (list: RegionNode[]) => list.map((r, i) => `${i + 1}. ${regionLabel(r.code)}`);

/**
 * Reads a reply to a region list: its number, its name or part of it ("望湖"), or the name of a
 * street or community further down (a resident knows their community, not always its district).
 * Earlier candidates (from an ambiguous name) are numbered first.
 */
export function readRegionChoice(ctx: FlowContext, parent: RegionNode, candidates: string[] = []): RegionChoice {
  const offered = candidates.map((c) => findRegion(c)).filter((r): r is RegionNode => Boolean(r));
  if (offered.length) {
    const r = pickFrom(ctx.text, offered, (x) => x.name);
    if ('item' in r) return { region: r.item };
    if (/^\d+$/.test(ctx.text)) return { none: true };
  }
  const here = ctx.pickOrList(parent.children, (r) => r.name);
  if ('item' in here) return { region: here.item };
  if (/^\d+$/.test(ctx.text)) return { none: true };
  const deeper = 'several' in here ? here.several.map((s) => s.item) : pickAll(ctx.text, below(parent));
  if (deeper.length === 1) return { region: deeper[0]! };
  if (!deeper.length) return { none: true };
  const shown = deeper.slice(0, 8);
  return {
    candidates: shown,
    text: [
      `有 ${deeper.length} 处与“${ctx.inbound.kind === 'text' ? ctx.inbound.text.trim() : ''}”相符：`,
      ...labelled(shown),
      '请回复序号选择。',
    ].join('\n'),
  };
}

function pickAll(text: string, regions: RegionNode[]): RegionNode[] {
  const r = pickFrom(text, regions, (x) => x.name);
  if ('item' in r) return [r.item];
  return 'several' in r ? r.several.map((s) => s.item) : [];
}

/** "请回复序号，或名称（如“望湖”）": the hint after a reply that matched nothing. */
export function regionHint(parent: RegionNode, said: string): string {
  const example = parent.children[0]?.name.replace(/(社区|街道|区)$/, '') ?? '';
  const what = said && !/^\d+$/.test(said) ? `没有找到“${said}”。` : '';
  return `${what}请回复列表中的序号（1-${parent.children.length}），或直接回复名称，如“${example}”。`;
}
