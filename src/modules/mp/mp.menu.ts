import { z } from 'zod';
import { loadContentFile } from '../../core/content';
import { line } from '../../core/text';
import type { MpApi } from './mp.api';

/** WeChat measures names and keys in bytes (UTF-8): 16 for a button, 60 for a sub-button, 128 for a key. */
const bytes = (max: number) => (s: string) => Buffer.byteLength(s, 'utf8') <= max;
const CLICK_PREFIX = 'kw:';

const action = z.union([
  z.object({
    keyword: line()
      .min(1)
      .refine(bytes(128 - CLICK_PREFIX.length), '关键词过长'),
  }),
  z.object({ url: z.url().refine(bytes(1024), '链接过长') }),
]);
const subButton = z.intersection(z.object({ name: line().min(1).refine(bytes(60), '子菜单名称最多 20 个汉字') }), action);
const button = z.union([
  z.object({
    name: line().min(1).refine(bytes(16), '一级菜单名称最多 5 个汉字'),
    sub: z.array(subButton).min(1).max(5, '子菜单最多 5 个'),
  }),
  z.intersection(z.object({ name: line().min(1).refine(bytes(16), '一级菜单名称最多 5 个汉字') }), action),
]);
export const mpMenuFileSchema = z.object({ buttons: z.array(button).min(1).max(3, '一级菜单最多 3 个') });
export type MpMenuFile = z.infer<typeof mpMenuFileSchema>;
type Leaf = z.infer<typeof subButton>;

/** A CLICK button's EventKey carries its keyword, so a tap needs no lookup (an older menu still works). */
export const keywordOfClick = (eventKey: string): string | undefined =>
  eventKey.startsWith(CLICK_PREFIX) ? eventKey.slice(CLICK_PREFIX.length) : undefined;

const leaf = (b: Leaf) =>
  'keyword' in b ? { type: 'click', name: b.name, key: CLICK_PREFIX + b.keyword } : { type: 'view', name: b.name, url: b.url };

/** The menu as WeChat's /cgi-bin/menu/create takes it. */
export function toWeChatMenu(file: MpMenuFile): { button: unknown[] } {
  return { button: file.buttons.map((b) => ('sub' in b ? { name: b.name, sub_button: b.sub.map(leaf) } : leaf(b))) };
}

export function loadMpMenu(): MpMenuFile {
  return loadContentFile('mp-menu.yaml', mpMenuFileSchema);
}

/** Publishes content/mp-menu.yaml as the Official Account's custom menu. */
export async function publishMenu(api: MpApi, file = loadMpMenu()): Promise<{ button: unknown[] }> {
  const menu = toWeChatMenu(file);
  await api.createMenu(menu);
  return menu;
}
