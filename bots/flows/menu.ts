import { regionTree } from '../../src/modules/regions';
import { texts } from '../texts';
import { looksLikeChoice } from './questions';
import { answerTodayInChat } from './daily-quiz';
import { ASKS_FOR_PERSON } from './human';
import { defineFlow, type FlowContext } from './flow';
import { describeNearby } from './region';

const greetings = new Set(['你好', '您好', 'hi', 'hello', '嗨', '哈喽', '在吗', '在', '早', '早上好', '晚上好', '开始', '首页']);

function showMenu(ctx: FlowContext, intro?: string): void {
  const city = regionTree()[0]?.name ?? '';
  const lines = ctx.menu().map((m) => `${m.number}. ${m.label}`);
  ctx.reply.text(
    ...(intro ? [intro] : []),
    `【${city}文明城市创建 · 主菜单】`,
    ...lines,
    '请回复数字选择，也可以直接回复“答题”“随手拍”等关键词。',
  );
}

/**
 * The home of every conversation: shows the numbered main menu, and receives whatever a contact
 * sends while no other flow holds the conversation (menu numbers, greetings, stray input).
 */
export const menuFlow = defineFlow({
  name: 'menu',
  keywords: ['菜单', '主菜单', 'menu'],
  start: (ctx) => showMenu(ctx),
  async onMessage(ctx, inbound) {
    const city = regionTree()[0]?.name ?? '';
    const welcome = `您好，${ctx.resident.nickname}！欢迎参与${city}文明城市创建，一起共建文明家园。`;
    // A photo sent outside any flow starts a 随手拍 report with it.
    if (inbound.kind === 'image') return ctx.startFlow('tipoff');
    if (inbound.kind === 'location') return ctx.reply.text(describeNearby(inbound), texts.menuHint);
    if (/^\d+$/.test(ctx.text)) {
      const entry = ctx.menu().find((m) => m.number === Number(ctx.text));
      if (entry) return ctx.startFlow(entry.flow);
      return showMenu(ctx, `没有编号为 ${ctx.text} 的选项，请回复 1-${ctx.menu().length} 之间的数字。`);
    }
    if (ctx.firstContact || greetings.has(ctx.text)) return showMenu(ctx, welcome);
    // "我要投诉物业", "能不能找个人工": a person, not a menu
    if (ASKS_FOR_PERSON.test(inbound.text)) return ctx.startFlow('human');
    // "B" after the pushed 每日一题 answers it
    if (looksLikeChoice(ctx.text) && (await answerTodayInChat(ctx))) return;
    const said = inbound.text.trim();
    const shown = said.length > 20 ? `${said.slice(0, 20)}…` : said;
    showMenu(ctx, `抱歉，我暂时没听懂“${shown}”。您可以这样找到想要的功能：`);
  },
});
