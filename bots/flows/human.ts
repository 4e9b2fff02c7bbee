import { z } from 'zod';
import { HELP_PROMISE, openHelpRequest } from '../../src/modules/helpdesk';
import { normalizeText } from '../messages';
import { defineFlow, type FlowContext } from './flow';

const KEYWORDS = ['人工', '人工服务', '转人工', '找人工', '客服', '人工客服', '联系客服', '投诉', '我要投诉', '投诉建议'];
/** Words that ask for a person inside a longer message ("我要投诉物业"). */
export const ASKS_FOR_PERSON = /人工|客服|投诉|找领导|真人/;

const data = z.object({});
type Ctx = FlowContext<z.infer<typeof data>>;

async function open(ctx: Ctx, said: string): Promise<void> {
  const r = await openHelpRequest({ residentId: ctx.resident._id, channel: ctx.channel, said, transcript: ctx.recent() });
  ctx.state.clear();
  ctx.reply.text(`已为您转接人工服务（编号 ${r.id}），我们已记下您的问题和刚才的对话。`, HELP_PROMISE, '回复“菜单”可继续使用其他功能。');
}

/**
 * 人工服务: "人工", "客服", "投诉"… reach a person. A message that already says what it is about
 * ("我要投诉物业") becomes the request at once; a bare keyword asks for one sentence first.
 */
export const humanFlow = defineFlow({
  name: 'human',
  keywords: KEYWORDS,
  data,
  async start(ctx) {
    const said = ctx.inbound.kind === 'text' ? ctx.inbound.text.trim() : '';
    if (said && !KEYWORDS.map(normalizeText).includes(normalizeText(said))) return open(ctx, said);
    ctx.reply.text(
      '好的，为您转接人工服务。请用一两句话说明您遇到的问题（如“小区门口夜市噪音扰民，多次反映未解决”）。',
      '回复“返回”可取消。',
    );
    ctx.state.set('describe', {});
  },
  async onMessage(ctx, inbound) {
    if (inbound.kind !== 'text' || inbound.text.trim().length < 2)
      return ctx.reply.text('请用文字简单说明您的问题，工作人员会尽快回复。回复“返回”可取消。');
    await open(ctx, inbound.text.trim());
  },
});
