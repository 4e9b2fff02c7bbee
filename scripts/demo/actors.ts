import type { StaffPrincipal } from '../../src/core/auth';
import { isDuplicateKey } from '../../src/core/errors';
import { addDays, dayKey, now } from '../../src/core/time';
import { listCategories } from '../../src/modules/catalog/catalog.service';
import { storePhoto } from '../../src/modules/media/media.service';
import { optionsOf } from '../../src/modules/questionnaire/questionnaire.service';
import { freshQuiz } from '../../src/modules/quiz/quiz.bank';
import { answerQuestion, finishAttempt, startAttempt } from '../../src/modules/quiz/quiz.service';
import type { RegionNode } from '../../src/modules/regions/regions.schema';
import { createStaff } from '../../src/modules/staff/staff.service';
import { submitResponse } from '../../src/modules/surveys/surveys.respond';
import type { SurveyDoc } from '../../src/modules/surveys/surveys.service';
import { transitionTipoff } from '../../src/modules/tipoffs/tipoffs.transitions';
import { loadTipoff, submitTipoff } from '../../src/modules/tipoffs/tipoffs.service';
import { checkIn, checkOut } from '../../src/modules/volunteers/attendance.service';
import { createActivity, type ActivityDoc } from '../../src/modules/volunteers/activities.service';
import { checkDigitOf } from '../../src/modules/volunteers/id-number';
import { signUpForActivity } from '../../src/modules/volunteers/signups.service';
import { privacyNotice, registerVolunteer } from '../../src/modules/volunteers/volunteers.service';
import { demoPhoto } from './photos';
import { between, chance, pick, realName, type Rand, type Temperament } from './plan';
import { activityAddress, rectifyNote, tipoffDescription } from './texts';

/** Each act of a demo resident or staff member, through the same services the API and the bot use. */
export interface DemoResident {
  id: string;
  community: RegionNode | null;
  temperament: Temperament;
}

export const DEMO_PASSWORD = 'Demo-2026-wenming';

/** The office and one account per responsible unit (created once; an existing account is kept). */
export async function ensureStaff(
  username: string,
  role: 'office' | 'unit',
  unitCode?: string,
  displayName?: string,
): Promise<StaffPrincipal> {
  try {
    await createStaff({ username, password: DEMO_PASSWORD, role, unitCode, displayName });
  } catch (err) {
    if (!isDuplicateKey(err) && (err as { code?: string }).code !== 'CONFLICT') throw err;
  }
  return { kind: 'staff', staffId: username.toLowerCase(), username, role, ...(unitCode ? { unitCode } : {}) };
}

/** A quiz attempt, answered with the resident's knowledge (harder questions are missed more). */
export async function takeQuiz(rand: Rand, r: DemoResident, quizId: string): Promise<void> {
  const key = new Map((await freshQuiz(quizId)).questions.map((d) => [d.q.id, d.q] as const));
  const attempt = await startAttempt(r.id, quizId);
  for (const q of attempt.questions) {
    const full = key.get(q.id);
    const answer = full?.answer ?? [];
    const hardness = (q.id.charCodeAt(q.id.length - 1) % 5) * 0.08;
    const right = chance(rand, Math.max(0.1, r.temperament.aware - hardness));
    const wrong = q.options.map((o) => o.key).filter((k) => !answer.includes(k));
    const choice = right || !wrong.length ? answer : [pick(rand, wrong)];
    await answerQuestion(r.id, attempt.attemptId, q.id, choice);
  }
  await finishAttempt(r.id, attempt.attemptId);
}

/** A survey response: aware / positive options as likely as the community's temperament. */
export async function answerSurvey(rand: Rand, r: DemoResident, survey: SurveyDoc, communities: RegionNode[]): Promise<void> {
  const raw: Record<string, unknown> = {};
  for (const q of survey.questions) {
    if (q.demographic === 'community') raw[q.id] = (r.community ?? pick(rand, communities)).code;
    else if (q.type === 'text') continue;
    else if (q.type === 'scale' && !q.options?.length) {
      const { min, max } = q.scale!;
      raw[q.id] = chance(rand, r.temperament.satisfied) ? max - between(rand, 0, 1) : between(rand, min, max);
    } else {
      const options = optionsOf(q);
      const good = options.filter((o) => o.aware || o.positive || (o.score ?? 0) >= 75);
      const p = q.indicator?.startsWith('aw')
        ? r.temperament.aware
        : q.indicator?.startsWith('sp')
          ? r.temperament.support
          : r.temperament.satisfied;
      const choice = good.length && chance(rand, p) ? pick(rand, good) : pick(rand, options);
      raw[q.id] = q.type === 'multiple' ? [...new Set([choice.key, pick(rand, options).key])] : choice.key;
    }
  }
  await submitResponse(r.id, survey._id, raw);
}

let idSeq = 0;
/** A plausible ID number with a valid GB 11643 check digit (fictional: area code of the demo city). */
function demoIdNumber(rand: Rand): string {
  const birth = `19${between(rand, 50, 99)}${String(between(rand, 1, 12)).padStart(2, '0')}${String(between(rand, 1, 28)).padStart(2, '0')}`;
  const first17 = `330201${birth}${String(++idSeq % 1000).padStart(3, '0')}`;
  return first17 + checkDigitOf(first17);
}

export async function registerAsVolunteer(rand: Rand, r: DemoResident): Promise<void> {
  await registerVolunteer(
    r.id,
    {
      realName: realName(rand),
      phone: `13${between(rand, 5, 9)}${String(between(rand, 0, 99_999_999)).padStart(8, '0')}`,
      idNumber: demoIdNumber(rand),
      regionCode: r.community!.code,
      skills: [pick(rand, ['文明劝导', '交通引导', '环境清洁', '政策宣传', '敬老助残'])],
      consent: { agreed: true, noticeVersion: privacyNotice().version },
    },
    'api',
  );
}

const ACTIVITIES = ['文明交通劝导', '垃圾分类宣传', '小区环境大扫除', '敬老院志愿服务', '文明餐桌宣传', '清理小广告'];
export async function publishActivity(
  rand: Rand,
  office: StaffPrincipal,
  community: RegionNode,
  startAt: Date,
  hours: number,
): Promise<ActivityDoc> {
  return createActivity(
    {
      title: pick(rand, ACTIVITIES),
      description: '欢迎志愿者报名参加，现场签到签退计入服务时长。',
      startAt: startAt.toISOString(),
      endAt: new Date(startAt.getTime() + hours * 3_600_000).toISOString(),
      regionCode: community.code,
      address: activityAddress(rand, community),
      capacity: between(rand, 8, 20),
      organizer: `${community.name}志愿服务队`,
    },
    office.staffId,
  );
}

export const signUp = (r: DemoResident, a: ActivityDoc) => signUpForActivity(r.id, a._id).catch(() => undefined);
export const arrive = (r: DemoResident, a: ActivityDoc) => checkIn(r.id, a._id, { code: a.checkinCode });
export const leave = (r: DemoResident, a: ActivityDoc) => checkOut(r.id, a._id, { code: a.checkinCode });

/**
 * A resident's tip-off with a photo of the scene, near their community's centre. Returns its id.
 * Each photo has its own seed drawn from the demo's RNG, so photos differ and reruns repeat them.
 */
export async function reportProblem(rand: Rand, r: DemoResident, community: RegionNode): Promise<string> {
  const category = pick(rand, listCategories());
  const description = tipoffDescription(rand, category.code, community);
  const c = community.center ?? { lat: 29.87, lng: 121.55 };
  const lat = c.lat + (rand() - 0.5) * 0.004;
  const lng = c.lng + (rand() - 0.5) * 0.004;
  const anonymous = chance(rand, 0.3);
  const photoSeed = between(rand, 1, 2 ** 30);
  const media = await storePhoto(await demoPhoto(category.code, photoSeed), { kind: 'resident', id: r.id });
  const doc = await submitTipoff(
    { kind: 'resident', residentId: r.id },
    { categoryCode: category.code, description, lat, lng, regionCode: community.code, anonymous, photoIds: [media._id] },
  );
  return doc._id;
}

export const triage = (id: string, office: StaffPrincipal, accept: boolean) =>
  transitionTipoff(id, office, accept ? { action: 'accept' } : { action: 'reject', note: '经核实不属于受理范围' });

/** The unit the tip-off is assigned to rectifies it, with an after-photo of the tidied street. */
export async function rectify(rand: Rand, id: string, units: Map<string, StaffPrincipal>): Promise<void> {
  const note = rectifyNote(rand);
  const photoSeed = between(rand, 1, 2 ** 30);
  const tipoff = await loadTipoff(id);
  const unit = units.get(tipoff.unitCode)!;
  const media = await storePhoto(await demoPhoto(tipoff.categoryCode, photoSeed, true), { kind: 'staff', id: unit.staffId });
  await transitionTipoff(id, unit, { action: 'rectify', note, photos: [media._id] });
}

export const closeOrReopen = (id: string, office: StaffPrincipal, reopen: boolean) =>
  transitionTipoff(id, office, reopen ? { action: 'reopen', note: '复查未整改到位' } : { action: 'close' });

/** The demo's first day: `days` days ending today. */
export const firstDemoDay = (days: number): string => addDays(dayKey(now()), 1 - days);
