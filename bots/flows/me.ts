import { participationKinds } from '../../src/modules';
import { getMe } from '../../src/modules/residents';
import { defineFlow, type FlowContext } from './flow';

async function showMe(ctx: FlowContext): Promise<void> {
  const me = await getMe(ctx.resident._id, ctx.resident);
  const p = me.participation;
  const tallies = participationKinds()
    .flatMap((k) => (k.summary ? [k.summary] : []))
    .sort((a, b) => a.order - b.order);
  ctx.reply.text(
    '【我的】',
    `昵称：${me.nickname}`,
    `社区：${me.regionCode ? me.regionName : '未选择（回复“设置社区”选择）'}`,
    `积分：${me.points} 分`,
    `参与：${tallies.map(({ key, label }) => `${label} ${p[key] ?? 0} 次`).join('、')}`,
    '回复“设置社区”修改社区，回复“链接”在网页中查看更多。',
  );
}

/** "我的": points, participation counts and community, read from the same service as GET /me. */
export const meFlow = defineFlow({
  name: 'me',
  keywords: ['我的', '积分', '我的积分', '个人中心'],
  menu: { order: 5, label: '我的' },
  start: showMe,
  onMessage: showMe,
});
