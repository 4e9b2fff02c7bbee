import { defineModel } from '../../core/db/model';
import { config } from '../../config';
import { invalid } from '../../core/errors';
import { createMpApi, type MpApi } from './mp.api';
import { kindOfMiniTemplate, mpTemplates, templateData } from './mp.templates';
import type { ResidentNotice } from '../outbox/outbox.schema';

/**
 * The mini-program's 订阅消息: a user taps "允许" in `wx.requestSubscribeMessage` for some template
 * ids, which allows one message each (a one-time subscription). Two counters per (openid, template):
 * `g:` what the user granted (written by the API), `u:` what we used (written only by the notice
 * sender). Separate documents, so the two writers never update the same one (FerretDB's updates are
 * not atomic); unused = granted − used.
 */
const MiniSubscription = defineModel('MiniSubscription', 'mini_subscriptions', { _id: String, n: { type: Number, default: 0 } });

const key = (side: 'g' | 'u', openid: string, templateId: string) => `${side}:${openid}:${templateId}`;
const read = async (id: string) => (await MiniSubscription.findById(id).lean<{ n?: number }>())?.n ?? 0;

/** Records the template ids a mini-program user just accepted; unknown ids are refused (not ours). */
export async function grantSubscriptions(
  openid: string,
  templateIds: string[],
): Promise<Array<{ templateId: string; kind: string; unused: number }>> {
  const unknown = templateIds.filter((id) => !kindOfMiniTemplate(id));
  if (unknown.length) throw invalid('不是本服务的订阅消息模板', { templateIds: unknown });
  const out = [];
  for (const templateId of [...new Set(templateIds)]) {
    await MiniSubscription.updateOne({ _id: key('g', openid, templateId) }, { $inc: { n: 1 } }, { upsert: true });
    out.push({ templateId, kind: kindOfMiniTemplate(templateId)!, unused: await unusedSubscriptions(openid, templateId) });
  }
  return out;
}

export async function unusedSubscriptions(openid: string, templateId: string): Promise<number> {
  const [granted, used] = await Promise.all([read(key('g', openid, templateId)), read(key('u', openid, templateId))]);
  return Math.max(0, granted - used);
}

/** One send consumed one subscription (the sender is the only writer of `u:`). */
export async function useSubscription(openid: string, templateId: string): Promise<void> {
  await MiniSubscription.updateOne({ _id: key('u', openid, templateId) }, { $inc: { n: 1 } }, { upsert: true });
}

/** WeChat says the user has none left (43101): what we counted is spent. */
export async function dropSubscriptions(openid: string, templateId: string): Promise<void> {
  await MiniSubscription.updateOne(
    { _id: key('u', openid, templateId) },
    { $set: { n: await read(key('g', openid, templateId)) } },
    { upsert: true },
  );
}

/** The 订阅消息 body (`/cgi-bin/message/subscribe/send`) for a notice, if its kind has a template. */
export function miniSubscribeMessage(
  openid: string,
  notice: ResidentNotice,
): { templateId: string; body: Record<string, unknown> } | undefined {
  const t = mpTemplates().miniProgram[notice.kind];
  if (!t) return undefined;
  return {
    templateId: t.templateId,
    body: {
      touser: openid,
      template_id: t.templateId,
      ...(t.page ? { page: t.page } : {}),
      data: templateData(t.fields, notice),
      lang: 'zh_CN',
    },
  };
}

let shared: MpApi | undefined;

/** The mini-program's server API (its own access_token, leased like the Official Account's); undefined when off. */
export function miniApi(): MpApi | undefined {
  const cfg = config();
  if (!cfg.WECHAT_MINI_APP_ID || !cfg.WECHAT_MINI_APP_SECRET) return undefined;
  if (shared && (shared as MpApi & { appId?: string }).appId !== cfg.WECHAT_MINI_APP_ID) shared = undefined;
  shared ??= Object.assign(createMpApi({ appId: cfg.WECHAT_MINI_APP_ID, appSecret: cfg.WECHAT_MINI_APP_SECRET }), {
    appId: cfg.WECHAT_MINI_APP_ID,
  });
  return shared;
}
