import { mpApi } from '../mp/mp.api';
import { MpFollower, type MpFollowerDoc } from '../mp/mp.model';
import { miniApi, unusedSubscriptions } from '../mp/mp.subscribe';
import { miniTemplateId, mpTemplates } from '../mp/mp.templates';
import { Consent, type ConsentDoc } from '../privacy/privacy.model';
import { PushTarget, ResidentReach, type PushTargetDoc, type ResidentReachDoc } from './outbox.model';
import type { DeliveryChannel, NoticeKind } from './outbox.schema';

export interface Route {
  channel: DeliveryChannel;
  /** the openid or bot contact it goes to (none for h5) */
  contactId?: string;
}

/** The order channels are tried in: WeChat's own first (no ban risk), the bot, then the pages only. */
const ORDER: DeliveryChannel[] = ['mp', 'mini', 'wechaty', 'h5'];

const reachOf = async (residentId: string) => (await ResidentReach.findById(residentId).lean<ResidentReachDoc>()) ?? undefined;

/** Can this channel take this notice for this resident now? Point reads by _id only. */
async function reachable(
  channel: DeliveryChannel,
  residentId: string,
  kind: NoticeKind | null,
  reach: ResidentReachDoc | undefined,
): Promise<string | undefined> {
  switch (channel) {
    case 'mp': {
      if (!kind || !reach?.mp || !mpApi() || !mpTemplates().officialAccount[kind]) return undefined;
      const follower = await MpFollower.findById(reach.mp).lean<MpFollowerDoc>();
      return follower?.subscribed === false ? undefined : reach.mp;
    }
    case 'mini': {
      const templateId = kind ? miniTemplateId(kind) : undefined;
      if (!templateId || !reach?.mini || !miniApi()) return undefined;
      return (await unusedSubscriptions(reach.mini, templateId)) > 0 ? reach.mini : undefined;
    }
    case 'wechaty': {
      const target = await PushTarget.findById(residentId).lean<PushTargetDoc>();
      return target?.channel === 'wechaty' ? target.contactId : undefined;
    }
    case 'h5':
      return undefined;
  }
}

/**
 * The channel a notice goes by: the first, after `after` when one just failed, that the resident
 * actually has — an Official Account follower who has not left; a mini-program user with an unused
 * subscription to the kind's template; a bot contact — else the H5 "消息" page only.
 */
export async function routeNotice(residentId: string, kind: NoticeKind | null, after?: DeliveryChannel): Promise<Route> {
  // 个人信息: a resident who withdrew consent to pushes reads notices in H5 "消息" only.
  const consents = await Consent.findById(residentId).lean<ConsentDoc>();
  if (consents?.kinds?.['push-notices']?.granted === false) return { channel: 'h5' };
  const reach = await reachOf(residentId);
  for (const channel of ORDER.slice(after ? ORDER.indexOf(after) + 1 : 0)) {
    if (channel === 'h5') break;
    const contactId = await reachable(channel, residentId, kind, reach);
    if (contactId) return { channel, contactId };
  }
  return { channel: 'h5' };
}
