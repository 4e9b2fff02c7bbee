import { subscribeResident, subscribeRoom, todaysQuestion, unsubscribeResident, unsubscribeRoom } from '../../src/modules/dailyquiz/dailyquiz.service';
import { defineFlow, type FlowContext } from './flow';

const SUBSCRIBE = ['订阅每日一题'];
const UNSUBSCRIBE = ['退订', '退订每日一题', '取消订阅'];

/** In a group room the room subscribes (anyone in it may switch it); in a private chat the resident. */
async function answer(ctx: FlowContext): Promise<void> {
  const room = ctx.inbound.room?.id;
  if (SUBSCRIBE.includes(ctx.text)) {
    const fresh = await (room ? subscribeRoom(room) : subscribeResident(ctx.resident._id));
    const who = room ? '本群' : '您';
    ctx.reply.text(fresh ? `订阅成功！${who}每天上午将收到一道文明城市知识题。` : `${who}已经订阅了每日一题。`, '回复“退订”可随时取消。');
  } else if (UNSUBSCRIBE.includes(ctx.text)) {
    const had = await (room ? unsubscribeRoom(room) : unsubscribeResident(ctx.resident._id));
    ctx.reply.text(had ? '已退订每日一题，不再推送。回复“订阅每日一题”可重新订阅。' : '您还没有订阅每日一题。回复“订阅每日一题”即可订阅。');
  } else {
    const q = await todaysQuestion();
    if (!q) return ctx.reply.text('今天还没有题目，请稍后再来。');
    ctx.reply.text(`【今日一题】${q.text}`, ...q.options.map((o) => `${o.key}. ${o.text}`), '', '回复“答题”参加知识问答赢积分；回复“订阅每日一题”每天收到一道题。');
  }
  ctx.state.clear();
}

/** 每日一题: subscribe / unsubscribe (residents and group rooms), or see today's question. Stateless. */
export const dailyQuizFlow = defineFlow({
  name: 'daily-quiz',
  keywords: [...SUBSCRIBE, ...UNSUBSCRIBE, '每日一题'],
  start: answer,
  onMessage: answer,
});
