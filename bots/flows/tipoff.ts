import { z } from 'zod';
import { AppError } from '../../src/core/errors';
import { listCategories } from '../../src/modules/catalog';
import { storePhoto } from '../../src/modules/media';
import { type RegionNode, findRegion, regionLabel, regionTree } from '../../src/modules/regions';
import { listMyTipoffs, shortTime, locate, MAX_PHOTOS, submitTipoff, TIPOFF_ACCEPT_POINTS } from '../../src/modules/tipoffs';
import type { Inbound } from '../messages';
import { severalText } from '../pick';
import { texts } from '../texts';
import { defineFlow, type FlowContext } from './flow';
import { levelName, readRegionChoice, regionHint } from './region-choice';

const data = z.object({
  categoryCode: z.string().optional(),
  photoIds: z.array(z.string()).max(MAX_PHOTOS).default([]),
  lat: z.number().optional(),
  lng: z.number().optional(),
  address: z.string().optional(),
  /** a community chosen by hand instead of a location message */
  regionCode: z.string().optional(),
  /** the resident's landmark for a chosen community; null = skipped, absent = not asked yet */
  landmark: z.string().nullable().optional(),
  /** the region list on screen while choosing, and the candidates of an ambiguous name */
  parent: z.string().optional(),
  candidates: z.array(z.string()).optional(),
  description: z.string().optional(),
});
type Data = z.infer<typeof data>;
type Ctx = FlowContext<Data>;

const MINE_WORDS = new Set(['我的举报', '我的随手拍']);
const HOW_TO_LOCATE = '请发送问题发生的位置：点击输入框旁的“+”，选择“位置”，选好地点后发送。';
const ASK_LANDMARK = '请补充具体位置，如“柳岸路与湖滨路交叉口东侧”；回复“跳过”可不填。';
const categoryName = (code?: string) => listCategories().find((c) => c.code === code)?.name ?? '';

function askCategory(ctx: Ctx, d: Data, ...intro: string[]): void {
  ctx.reply.text(...intro, '请选择问题类别（回复序号或名称）：', ctx.numbered(listCategories().map((c) => c.name)), texts.backHint);
  ctx.state.set('category', d);
}

/** After a step is done: ask for whatever is still missing, in the order photo → location → description. */
function askNext(ctx: Ctx, d: Data, ...intro: string[]): void {
  if (!d.categoryCode) return askCategory(ctx, d, ...intro);
  if (!d.photoIds.length) {
    ctx.reply.text(...intro, `类别：${categoryName(d.categoryCode)}。请拍摄或选择现场照片发送给我（1–${MAX_PHOTOS} 张）。`);
    return ctx.state.set('photo', d);
  }
  if (d.lat === undefined && !d.regionCode) return askPlace(ctx, d, listShown(d), ...intro);
  if (d.regionCode && d.landmark === undefined) {
    ctx.reply.text(...intro, ASK_LANDMARK);
    return ctx.state.set('landmark', d);
  }
  if (!d.description) {
    ctx.reply.text(...intro, '请用一句话描述问题，例如：“小区门口垃圾堆放多日无人清理”。');
    return ctx.state.set('description', d);
  }
  ctx.reply.text(
    ...intro,
    '【请确认举报内容】',
    `类别：${categoryName(d.categoryCode)}`,
    `照片：${d.photoIds.length} 张`,
    `位置：${placeText(d)}`,
    `描述：${d.description}`,
    ctx.numbered(['提交', '匿名提交（工作人员看不到您的身份）', '取消']),
  );
  ctx.state.set('confirm', d);
}

function placeText(d: Data): string {
  if (d.regionCode) return `${d.landmark ? `${d.landmark}，` : ''}${regionLabel(d.regionCode)}（手动选择）`;
  return `${d.address ? `${d.address}，` : ''}${regionLabel(locate({ lat: d.lat!, lng: d.lng! }))}`;
}

/** The region list being chosen from: the one on screen, else the city's districts. */
const listShown = (d: Data): RegionNode | undefined => (d.parent ? findRegion(d.parent) : undefined) ?? regionTree()[0];

/**
 * The location step: a location message, or district → street → community from numbered lists (or a
 * name typed at any level, through the same chooser as 设置社区).
 */
function askPlace(ctx: Ctx, d: Data, parent: RegionNode | undefined, ...intro: string[]): void {
  const more = d.photoIds.length < MAX_PHOTOS ? `也可以继续发送照片（最多 ${MAX_PHOTOS} 张）。` : '';
  const next = { ...d, parent: parent?.code, candidates: undefined };
  if (!parent?.children.length) {
    ctx.reply.text(...intro, HOW_TO_LOCATE, more);
    return ctx.state.set('location', next);
  }
  const what = `${levelName[parent.children[0]!.level] ?? '社区'}（回复序号或名称）：`;
  if (parent.level === 'city') {
    ctx.reply.text(
      ...intro,
      HOW_TO_LOCATE,
      `不方便发送位置？也可以手动选择问题所在的${what}`,
      ctx.numbered(parent.children.map((k) => k.name)),
      more,
    );
  } else {
    ctx.reply.text(
      ...intro,
      `${regionLabel(parent.code)} › 请选择问题所在的${what}`,
      ctx.numbered(parent.children.map((k) => k.name)),
      '回复 0 返回上一级，也可以直接发送位置。',
    );
  }
  ctx.state.set('location', next);
}

/** A location message (replaces a community chosen before), or a reply to the region list. */
function onPlace(ctx: Ctx, d: Data, inbound: Inbound): void {
  const city = regionTree()[0];
  if (inbound.kind === 'location') {
    try {
      locate(inbound);
    } catch (err) {
      // out of the city: offer the manual choice rather than a dead end
      if (err instanceof AppError && err.status < 500) return askPlace(ctx, d, city, `${err.message}。`);
      throw err;
    }
    const { regionCode: _r, landmark: _l, parent: _p, candidates: _c, ...rest } = d;
    return askNext(ctx, { ...rest, lat: inbound.lat, lng: inbound.lng, address: inbound.address });
  }
  const parent = listShown(d);
  if (!parent) return askPlace(ctx, d, undefined, '需要位置消息才能派给对应的责任单位。');
  if (ctx.text === '0' && parent.parentCode) return askPlace(ctx, d, findRegion(parent.parentCode));
  const choice = readRegionChoice(ctx, parent, d.candidates);
  if ('candidates' in choice) {
    ctx.reply.text(choice.text);
    return ctx.state.set('location', { ...d, candidates: choice.candidates.map((c) => c.code) });
  }
  if ('none' in choice) return askPlace(ctx, d, parent, regionHint(parent, inbound.kind === 'text' ? inbound.text.trim() : ''));
  if (choice.region.children.length) return askPlace(ctx, d, choice.region);
  askNext(
    ctx,
    { ...d, regionCode: choice.region.code, landmark: undefined, parent: undefined, candidates: undefined },
    `位置：${regionLabel(choice.region.code)}。`,
  );
}

/** Stores a photo as the resident's draft; false (with a reply) when it is not a usable image. */
async function addPhoto(ctx: Ctx, d: Data, inbound: Extract<Inbound, { kind: 'image' }>): Promise<boolean> {
  if (d.photoIds.length >= MAX_PHOTOS) {
    askNext(ctx, d, `最多 ${MAX_PHOTOS} 张照片，这张就不再添加了。`);
    return false;
  }
  try {
    const photo = await storePhoto(inbound.file, { kind: 'resident', id: ctx.resident._id }, '照片');
    d.photoIds.push(photo._id);
    return true;
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    ctx.reply.text(`${err.message}。请重新拍一张发送。`);
    ctx.state.set(ctx.state.get()?.step ?? 'photo', d);
    return false;
  }
}

async function showMine(ctx: Ctx): Promise<void> {
  const { items } = await listMyTipoffs(ctx.resident._id, { limit: 5 });
  if (!items.length) return ctx.reply.text('您还没有举报过不文明现象。回复“随手拍”拍照举报，核实受理后可获得积分。');
  const lines = items.map((t, i) => {
    const due = t.status === 'assigned' && t.deadlineAt ? `，时限 ${shortTime(new Date(t.deadlineAt))}` : '';
    const unit = ['assigned', 'rectified', 'closed'].includes(t.status) ? `（${t.unitName}${due}）` : '';
    return `${i + 1}. ${t.categoryName} · ${t.statusName}${unit}\n   编号 ${t.id}，${shortTime(new Date(t.createdAt))} 提交`;
  });
  ctx.reply.text('【我的举报】最近 5 条：', ...lines);
  ctx.reply.link({ title: '我的随手拍', description: '查看照片和完整的处理进度', url: ctx.h5Link('/tipoff/mine') });
}

async function submit(ctx: Ctx, d: Data, anonymous: boolean): Promise<void> {
  const doc = await submitTipoff(
    { kind: 'resident', residentId: ctx.resident._id },
    d.regionCode
      ? {
          categoryCode: d.categoryCode!,
          description: d.description!,
          regionCode: d.regionCode,
          address: d.landmark ?? undefined,
          anonymous,
          photoIds: d.photoIds,
        }
      : {
          categoryCode: d.categoryCode!,
          description: d.description!,
          lat: d.lat!,
          lng: d.lng!,
          address: d.address,
          anonymous,
          photoIds: d.photoIds,
        },
  );
  ctx.state.clear();
  ctx.reply.text(
    `提交成功！编号：${doc._id}${anonymous ? '（匿名）' : ''}`,
    // 内容安全: a held tip-off is not public until the office approves it (docs/moderation.md).
    ...(doc.moderation === 'held' ? ['您的随手拍正在审核，通过后将公开。'] : []),
    `文明办核实受理后，您将获得 ${TIPOFF_ACCEPT_POINTS} 积分，处理进度会第一时间通知您。`,
    '回复“我的举报”查看进度，回复“随手拍”继续举报。',
  );
}

/** 随手拍 in chat: category → photo → location (or community + landmark) → description → confirm; or begin by sending a photo. */
export const tipoffFlow = defineFlow<Data>({
  name: 'tipoff',
  keywords: ['随手拍', '举报', '曝光', '我的举报', '我的随手拍'],
  menu: { order: 3, label: '随手拍' },
  data,
  async start(ctx) {
    if (MINE_WORDS.has(ctx.text)) return showMine(ctx);
    const d: Data = { photoIds: [] };
    if (ctx.inbound.kind !== 'image') return askCategory(ctx, d, '【随手拍】发现不文明现象？拍下来告诉我们，一起共建文明家园！');
    try {
      const photo = await storePhoto(ctx.inbound.file, { kind: 'resident', id: ctx.resident._id }, '照片');
      d.photoIds.push(photo._id);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return ctx.reply.text(`收到您的图片啦，不过${err.message}。`, '想举报不文明现象，请回复“随手拍”，再按提示发送现场照片。');
    }
    askCategory(ctx, d, '收到您的图片啦！我们用它发起一次随手拍举报吧。');
  },
  async onMessage(ctx, inbound) {
    const state = ctx.state.get();
    if (!state) return askCategory(ctx, { photoIds: [] });
    const d = state.data;
    if (inbound.kind === 'image' && state.step !== 'confirm') {
      if (await addPhoto(ctx, d, inbound)) askNext(ctx, d, `已收到第 ${d.photoIds.length} 张照片。`);
      return;
    }
    switch (state.step) {
      case 'category': {
        const c = ctx.pickOrList(listCategories(), (x) => x.name);
        if ('several' in c)
          return ctx.reply.text(severalText(inbound.kind === 'text' ? inbound.text.trim() : '', c.several, (x) => x.name));
        if ('none' in c) return askCategory(ctx, d, `请回复 1-${listCategories().length} 之间的序号，或类别名称（如“垃圾”）。`);
        return askNext(ctx, { ...d, categoryCode: c.item.code });
      }
      case 'photo':
        return askNext(ctx, d, '请发送照片（不是文字哦）。');
      case 'location':
        return onPlace(ctx, d, inbound);
      case 'landmark': {
        if (inbound.kind === 'location') return onPlace(ctx, d, inbound);
        if (ctx.text === '跳过') return askNext(ctx, { ...d, landmark: null });
        const said = inbound.kind === 'text' ? inbound.text.trim() : '';
        if (said.length < 2) return askNext(ctx, d, '请用文字补充具体位置（至少 2 个字）。');
        return askNext(ctx, { ...d, landmark: said.slice(0, 100) });
      }
      case 'description': {
        const said = inbound.kind === 'text' ? inbound.text.trim() : '';
        if (said.length < 2) return askNext(ctx, d, '请用文字描述一下问题（至少 2 个字）。');
        return askNext(ctx, { ...d, description: said.slice(0, 500) });
      }
      case 'confirm': {
        const choice = ctx.pick(['提交', '匿名提交', '取消'], (s) => s);
        if (choice === '提交' || choice === '匿名提交') return submit(ctx, d, choice === '匿名提交');
        if (choice === '取消') {
          ctx.state.clear();
          return ctx.reply.text('好的，已取消本次举报。', texts.menuHint);
        }
        return askNext(ctx, d, '请回复 1（提交）、2（匿名提交）或 3（取消）。');
      }
      default:
        return askCategory(ctx, { photoIds: [] });
    }
  },
});
