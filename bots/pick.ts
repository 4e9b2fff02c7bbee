import { normalizeText } from './messages';

/** Words people add around a name that are not part of it ("望湖社区" → "望湖"). */
const SUFFIXES = /(社区|街道|村|镇|乡|区|县|市|类|问题|活动|问卷)$/;
const core = (s: string) => s.replace(SUFFIXES, '') || s;

/** How a choice reads: its list number, its exact label, or a part of the label. */
export type PickResult<T> = { item: T } | { several: Array<{ number: number; item: T }> } | { none: true };

/**
 * Reads a numbered choice the way people answer: "3", "望湖社区", "望湖", "噪音". A part of a name
 * picks the item when only one label contains it; several give a short list to choose from.
 */
export function pickFrom<T>(text: string, items: readonly T[], label: (item: T) => string): PickResult<T> {
  if (/^\d+$/.test(text)) {
    const item = items[Number(text) - 1];
    return item === undefined ? { none: true } : { item };
  }
  const labels = items.map((it) => normalizeText(label(it)));
  const exact = labels.indexOf(text);
  if (exact >= 0) return { item: items[exact]! };
  const wanted = core(text);
  // a part must say something: at least one Chinese character or two letters
  if (!wanted || !/[\u4e00-\u9fa5]|^[a-z0-9]{2,}/.test(wanted)) return { none: true };
  const found = labels.flatMap((l, i) => (l.includes(wanted) ? [{ number: i + 1, item: items[i]! }] : []));
  if (found.length === 1) return { item: found[0]!.item };
  return found.length ? { several: found } : { none: true };
}

/** The reply to an ambiguous name: the matching items with their list numbers. */
export function severalText<T>(said: string, several: Array<{ number: number; item: T }>, label: (item: T) => string): string {
  const lines = several.slice(0, 8).map((s) => `${s.number}. ${label(s.item)}`);
  return [`有 ${several.length} 项与“${said}”相符：`, ...lines, '请回复序号选择。'].join('\n');
}
