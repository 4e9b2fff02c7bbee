import { z } from 'zod';
import { type RegionNode, distanceMeters, findRegion, nearestCommunity, regionLabel, regionTree } from '../../src/modules/regions';
import { updateResident } from '../../src/modules/residents';
import type { Inbound } from '../messages';
import { texts } from '../texts';
import { defineFlow, type FlowContext } from './flow';
import { levelName, readRegionChoice, regionHint } from './region-choice';

/** A shared location counts as "in" a community within this distance of its centre. */
const NEARBY_METERS = 3_000;

type Located = Extract<Inbound, { kind: 'location' }>;

function communityNear(p: Located): RegionNode | undefined {
  const c = nearestCommunity(p);
  return c?.center && distanceMeters(p, c.center) <= NEARBY_METERS ? c : undefined;
}

const place = (p: Located) => (p.address ? `（${p.address}）` : '');

/** What the menu says about a location sent outside any flow. */
export function describeNearby(p: Located): string {
  const c = communityNear(p);
  if (!c) return `收到您的位置${place(p)}，附近没有找到本市的社区。`;
  return `根据您的位置${place(p)}，离您最近的社区是：${regionLabel(c.code)}。回复“设置社区”可以把它设为您的社区。`;
}

const data = z.object({ parent: z.string(), suggested: z.string().optional(), candidates: z.array(z.string()).optional() });
type Data = z.infer<typeof data>;
type Ctx = FlowContext<Data>;

/** Lists the children of `parent` as a numbered choice and waits for the pick. */
function ask(ctx: Ctx, parent: RegionNode, ...intro: string[]): void {
  const kids = parent.children;
  const where = parent.level === 'city' ? '' : `${regionLabel(parent.code)} › `;
  const footer = parent.level === 'city' ? texts.backHint : '回复 0 返回上一级，回复“返回”退出。';
  ctx.reply.text(
    ...intro,
    `${where}请选择您所在的${levelName[kids[0]?.level ?? 'community']}（回复序号或名称）：`,
    ctx.numbered(kids.map((k) => k.name)),
    footer,
  );
  ctx.state.set('pick', { parent: parent.code });
}

async function choose(ctx: Ctx, community: RegionNode): Promise<void> {
  await updateResident(ctx.resident._id, { regionCode: community.code });
  ctx.state.clear();
  ctx.reply.text(
    `已将您的社区设置为：${regionLabel(community.code)}。`,
    '之后您参与的答题、问卷、随手拍等都会计入这个社区。',
    texts.menuHint,
  );
}

function offer(ctx: Ctx, p: Located, parent: string): void {
  const c = communityNear(p);
  if (!c) {
    const at = findRegion(parent) ?? regionTree()[0];
    if (at) ask(ctx, at, `附近 ${NEARBY_METERS / 1000} 公里内没有找到本市的社区${place(p)}，请按列表选择。`);
    return;
  }
  ctx.reply.text(`离您最近的社区是：${regionLabel(c.code)}。设为您的社区吗？`, ctx.numbered(['是', '否，手动选择']));
  ctx.state.set('confirm', { parent, suggested: c.code });
}

function begin(ctx: Ctx): void {
  const city = regionTree()[0];
  if (!city) return ctx.reply.text('暂时没有可选择的社区，请稍后再试。');
  const current = ctx.resident.regionCode ? `您当前的社区：${regionLabel(ctx.resident.regionCode)}。` : '您还没有选择社区。';
  ask(ctx, city, current, '也可以直接发送您的位置，我来帮您找最近的社区。');
}

/** Region choice by numbered lists, district → street → community (or by sharing a location). */
export const regionFlow = defineFlow<Data>({
  name: 'region',
  keywords: ['区域', '设置社区', '选择社区', '修改社区', '社区', '我的社区'],
  data,
  start: begin,
  async onMessage(ctx, inbound) {
    const state = ctx.state.get();
    const parent = (state && findRegion(state.data.parent)) || regionTree()[0];
    if (!state || !parent) return begin(ctx);
    if (inbound.kind === 'location') return offer(ctx, inbound, parent.code);
    if (state.step === 'confirm' && state.data.suggested) {
      const yes = ctx.pick(['是', '否'], (s) => s);
      const suggested = findRegion(state.data.suggested);
      if (yes === '是' && suggested) return choose(ctx, suggested);
      if (yes === '否') return ask(ctx, regionTree()[0]!);
      return ctx.reply.text('请回复 1（是）或 2（否）。');
    }
    if (ctx.text === '0' && parent.parentCode) return ask(ctx, findRegion(parent.parentCode)!);
    const choice = readRegionChoice(ctx, parent, state.data.candidates);
    if ('candidates' in choice) {
      ctx.reply.text(choice.text);
      return ctx.state.set('pick', { parent: parent.code, candidates: choice.candidates.map((c) => c.code) });
    }
    if ('none' in choice) return ask(ctx, parent, regionHint(parent, inbound.kind === 'text' ? inbound.text.trim() : ''));
    if (choice.region.children.length) return ask(ctx, choice.region);
    await choose(ctx, choice.region);
  },
});
