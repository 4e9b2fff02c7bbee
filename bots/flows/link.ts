import { defineFlow, type FlowContext } from './flow';

function sendLink(ctx: FlowContext): void {
  ctx.reply.link({
    title: '文明城市 · 网页版',
    description: '点击打开，可查看我的积分、消息和更多功能（15 分钟内有效）',
    url: ctx.h5Link('/'),
  });
}

/** A signed short-lived link that opens the H5 pages as the same resident. */
export const linkFlow = defineFlow({
  name: 'link',
  keywords: ['链接', '网页', '网页版', 'h5'],
  start: sendLink,
  onMessage: sendLink,
});
