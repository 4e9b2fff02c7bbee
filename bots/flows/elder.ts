import { updateResident } from '../../src/modules/residents';
import { defineFlow, type FlowContext } from './flow';

/**
 * "大字" and its kin: turns 长辈模式 on for this resident (stored, so every later visit is large too)
 * and sends the H5 link that opens in it. `?elder=1` makes the very first page large before the
 * page has read the resident.
 */
async function largeText(ctx: FlowContext): Promise<void> {
  if (!ctx.resident.elderMode) await updateResident(ctx.resident._id, { elderMode: true });
  ctx.reply.link({
    title: '文明城市 · 长辈模式',
    description: '已为您开启大字、大按钮。点击打开网页版（15 分钟内有效）',
    url: ctx.h5Link('/?elder=1'),
  });
  ctx.reply.text('已为您开启长辈模式：网页字更大、按钮更大。想恢复标准字号，再点一下网页上的“大字”按钮，或在「我的」里关闭长辈模式。');
}

export const elderFlow = defineFlow({
  name: 'elder',
  keywords: ['大字', '大字版', '长辈模式', '老年模式', '适老模式', '字大一点', '字大点', '字太小', '字太小了', '放大字体', '看不清'],
  start: largeText,
  onMessage: largeText,
});
