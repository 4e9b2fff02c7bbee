import { loadContentFile } from '../../core/content';
import { AppError, isDuplicateKey, notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { encrypt, hmac, maskIdNumber, maskPhone } from '../../core/pii';
import { dayKey, isoLocal, now } from '../../core/time';
import { regionLabel, requireCommunity } from '../regions/regions.service';
import { getResident, updateResident } from '../residents/residents.service';
import { checkIdNumber, idNumberProblemText } from './id-number';
import { countVolunteerRegistered, hoursOf, volunteerTotals } from './volunteers.counters';
import { Volunteer, VolunteerIdNumber, type VolunteerDoc } from './volunteers.model';
import {
  privacyNoticeSchema,
  volunteersContentSchema,
  type PrivacyNotice,
  type RegisterVolunteer,
  type VolunteerView,
} from './volunteers.schema';

export type { VolunteerDoc };
export type RegistrationChannel = 'h5' | 'bot' | 'api';

let notice: PrivacyNotice | undefined;
let skills: string[] = [];
/** the example-contact warning, once per process (content is loaded at start-up and on every sync) */
let warnedExample = false;

/** Reads the privacy notice and the skill list from content/ (at start-up and on content sync). */
export async function loadVolunteerContent(): Promise<string> {
  notice = loadContentFile('privacy/volunteer-notice.yaml', privacyNoticeSchema);
  skills = loadContentFile('volunteers.yaml', volunteersContentSchema).skills;
  if (notice.example && !warnedExample) {
    warnedExample = true;
    logger.warn(
      "content/privacy/volunteer-notice.yaml: the contact is example data (example: true); put the office's real contact there before going live",
    );
  }
  return `volunteer notice ${notice.version}, skills: ${skills.length}`;
}

export function privacyNotice(): PrivacyNotice {
  if (!notice) throw new AppError('INTERNAL', '隐私告知书尚未加载');
  return notice;
}

export const volunteerSkills = (): readonly string[] => skills;

const idNumberPurpose = 'volunteer-id-number';

export function volunteerNo(v: Pick<VolunteerDoc, '_id' | 'createdAt'>): string {
  return `ZY${dayKey(v.createdAt).replace(/-/g, '')}${v._id.slice(-6).toUpperCase()}`;
}

function checkInput(input: RegisterVolunteer): { idNumber: string; gender: 'male' | 'female'; regionCode: string } {
  if (input.consent.noticeVersion !== privacyNotice().version) {
    throw new AppError('VALIDATION_FAILED', '《志愿者个人信息处理告知书》已更新，请重新阅读并同意', [
      { path: 'consent.noticeVersion', message: '告知书已更新，请重新阅读并同意' },
    ]);
  }
  const id = checkIdNumber(input.idNumber, dayKey(now()));
  // The message never repeats the number: error bodies and logs must not carry it.
  if (!id.ok)
    throw new AppError('INVALID_ID_NUMBER', idNumberProblemText[id.problem!], [
      { path: 'idNumber', message: idNumberProblemText[id.problem!] },
    ]);
  const unknown = input.skills.filter((s) => !skills.includes(s));
  if (unknown.length)
    throw new AppError('VALIDATION_FAILED', `不支持的技能：${unknown.join('、')}`, [
      { path: 'skills', message: `可选技能：${skills.join('、')}` },
    ]);
  return { idNumber: id.normalized, gender: id.gender!, regionCode: requireCommunity(input.regionCode).code };
}

const alreadyRegistered = () => new AppError('ALREADY_REGISTERED', '您已经注册为志愿者');
const idTaken = () => new AppError('ALREADY_REGISTERED', '该身份证号码已注册过志愿者');

/**
 * Claims the ID number for this resident: the HMAC of the number is the _id, so one number
 * registers once whatever the concurrency. A claim this resident left behind (a registration that
 * failed half-way) is reused.
 */
async function claimIdNumber(hash: string, residentId: string): Promise<void> {
  try {
    await VolunteerIdNumber.create({ _id: hash, residentId, createdAt: now() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const holder = await VolunteerIdNumber.findById(hash).lean();
    if (holder?.residentId !== residentId) throw idTaken();
  }
}

/**
 * Registers the resident as a volunteer (POST /volunteers, the bot's registration). One volunteer
 * per resident (_id = residentId) and per ID number (claimIdNumber), both by unique inserts.
 */
export async function registerVolunteer(
  residentId: string,
  input: RegisterVolunteer,
  channel: RegistrationChannel,
): Promise<VolunteerView> {
  const checked = checkInput(input);
  if (await Volunteer.exists({ _id: residentId })) throw alreadyRegistered();
  const idNumberHash = hmac(checked.idNumber, idNumberPurpose);
  await claimIdNumber(idNumberHash, residentId);
  const at = now();
  const doc: VolunteerDoc = {
    _id: residentId,
    realName: input.realName,
    phoneEnc: encrypt(input.phone),
    phoneMasked: maskPhone(input.phone),
    idNumberEnc: encrypt(checked.idNumber),
    idNumberMasked: maskIdNumber(checked.idNumber),
    idNumberHash,
    gender: checked.gender,
    regionCode: checked.regionCode,
    skills: input.skills,
    consent: { noticeVersion: input.consent.noticeVersion, agreedAt: at, channel },
    createdAt: at,
  };
  try {
    await Volunteer.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // This resident registered meanwhile with another number: release the claim made above.
    const holder = await Volunteer.findById(residentId).lean<VolunteerDoc>();
    if (holder?.idNumberHash !== idNumberHash) await VolunteerIdNumber.deleteOne({ _id: idNumberHash });
    throw alreadyRegistered();
  }
  countVolunteerRegistered(checked.regionCode, at);
  // A registration names the resident's community when they had none (the statistics count a resident in their community).
  const resident = await getResident(residentId);
  if (!resident.regionCode) await updateResident(residentId, { regionCode: checked.regionCode });
  logger.info(
    { residentId, volunteerNo: volunteerNo(doc), phoneMasked: doc.phoneMasked, idNumberMasked: doc.idNumberMasked, channel },
    'volunteer registered',
  );
  return presentVolunteer(doc, { minutes: 0, served: 0 });
}

export async function findVolunteer(residentId: string): Promise<VolunteerDoc | undefined> {
  return (await Volunteer.findById(residentId).lean<VolunteerDoc>()) ?? undefined;
}

/** The caller must be a registered volunteer (sign-up, check-in). */
export async function requireVolunteer(residentId: string): Promise<VolunteerDoc> {
  const v = await findVolunteer(residentId);
  if (!v) throw new AppError('NOT_A_VOLUNTEER', '请先注册成为志愿者');
  return v;
}

export function presentVolunteer(v: VolunteerDoc, totals: { minutes: number; served: number }): VolunteerView {
  return {
    id: v._id,
    volunteerNo: volunteerNo(v),
    realName: v.realName,
    phoneMasked: v.phoneMasked,
    idNumberMasked: v.idNumberMasked,
    gender: v.gender as 'male' | 'female',
    regionCode: v.regionCode,
    regionName: regionLabel(v.regionCode),
    skills: v.skills ?? [],
    hours: hoursOf(totals.minutes),
    activities: totals.served,
    registeredAt: isoLocal(v.createdAt),
    consent: { noticeVersion: v.consent?.noticeVersion ?? '', agreedAt: v.consent ? isoLocal(v.consent.agreedAt) : '' },
  };
}

export async function getMyVolunteer(residentId: string): Promise<VolunteerView> {
  const v = await findVolunteer(residentId);
  if (!v) throw notFound('志愿者信息');
  return presentVolunteer(v, await volunteerTotals(residentId));
}
