import { defineFlow, type FlowContext } from './flow';

/**
 * 个人信息 and 注销 are done on the H5 page, never in chat: the page shows what is held and what
 * closing erases before the resident confirms, and offers the volunteer's service record first.
 */
function sendLink(ctx: FlowContext): void {
  ctx.reply.text('查看、导出您的个人信息，撤回授权或注销账号，请在网页中操作（注销前会说明删除什么、保留什么，并需要您再次确认）。');
  ctx.reply.link({
    title: '我的个人信息',
    description: '查看与导出个人信息、撤回授权、注销账号（15 分钟内有效）',
    url: ctx.h5Link('/me/privacy'),
  });
}

export const privacyFlow = defineFlow({
  name: 'privacy',
  keywords: ['个人信息', '注销', '注销账号', '隐私', '导出个人信息', '删除我的信息'],
  start: sendLink,
  onMessage: sendLink,
});
