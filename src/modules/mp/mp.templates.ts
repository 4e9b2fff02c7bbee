import { z } from 'zod';
import { config } from '../../config';
import { contentFileExists, loadContentFile } from '../../core/content';
import { line } from '../../core/text';
import { noticeFields, noticeKinds, type NoticeKind, type ResidentNotice } from '../outbox/outbox.schema';

const PLACEHOLDER = /\{(\w+)\}/g;
const fieldKey = z.string().regex(/^[a-z_]+\d+$/, '模板字段名应形如 thing1、time2');

const template = z.object({
  templateId: z.string().regex(/^[\w-]{6,128}$/, '不是有效的模板 ID'),
  fields: z.record(fieldKey, line(200).min(1)).refine((f) => Object.keys(f).length > 0, '至少需要一个字段'),
});
const oaTemplate = template.extend({ link: z.string().regex(/^\//, '应为以 / 开头的站内路径').max(500).optional() });
const miniTemplate = template.extend({ page: z.string().max(500).optional() });

/** Every placeholder of a kind's template must be a value that kind carries. */
function placeholdersKnown<T extends z.ZodType<{ fields: Record<string, string> }>>(t: T) {
  return z.partialRecord(z.enum(noticeKinds), t).superRefine((byKind, ctx) => {
    for (const [kind, tpl] of Object.entries(byKind) as Array<[NoticeKind, { fields: Record<string, string> }]>) {
      for (const [key, value] of Object.entries(tpl.fields)) {
        for (const [, name] of value.matchAll(PLACEHOLDER)) {
          if (!(noticeFields[kind] as readonly string[]).includes(name!))
            ctx.addIssue({
              code: 'custom',
              path: [kind, 'fields', key],
              message: `「${kind}」没有 {${name}}，可用：${noticeFields[kind].map((f) => `{${f}}`).join(' ')}`,
            });
        }
      }
    }
  });
}

export const mpTemplatesFileSchema = z.object({
  officialAccount: placeholdersKnown(oaTemplate).default({}),
  miniProgram: placeholdersKnown(miniTemplate).default({}),
});
export type MpTemplatesFile = z.infer<typeof mpTemplatesFileSchema>;

let loaded: MpTemplatesFile | undefined;

/** Reads and validates content/mp-templates.yaml (at start-up: a bad file stops it, naming the path). */
export function loadMpTemplates(): MpTemplatesFile {
  loaded = contentFileExists('mp-templates.yaml')
    ? loadContentFile('mp-templates.yaml', mpTemplatesFileSchema)
    : { officialAccount: {}, miniProgram: {} };
  return loaded;
}

export const mpTemplates = (): MpTemplatesFile => loaded ?? loadMpTemplates();

/** WeChat's length limits per field type (thing 20 characters, phrase 5, …); past them it refuses the send (47003). */
const LIMITS: Array<[RegExp, number]> = [
  [/^thing/, 20],
  [/^phrase/, 5],
  [/^name/, 10],
  [/^character_string|^number|^letter|^car_number/, 32],
];
function fit(key: string, value: string): string {
  const max = LIMITS.find(([re]) => re.test(key))?.[1] ?? 200;
  const chars = [...value.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** A template's `data`: each field's text with the notice's values in, cut to WeChat's limits. */
export function templateData(fields: Record<string, string>, notice: ResidentNotice): Record<string, { value: string }> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      {
        value:
          fit(
            key,
            value.replace(PLACEHOLDER, (_, name: string) => notice.data[name] ?? ''),
          ) || '-',
      },
    ]),
  );
}

/** The 公众号模板消息 body (`/cgi-bin/message/template/send`) for a notice, if its kind has a template. */
export function oaTemplateMessage(openid: string, notice: ResidentNotice): Record<string, unknown> | undefined {
  const t = mpTemplates().officialAccount[notice.kind];
  if (!t) return undefined;
  const base = (config().PUBLIC_URL ?? `http://localhost:${config().PORT}`).replace(/\/+$/, '');
  return { touser: openid, template_id: t.templateId, ...(t.link ? { url: base + t.link } : {}), data: templateData(t.fields, notice) };
}

/** The mini-program's template id for a notice kind (what a resident subscribes to). */
export const miniTemplateId = (kind: NoticeKind): string | undefined => mpTemplates().miniProgram[kind]?.templateId;

/** The kind a mini-program template id is for, if it is one of ours. */
export const kindOfMiniTemplate = (templateId: string): NoticeKind | undefined =>
  (Object.entries(mpTemplates().miniProgram) as Array<[NoticeKind, { templateId: string }]>).find(
    ([, t]) => t.templateId === templateId,
  )?.[0];
