import { AppError } from '../../src/core/errors';
import { isoLocal, now } from '../../src/core/time';
import {
  activityByCode,
  activityPlace,
  getActivity,
  nearbyActivities,
  signupOpen,
  type ActivityDoc,
  attendanceOf,
  checkIn,
  checkOut,
  listMySignups,
  cancelSignup,
  myRosterStatus,
  rosterCounts,
  signUpForActivity,
  findVolunteer,
  getMyVolunteer,
} from '../../src/modules/volunteers';
import type { Inbound } from '../messages';
import { defineFlow, type FlowContext } from './flow';
import { continueRegistration, startRegistration, volunteerData, type VolunteerData } from './volunteer-register';

type Ctx = FlowContext<VolunteerData>;

const short = (d: Date) => isoLocal(d).slice(5, 16).replace('T', ' ');
const CODE = /^\d{6}$/;

const HOME_REGISTERED = ['附近的志愿活动', '我的报名', '签到 / 签退', '我的时长', '网页版（报名、服务记录）'] as const;
const HOME_NEW = ['注册志愿者', '附近的志愿活动'] as const;

async function home(ctx: Ctx): Promise<void> {
  const v = await findVolunteer(ctx.resident._id);
  if (v) {
    ctx.reply.text(
      `【志愿服务】${v.realName}，您好！`,
      ctx.numbered(HOME_REGISTERED),
      '到达活动现场后，直接发送 6 位签到码即可签到或签退。',
    );
  } else {
    ctx.reply.text('【志愿服务】您还不是注册志愿者。注册后即可报名社区志愿活动、记录服务时长。', ctx.numbered(HOME_NEW));
  }
  ctx.state.set('home', {});
}

async function listNearby(ctx: Ctx): Promise<void> {
  const list = await nearbyActivities(ctx.resident.regionCode);
  if (!list.length) {
    ctx.reply.text('附近暂时没有可以报名的志愿活动，请稍后再来看看。', '回复“返回”回到主菜单。');
    return ctx.state.set('home', {});
  }
  const lines = await Promise.all(
    list.map(async (a, i) => {
      const c = await rosterCounts(a);
      const seats = !signupOpen(a) ? '进行中' : c.seatsLeft > 0 ? `余 ${c.seatsLeft} 个名额` : `已满，候补 ${c.waitlistCount} 人`;
      return `${i + 1}. ${a.title}（${short(a.startAt)}，${activityPlace(a).split(' ').pop()}）${seats}`;
    }),
  );
  const where = ctx.resident.regionCode ? '您所在街道及全区' : '全市';
  ctx.reply.text(`【${where}的志愿活动】`, ...lines, '回复序号查看详情并报名。');
  ctx.state.set('list', { list: list.map((a) => a._id) });
}

async function showDetail(ctx: Ctx, a: ActivityDoc): Promise<void> {
  const [c, mine] = await Promise.all([rosterCounts(a), myRosterStatus(a, ctx.resident._id)]);
  const status = !mine ? '未报名' : mine.status === 'confirmed' ? '已报名（正式名额）' : `候补第 ${mine.position} 位`;
  const action = mine ? '取消报名' : c.seatsLeft > 0 ? '报名' : '报名候补';
  ctx.reply.text(
    `「${a.title}」`,
    `时间：${short(a.startAt)} 至 ${short(a.endAt)}`,
    `地点：${activityPlace(a)}`,
    `组织：${a.organizer}`,
    `名额：${c.capacity} 人，已报名 ${c.confirmedCount} 人，候补 ${c.waitlistCount} 人`,
    ...(a.skills?.length ? [`需要技能：${a.skills.join('、')}`] : []),
    `内容：${a.description.length > 120 ? `${a.description.slice(0, 120)}…` : a.description}`,
    `我的状态：${status}`,
    ...(signupOpen(a) ? [`1. ${action}`] : ['活动已开始，报名已截止。']),
    '0. 返回列表',
  );
  ctx.state.set('detail', { activityId: a._id, list: ctx.state.get()?.data.list });
}

async function act(ctx: Ctx, activityId: string): Promise<void> {
  const a = await getActivity(activityId);
  if (await myRosterStatus(a, ctx.resident._id)) {
    await cancelSignup(ctx.resident._id, a._id);
    ctx.reply.text(`已取消报名「${a.title}」。`, '回复“志愿活动”查看其他活动。');
    return ctx.state.set('home', {});
  }
  if (!(await findVolunteer(ctx.resident._id))) {
    ctx.reply.text('报名前需要先注册志愿者，注册完成后将自动为您报名这个活动。');
    return startRegistration(ctx, a._id);
  }
  await signUp(ctx, a);
}

/** Signs up (never cancels: a sign-up resumed after registration must not undo one made in H5 meanwhile). */
async function signUp(ctx: Ctx, a: ActivityDoc): Promise<void> {
  if (await myRosterStatus(a, ctx.resident._id)) {
    ctx.reply.text(`您已报名「${a.title}」。`, '回复“我的报名”查看。');
    return ctx.state.set('home', {});
  }
  if (!signupOpen(a)) {
    ctx.reply.text(`「${a.title}」已开始，报名已截止。`, '回复“志愿活动”查看其他活动。');
    return ctx.state.set('home', {});
  }
  const r = await signUpForActivity(ctx.resident._id, a._id);
  if (r.status === 'confirmed')
    ctx.reply.text(
      `报名成功！您已获得「${a.title}」的正式名额。`,
      `请于 ${short(a.startAt)} 到 ${activityPlace(a)} 参加，活动前一天和开始前 1 小时会提醒您。`,
      '到场后发送组织者出示的 6 位签到码即可签到。',
    );
  else
    ctx.reply.text(`「${a.title}」名额已满，您已进入候补第 ${r.position} 位。`, '有人取消报名时，将按候补顺序自动转为正式报名并通知您。');
  ctx.state.set('home', {});
}

async function mySignups(ctx: Ctx): Promise<void> {
  const items = (await listMySignups(ctx.resident._id)).filter((a) => new Date(a.endAt).getTime() > now().getTime() - 86_400_000);
  if (!items.length) {
    ctx.reply.text('您还没有报名即将开始的志愿活动。回复“志愿活动”查看附近的活动。');
    return ctx.state.set('home', {});
  }
  const lines = items.map(
    (a, i) =>
      `${i + 1}. ${a.title}（${a.startAt.slice(5, 16).replace('T', ' ')}）${a.my?.status === 'confirmed' ? '正式' : `候补第 ${a.my?.position} 位`}`,
  );
  ctx.reply.text('【我的报名】', ...lines, '回复序号查看详情或取消报名。');
  ctx.state.set('list', { list: items.map((a) => a.id) });
}

async function myHours(ctx: Ctx): Promise<void> {
  const v = await getMyVolunteer(ctx.resident._id).catch(() => undefined);
  if (!v) {
    ctx.reply.text('您还不是注册志愿者，注册并参加活动后即可累计服务时长。');
    return startRegistration(ctx);
  }
  ctx.reply.text(
    `【我的服务时长】`,
    `志愿者：${v.realName}（${v.volunteerNo}）`,
    `累计服务时长：${v.hours} 小时`,
    `参加活动：${v.activities} 次`,
  );
  ctx.reply.link({
    title: '我的志愿服务记录',
    description: '查看并打印志愿服务记录（含每次活动的时间、地点和时长）',
    url: ctx.h5Link('/volunteer/record'),
  });
  ctx.state.clear();
}

function askCode(ctx: Ctx, mode: 'in' | 'out'): void {
  ctx.reply.text(`请发送活动现场组织者出示的 6 位${mode === 'in' ? '签到' : '签退'}码。`);
  ctx.state.set('code', { mode });
}

/** A code sent in the flow: checks in, or out when already checked in (mode 'auto'). */
async function useCode(ctx: Ctx, code: string, mode: 'auto' | 'in' | 'out', location?: { lat: number; lng: number }): Promise<void> {
  const a = await activityByCode(code);
  if (!a) throw new AppError('INVALID_CHECKIN_CODE', '签到码不正确，请核对现场二维码下方的 6 位数字');
  if (a.requireLocation && !location) {
    ctx.reply.text(`「${a.title}」需要定位签到：请点击“+”→“位置”，发送您当前的位置。`);
    return ctx.state.set('location', { activityId: a._id, code, mode });
  }
  const att = mode === 'auto' ? await attendanceOf(a._id, ctx.resident._id) : {};
  const out = mode === 'out' || (mode === 'auto' && att.in && !att.out);
  if (mode === 'auto' && att.out)
    throw new AppError('ALREADY_CHECKED_OUT', `您已于 ${short(att.out)} 签退「${a.title}」，本次服务 ${att.hours ?? 0} 小时。`);
  const body = { code, ...(location ?? {}) };
  if (out) {
    const r = await checkOut(ctx.resident._id, a._id, body);
    ctx.reply.text(
      `签退成功！「${a.title}」本次服务 ${r.hours} 小时${r.pointsAwarded ? `，获得 ${r.pointsAwarded} 积分` : ''}。感谢您的付出！`,
      '回复“我的时长”查看累计服务时长。',
    );
  } else {
    const r = await checkIn(ctx.resident._id, a._id, body);
    ctx.reply.text(
      `签到成功！「${a.title}」签到时间 ${r.checkedInAt.slice(11, 16)}。`,
      '活动结束时回复“签退”，再发送签到码即可签退，系统将记录您的服务时长。',
    );
  }
  // Stay in this flow: the next code sent (the check-out) reaches it without a keyword first.
  ctx.state.set('home', {});
}

async function pickFromList(ctx: Ctx, list: string[] | undefined): Promise<boolean> {
  const id = list ? ctx.pick(list, () => '') : undefined;
  if (!id) return false;
  await showDetail(ctx, await getActivity(id));
  return true;
}

async function start(ctx: Ctx): Promise<void> {
  switch (ctx.text) {
    case '注册志愿者':
      if (await findVolunteer(ctx.resident._id)) return ctx.reply.text('您已经是注册志愿者了。回复“志愿活动”查看附近的活动。');
      return startRegistration(ctx);
    case '签到':
      return askCode(ctx, 'in');
    case '签退':
      return askCode(ctx, 'out');
    case '我的时长':
      return myHours(ctx);
    case '我的报名':
      return mySignups(ctx);
    case '志愿活动':
      return listNearby(ctx);
    default:
      return home(ctx);
  }
}

async function homeChoice(ctx: Ctx): Promise<void> {
  const registered = Boolean(await findVolunteer(ctx.resident._id));
  const choice = registered ? ctx.pick(HOME_REGISTERED, (s) => s) : ctx.pick(HOME_NEW, (s) => s);
  if (choice === '注册志愿者') return startRegistration(ctx);
  if (choice === '附近的志愿活动') return listNearby(ctx);
  if (choice === '我的报名') return mySignups(ctx);
  if (choice === '签到 / 签退') return askCode(ctx, 'in');
  if (choice === '我的时长') return myHours(ctx);
  if (choice) {
    ctx.reply.link({
      title: '志愿服务 · 网页版',
      description: '报名活动、查看我的报名和志愿服务记录（15 分钟内有效）',
      url: ctx.h5Link('/volunteer'),
    });
    return;
  }
  await home(ctx);
}

async function onMessage(ctx: Ctx, inbound: Inbound): Promise<void> {
  const state = ctx.state.get();
  if (!state) return home(ctx);
  const { step, data } = state;
  if (step.startsWith('reg-') && (await continueRegistration(ctx, step, data.reg ?? {}, async (id) => signUp(ctx, await getActivity(id)))))
    return;
  if (step === 'location' && inbound.kind === 'location' && data.code)
    return useCode(ctx, data.code, data.mode ?? 'auto', { lat: inbound.lat, lng: inbound.lng });
  if (CODE.test(ctx.text)) return useCode(ctx, ctx.text, step === 'code' ? (data.mode ?? 'auto') : 'auto');
  if (step === 'code') return ctx.reply.text('签到码为 6 位数字，请核对后重新发送，或回复“返回”退出。');
  if (step === 'detail' && data.activityId) {
    if (ctx.text === '1') return act(ctx, data.activityId);
    if (ctx.text === '0' && data.list?.length) return backToList(ctx, data.list);
    if (ctx.text === '0') return listNearby(ctx);
  }
  if (step === 'list' && (await pickFromList(ctx, data.list))) return;
  if (step === 'list') return ctx.reply.text(`请回复列表中的序号（1-${data.list?.length ?? 0}），或回复“返回”退出。`);
  await homeChoice(ctx);
}

/** "0" on a detail page: back to the list it came from. */
async function backToList(ctx: Ctx, list: string[]): Promise<void> {
  const items = await Promise.all(list.map((id) => getActivity(id).catch(() => undefined)));
  const lines = items.map((a, i) => (a ? `${i + 1}. ${a.title}（${short(a.startAt)}）` : `${i + 1}. （活动已删除）`));
  ctx.reply.text('请回复序号查看活动详情：', ...lines);
  ctx.state.set('list', { list });
}

/**
 * 志愿服务: register step by step (with the privacy consent), nearby activities, sign up and
 * cancel, check in / out by sending the code, 我的时长. Everything through the module services.
 */
export const volunteerFlow = defineFlow<VolunteerData>({
  name: 'volunteer',
  keywords: ['志愿', '志愿服务', '志愿者', '志愿活动', '注册志愿者', '签到', '签退', '我的时长', '我的报名'],
  menu: { order: 2, label: '志愿服务' },
  data: volunteerData,
  start,
  onMessage,
});
