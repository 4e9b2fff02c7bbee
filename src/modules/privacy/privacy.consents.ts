import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { isoLocal, now } from '../../core/time';
import { isSubscribed, subscribeResident, unsubscribeResident } from '../dailyquiz/dailyquiz.service';
import { deregisterVolunteer } from '../volunteers/deregister.service';
import { findVolunteer } from '../volunteers/volunteers.service';
import { Consent, type ConsentDoc, type ConsentEntry } from './privacy.model';
import type { ConsentKind, ConsentView } from './privacy.schema';

const texts: Record<ConsentKind, { label: string; description: string; effect: string }> = {
  'push-notices': {
    label: '微信消息推送',
    description: '随手拍进展、活动提醒、问卷邀请等通知通过公众号、小程序订阅消息或聊天机器人发到您的微信。',
    effect: '撤回后通知只出现在本页面的“消息”里，不再推送到微信。',
  },
  'daily-question': {
    label: '每日一题推送',
    description: '每天推送一道文明知识题。',
    effect: '撤回后不再推送每日一题。',
  },
  'volunteer-data': {
    label: '志愿者个人信息处理',
    description: '注册志愿者时单独同意的个人信息处理（姓名、手机号、身份证号），用于活动组织和出具服务记录。',
    effect: '撤回即注销志愿者：删除姓名、手机号、身份证号，未开始活动的报名一并取消。请先保存志愿服务记录。',
  },
};

async function consentsOf(residentId: string): Promise<ConsentDoc | undefined> {
  return (await Consent.findById(residentId).lean<ConsentDoc>()) ?? undefined;
}

/** Whether notices may be pushed to the resident's WeChat (read by the outbox on every route). */
export async function pushAllowed(residentId: string): Promise<boolean> {
  return (await consentsOf(residentId))?.kinds?.['push-notices']?.granted !== false;
}

export async function listConsents(residentId: string): Promise<ConsentView[]> {
  const [doc, subscribed, volunteer] = await Promise.all([consentsOf(residentId), isSubscribed(residentId), findVolunteer(residentId)]);
  const recorded = (k: ConsentKind): ConsentEntry | undefined => doc?.kinds?.[k];
  const view = (kind: ConsentKind, granted: boolean, atDate: Date | undefined | null): ConsentView => ({
    kind,
    ...texts[kind],
    granted,
    at: atDate ? isoLocal(new Date(atDate)) : null,
  });
  return [
    view('push-notices', recorded('push-notices')?.granted !== false, recorded('push-notices')?.at),
    view('daily-question', subscribed, recorded('daily-question')?.at),
    view('volunteer-data', Boolean(volunteer), volunteer?.consent?.agreedAt ?? recorded('volunteer-data')?.at),
  ];
}

/** Keeps the decision and its time; the consent record is small and written by point update. */
async function record(residentId: string, kind: ConsentKind, granted: boolean): Promise<void> {
  const at = now();
  await Consent.updateOne({ _id: residentId }, { $set: { [`kinds.${kind}`]: { granted, at }, updatedAt: at } }, { upsert: true });
  logger.info({ kind, granted }, 'resident consent changed');
}

/** Withdraws a consent and stops what depends on it (pushes, the daily question, the volunteer registration). */
export async function withdrawConsent(residentId: string, kind: ConsentKind): Promise<ConsentView[]> {
  if (kind === 'daily-question') await unsubscribeResident(residentId);
  if (kind === 'volunteer-data' && (await findVolunteer(residentId))) await deregisterVolunteer(residentId);
  await record(residentId, kind, false);
  return listConsents(residentId);
}

/** Gives a consent (again). The volunteer consent is given with the registration form only. */
export async function grantConsent(residentId: string, kind: ConsentKind): Promise<ConsentView[]> {
  if (kind === 'volunteer-data')
    throw new AppError('CONFLICT', '志愿者个人信息处理的同意须在注册志愿者时阅读告知书后给出，请到“志愿服务”页面注册');
  if (kind === 'daily-question') await subscribeResident(residentId);
  await record(residentId, kind, true);
  return listConsents(residentId);
}
