import { z } from 'zod';
import { decrypt, encrypt, maskIdNumber, maskPhone } from '../../src/core/pii';
import { dayKey, now } from '../../src/core/time';
import { type RegionNode, findRegion, regionLabel, regionTree } from '../../src/modules/regions';
import {
  checkIdNumber,
  idNumberProblemText,
  registerVolunteerSchema,
  privacyNotice,
  registerVolunteer,
  volunteerSkills,
} from '../../src/modules/volunteers';
import type { FlowContext } from './flow';
import { askAgain } from '../texts';
import { readRegionChoice, regionHint } from './region-choice';

/**
 * Volunteer registration in chat, one question a message: consent → name → phone → ID number →
 * community → skills → confirm. The phone and ID number are kept in the conversation state only
 * encrypted (the state lives in MongoDB), and are only ever shown masked.
 */
export const registrationData = z.object({
  noticeVersion: z.string().optional(),
  realName: z.string().optional(),
  phoneEnc: z.string().optional(),
  idEnc: z.string().optional(),
  regionCode: z.string().optional(),
  parent: z.string().optional(),
  /** regions offered after a name that fits several */
  candidates: z.array(z.string()).optional(),
  skills: z.array(z.string()).optional(),
  /** the activity whose sign-up sent the resident here: signed up for once registered */
  resumeActivityId: z.string().optional(),
});
export type Registration = z.infer<typeof registrationData>;

export const volunteerData = z.object({
  reg: registrationData.optional(),
  /** activity ids of the last numbered list shown */
  list: z.array(z.string()).optional(),
  activityId: z.string().optional(),
  mode: z.enum(['auto', 'in', 'out']).optional(),
  code: z.string().optional(),
});
export type VolunteerData = z.infer<typeof volunteerData>;
type Ctx = FlowContext<VolunteerData>;

const ask = (ctx: Ctx, step: string, reg: Registration, ...lines: string[]) => {
  ctx.reply.text(...lines);
  ctx.state.set(step, { reg });
};

/** Starts registration; `resumeActivityId` is the activity to sign up for once it is done. */
export function startRegistration(ctx: Ctx, resumeActivityId?: string): void {
  const n = privacyNotice();
  ctx.reply.text(
    '【注册志愿者 · 第 1 步 个人信息处理告知】',
    n.summary,
    `完整的《${n.title}》请点击下方链接阅读（处理目的、保存期限、您的权利）。`,
    '同意请回复“同意”，不同意请回复“返回”。',
  );
  ctx.reply.link({ title: n.title, description: '注册前请阅读：我们如何处理您的个人信息', url: ctx.h5Link('/volunteer/register') });
  ctx.state.set('reg-consent', { reg: resumeActivityId ? { resumeActivityId } : {} });
}

function askRegion(ctx: Ctx, reg: Registration, parent: RegionNode, ...intro: string[]): void {
  const where = parent.level === 'city' ? '' : `${regionLabel(parent.code)} › `;
  ask(
    ctx,
    'reg-region',
    { ...reg, parent: parent.code },
    ...intro,
    `${where}请选择您所在的${{ city: '区', district: '街道', street: '社区', community: '社区' }[parent.level]}（回复序号或名称）：`,
    ctx.numbered(parent.children.map((c) => c.name)),
  );
}

function askCommunity(ctx: Ctx, reg: Registration): void {
  const current = ctx.resident.regionCode;
  if (current)
    return ask(
      ctx,
      'reg-region-confirm',
      reg,
      `第 5 步：您所在的社区是“${regionLabel(current)}”吗？`,
      ctx.numbered(['是', '不是，重新选择']),
    );
  askRegion(ctx, reg, regionTree()[0]!, '第 5 步：请选择您所在的社区。');
}

function askSkills(ctx: Ctx, reg: Registration): void {
  ask(
    ctx,
    'reg-skills',
    reg,
    '第 6 步（可选）：您有哪些技能特长？回复序号，多个用空格分开，例如“1 3”；没有请回复 0。',
    ctx.numbered(volunteerSkills()),
  );
}

function summary(ctx: Ctx, reg: Registration): void {
  const skills = reg.skills?.length ? reg.skills.join('、') : '无';
  ask(
    ctx,
    'reg-confirm',
    reg,
    '请核对您的注册信息：',
    `姓名：${reg.realName}`,
    `手机：${maskPhone(decrypt(reg.phoneEnc!))}`,
    `身份证：${maskIdNumber(decrypt(reg.idEnc!))}`,
    `社区：${regionLabel(reg.regionCode)}`,
    `技能：${skills}`,
    ctx.numbered(['确认提交', '重新填写']),
  );
}

/** What to do once registered: continue the sign-up that was interrupted. */
export type AfterRegistration = (activityId: string) => Promise<void>;

async function submit(ctx: Ctx, reg: Registration, after?: AfterRegistration): Promise<void> {
  const input = registerVolunteerSchema.parse({
    realName: reg.realName,
    phone: decrypt(reg.phoneEnc!),
    idNumber: decrypt(reg.idEnc!),
    regionCode: reg.regionCode,
    skills: reg.skills ?? [],
    consent: { agreed: true, noticeVersion: reg.noticeVersion },
  });
  const v = await registerVolunteer(ctx.resident._id, input, 'bot');
  await ctx.refreshResident();
  ctx.state.clear();
  if (reg.resumeActivityId && after) {
    ctx.reply.text(`注册成功！欢迎加入志愿者队伍，${v.realName}。`, `志愿者编号：${v.volunteerNo}`, '现在为您继续报名刚才的活动。');
    return after(reg.resumeActivityId);
  }
  ctx.reply.text(
    `注册成功！欢迎加入志愿者队伍，${v.realName}。`,
    `志愿者编号：${v.volunteerNo}`,
    '回复“志愿活动”查看附近的活动并报名，回复“我的时长”查看服务时长。',
  );
}

/** Handles one message of the registration; returns false when the step is not a registration step. */
export async function continueRegistration(ctx: Ctx, step: string, reg: Registration, after?: AfterRegistration): Promise<boolean> {
  const raw = ctx.inbound.kind === 'text' ? ctx.inbound.text.trim() : '';
  switch (step) {
    case 'reg-consent':
      if (ctx.text !== '同意' && ctx.text !== '我同意')
        return (ask(ctx, step, reg, '需要您同意个人信息处理告知后才能注册。同意请回复“同意”，不同意请回复“返回”。'), true);
      return (
        ask(
          ctx,
          'reg-name',
          { noticeVersion: privacyNotice().version, resumeActivityId: reg.resumeActivityId },
          '第 2 步：请回复您的真实姓名。',
        ),
        true
      );
    case 'reg-name': {
      const r = registerVolunteerSchema.shape.realName.safeParse(raw);
      if (!r.success) return (ask(ctx, step, reg, askAgain(r.error.issues[0]!.message, '请重新输入真实姓名。')), true);
      return (ask(ctx, 'reg-phone', { ...reg, realName: r.data }, '第 3 步：请回复您的手机号码（11 位）。'), true);
    }
    case 'reg-phone': {
      const r = registerVolunteerSchema.shape.phone.safeParse(raw.replace(/[\s-]/g, ''));
      if (!r.success) return (ask(ctx, step, reg, '手机号码格式不正确，请输入 11 位中国大陆手机号码。'), true);
      return (
        ask(
          ctx,
          'reg-id',
          { ...reg, phoneEnc: encrypt(r.data) },
          '第 4 步：请回复您的 18 位居民身份证号码（仅用于身份核验和出具服务记录，加密保存）。',
        ),
        true
      );
    }
    case 'reg-id': {
      const id = checkIdNumber(raw, dayKey(now()));
      if (!id.ok) return (ask(ctx, step, reg, askAgain(idNumberProblemText[id.problem!], '请重新输入身份证号码。')), true);
      askCommunity(ctx, { ...reg, idEnc: encrypt(id.normalized) });
      return true;
    }
    case 'reg-region-confirm': {
      const yes = ctx.pick(['是', '不是，重新选择'], (s) => s);
      if (yes === '是') return (askSkills(ctx, { ...reg, regionCode: ctx.resident.regionCode! }), true);
      if (yes) return (askRegion(ctx, reg, regionTree()[0]!), true);
      return (ask(ctx, step, reg, '请回复 1（是）或 2（重新选择）。'), true);
    }
    case 'reg-region': {
      const parent = (reg.parent && findRegion(reg.parent)) || regionTree()[0]!;
      const choice = readRegionChoice(ctx, parent, reg.candidates);
      if ('candidates' in choice) return (ask(ctx, step, { ...reg, candidates: choice.candidates.map((c) => c.code) }, choice.text), true);
      const fresh = { ...reg, candidates: undefined };
      if ('none' in choice) return (askRegion(ctx, fresh, parent, regionHint(parent, raw)), true);
      if (choice.region.children.length) return (askRegion(ctx, fresh, choice.region), true);
      return (askSkills(ctx, { ...fresh, regionCode: choice.region.code, parent: undefined }), true);
    }
    case 'reg-skills': {
      const all = volunteerSkills();
      const nums = ctx.text.split(/[\s,，、]+/).filter(Boolean);
      if (nums.length === 1 && nums[0] === '0') return (summary(ctx, { ...reg, skills: [] }), true);
      const picked = nums.map((n) => (/^\d+$/.test(n) ? all[Number(n) - 1] : undefined));
      if (!nums.length || picked.some((s) => !s))
        return (ask(ctx, step, reg, `请回复 1-${all.length} 之间的序号，多个用空格分开；没有请回复 0。`), true);
      return (summary(ctx, { ...reg, skills: [...new Set(picked as string[])] }), true);
    }
    case 'reg-confirm': {
      const choice = ctx.pick(['确认提交', '重新填写'], (s) => s);
      if (choice === '确认提交') return submit(ctx, reg, after).then(() => true);
      if (choice) return (startRegistration(ctx, reg.resumeActivityId), true);
      return (ask(ctx, step, reg, '请回复 1（确认提交）或 2（重新填写）。'), true);
    }
    default:
      return false;
  }
}
