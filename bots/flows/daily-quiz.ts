import {
  answerDailyQuestion,
  subscribeResident,
  subscribeRoom,
  todaysQuestion,
  unsubscribeResident,
  unsubscribeRoom,
  type DailyQuestionDoc,
} from '../../src/modules/dailyquiz';
import type { ChatQuestion } from '../../src/modules/questionnaire';
import { quizQuestionTypes } from '../../src/modules/quiz';
import { readChoice } from './questions';
import { defineFlow, type FlowContext } from './flow';

const SUBSCRIBE = ['订阅每日一题'];

/** The day's stored question as the shared chat reader takes it (its document keeps the type as a plain string). */
const asked = (q: DailyQuestionDoc): ChatQuestion => ({
  type: quizQuestionTypes.find((t) => t === q.type) ?? 'single',
  text: q.text,
  options: q.options.map((o) => ({ key: o.key ?? '', text: o.text ?? '' })),
});
const UNSUBSCRIBE = ['退订', '退订每日一题', '取消订阅'];

/**
 * A letter (or 对/错) sent outside any flow answers today's question: the pushed question asks for
 * exactly that. Returns false when there is no question today, so the menu handles the message.
 */
export async function answerTodayInChat(ctx: FlowContext): Promise<boolean> {
  if (ctx.inbound.room) return false; // in a group the members answer in private chat or H5
  const q = await todaysQuestion();
  if (!q) return false;
  const read = readChoice(asked(q), ctx.text);
  if ('problem' in read) {
    ctx.reply.text(`【今日一题】${read.problem}`);
    return true;
  }
  const r = await answerDailyQuestion(ctx.resident._id, read.value.join(''));
  const verdict = r.correct ? '✅ 回答正确！' : `❌ 回答错误，正确答案是：${r.answerText}。`;
  const reward = r.alreadyAnswered
    ? '您今天已经答过这道题，以第一次作答为准。'
    : r.points > 0
      ? `获得 ${r.points} 积分！`
      : '明天再接再厉！';
  ctx.reply.text(
    `【今日一题】${verdict}`,
    ...(r.explanation ? [`解析：${r.explanation}`] : []),
    reward,
    '回复“答题”参加知识问答赢更多积分。',
  );
  return true;
}

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
    const how = q.type === 'judge' ? '直接回复“对”或“错”作答' : '直接回复选项字母作答';
    ctx.reply.text(
      `【今日一题】${q.text}`,
      ...q.options.map((o) => `${o.key}. ${o.text}`),
      '',
      `${how}（每天第一次作答计分）；回复“订阅每日一题”每天收到一道题。`,
    );
  }
  ctx.state.clear();
}

/** 每日一题: subscribe / unsubscribe (residents and group rooms), see today's question, answer it. Stateless. */
export const dailyQuizFlow = defineFlow({
  name: 'daily-quiz',
  keywords: [...SUBSCRIBE, ...UNSUBSCRIBE, '每日一题'],
  start: answer,
  onMessage: answer,
});
