import crypto from 'node:crypto';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { isoLocal, now } from '../../core/time';
import { ModerationOpenid } from '../moderation/moderation.model';
import { PushTarget, ResidentReach, type PushTargetDoc, type ResidentReachDoc } from '../outbox/outbox.model';
import { forgetResident } from '../residents';
import { Resident, ResidentIdentity } from '../residents/residents.model';
import { getResident } from '../residents/residents.service';
import { Tipoff } from '../tipoffs/tipoffs.model';
import { rawCollection } from '../../core/db';
import { cancelUpcomingSignups } from '../volunteers/signups.service';
import { listActivityRefs } from '../volunteers/volunteer-refs';
import { Volunteer, VolunteerIdNumber } from '../volunteers/volunteers.model';
import { findVolunteer } from '../volunteers/volunteers.service';
import { Erasure } from './privacy.model';
import { CLOSURE_PHRASE, type ClosureResult } from './privacy.schema';

/** The erasure sweep runs every 15 minutes; this is the promise made to the resident. */
export const ERASURE_DEADLINE_HOURS = 24;
/** What an anonymous stand-in is called wherever a name used to show (leaderboards, rosters). */
export const ERASED_NAME = '已注销用户';

export const ERASED: string[] = [
  '账号、昵称和所有登录方式（微信 openid/unionid、聊天联系人、浏览器会话）',
  '志愿者姓名、手机号、身份证号及其校验值',
  '人工服务记录和聊天记录',
  '收到的消息、消息推送与每日一题订阅、授权记录',
  '未提交的照片；已提交随手拍与您的关联',
];
export const KEPT: string[] = [
  '已提交的随手拍（不再显示提交人，供城市管理继续处理）',
  '答题、问卷、参与次数和志愿服务时长等统计数字：转为不关联任何人的匿名记录，数字保持不变',
];

/** Everything a channel identity can be found by: identities, push contacts, openids. */
async function contactsOf(residentId: string): Promise<string[]> {
  const identities = await ResidentIdentity.find({ residentId }).lean();
  const reach = await ResidentReach.findById(residentId).lean<ResidentReachDoc>();
  const target = await PushTarget.findById(residentId).lean<PushTargetDoc>();
  const openid = await ModerationOpenid.findById(residentId).lean<{ openid?: string | null }>();
  const all = [
    ...identities.map((i) => String(i._id).slice(i.channel.length + 1)),
    reach?.mp,
    reach?.mini,
    target?.contactId,
    openid?.openid,
  ];
  return [...new Set(all.filter((c): c is string => Boolean(c)))];
}

/**
 * The volunteer registration loses name, phone and ID number as retention does it (the registration
 * stays, anonymous, so the community's volunteer rate does not move); upcoming seats are given up.
 */
async function anonymizeVolunteer(residentId: string): Promise<void> {
  const v = await findVolunteer(residentId);
  if (!v) return;
  await cancelUpcomingSignups(residentId, await listActivityRefs(residentId));
  // Raw update: the erased values are deliberately not valid registration data.
  await rawCollection(Volunteer).updateOne(
    { _id: residentId },
    {
      $set: {
        realName: '（已匿名）',
        phoneEnc: '',
        phoneMasked: '',
        idNumberEnc: '',
        idNumberMasked: '',
        idNumberHash: '',
        skills: [],
        anonymizedAt: now(),
      },
    },
  );
  await VolunteerIdNumber.deleteOne({ _id: v.idNumberHash });
}

/**
 * 注销, the part that happens at once: the account and every way into it end (identities, sessions:
 * the resident record is gone, so its cookie reads as signed out), the volunteer registration is
 * anonymized and tip-offs lose their reporter. The resident's place in the "known residents" count is
 * taken by an anonymous stand-in, whose id the sweep (privacy.sweep.ts) re-keys every remaining
 * record to, so counts and rates stay exact and nothing leads back to the person.
 */
export async function closeAccount(residentId: string, confirm: string): Promise<ClosureResult> {
  if (confirm.trim() !== CLOSURE_PHRASE) {
    throw new AppError('CONFIRMATION_MISMATCH', `请输入“${CLOSURE_PHRASE}”以确认注销账号`, [
      { path: 'confirm', message: `请输入“${CLOSURE_PHRASE}”` },
    ]);
  }
  const resident = await getResident(residentId);
  const at = now();
  const standIn = crypto.randomBytes(12).toString('hex');
  const dueBy = new Date(at.getTime() + ERASURE_DEADLINE_HOURS * 3_600_000);
  await Erasure.create({ _id: standIn, status: 'pending', residentId, contacts: await contactsOf(residentId), requestedAt: at, dueBy });

  await Resident.create({ _id: standIn, nickname: ERASED_NAME, regionCode: resident.regionCode ?? null, createdAt: resident.createdAt });
  await Resident.deleteOne({ _id: residentId });
  forgetResident(residentId);
  await ResidentIdentity.deleteMany({ residentId }); // the same WeChat identity later makes a new, empty resident
  await anonymizeVolunteer(residentId);
  await Tipoff.updateMany({ reporterId: residentId }, { $set: { reporterId: null, anonymous: true } });
  logger.info({ erasure: standIn }, 'account closed; erasure pending');
  return { status: 'accepted', closedAt: isoLocal(at), erasureCompletesBy: isoLocal(dueBy), erased: ERASED, kept: KEPT };
}
