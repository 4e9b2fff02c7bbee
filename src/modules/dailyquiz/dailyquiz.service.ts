import { claimOnce } from '../../core/store';
import { logger } from '../../core/logger';
import { addDays, dayKey, now } from '../../core/time';
import { notifyResident } from '../outbox/outbox.service';
import { queueRoomMessage } from '../rooms/rooms.service';
import { DailyQuizPush, DailyQuizSubscription, type DailyQuestionDoc, type SubscriptionDoc } from './dailyquiz.model';
import { chosenQuestion, questionOfDay } from './dailyquiz.pick';

const roomContact = (roomId: string) => `room:${roomId}`;

/** Subscribes a resident; false when already subscribed. */
export async function subscribeResident(residentId: string): Promise<boolean> {
  return insertSubscription({ _id: residentId, kind: 'resident', residentId, roomId: null, createdAt: now() });
}
export async function subscribeRoom(roomId: string): Promise<boolean> {
  return insertSubscription({ _id: roomContact(roomId), kind: 'room', residentId: null, roomId, createdAt: now() });
}
const insertSubscription = (doc: SubscriptionDoc): Promise<boolean> => claimOnce(DailyQuizSubscription, doc);

/** Unsubscribes; false when there was nothing to cancel. */
export async function unsubscribeResident(residentId: string): Promise<boolean> {
  return (await DailyQuizSubscription.deleteOne({ _id: residentId })).deletedCount === 1;
}
export async function unsubscribeRoom(roomId: string): Promise<boolean> {
  return (await DailyQuizSubscription.deleteOne({ _id: roomContact(roomId) })).deletedCount === 1;
}
export async function isSubscribed(residentId: string): Promise<boolean> {
  return Boolean(await DailyQuizSubscription.exists({ _id: residentId }));
}

const TYPE_NAMES: Record<string, string> = { single: '单选题', multiple: '多选题', judge: '判断题' };
const monthDay = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** The pushed text: today's question (never its answer) and yesterday's answer with its explanation. */
export function dailyText(day: string, q: DailyQuestionDoc, yesterday: DailyQuestionDoc | undefined, forRoom: boolean): string {
  const lines = [
    `【每日一题】${monthDay(day)}（${TYPE_NAMES[q.type] ?? '选择题'}）`,
    q.text,
    ...q.options.map((o) => `${o.key}. ${o.text}`),
  ];
  if (yesterday) {
    const answer = yesterday.answer.map((k) => `${k}. ${yesterday.options.find((o) => o.key === k)?.text ?? ''}`).join('；');
    lines.push('', `昨日答案：${answer}`);
    if (yesterday.explanation) lines.push(`解析：${yesterday.explanation}`);
  }
  const how = q.type === 'judge' ? '“对”或“错”' : '选项字母';
  lines.push(
    '',
    forRoom
      ? `私聊我回复${how}即可作答；回复“答题”参加知识问答赢积分；群里回复“退订”不再推送每日一题。`
      : `直接回复${how}作答（每天第一次作答计分）；回复“答题”参加知识问答赢积分；回复“退订”不再接收每日一题。`,
  );
  return lines.join('\n');
}

/**
 * The daily push: today's question to every subscribed resident (through the outbox, so the bot's
 * send queue spaces the pushes and residents without a bot contact read it in H5 "消息") and to every
 * subscribed room (the room outbox). Each contact at most once a day: the `<day>:<contact>` insert is
 * the guard, whichever instance or run gets there first. Scans the subscriptions (a daily job).
 */
export async function pushDailyQuestion(at: Date): Promise<Record<string, number>> {
  const day = dayKey(at);
  const question = await questionOfDay(day);
  const counts = { subscribers: 0, residents: 0, rooms: 0, alreadyPushed: 0, failed: 0 };
  if (!question) {
    logger.warn({ day }, 'daily question: no active quiz question');
    return { ...counts, noQuestion: 1 };
  }
  const yesterday = await chosenQuestion(addDays(day, -1));
  for (const s of await DailyQuizSubscription.find().lean<SubscriptionDoc[]>()) {
    counts.subscribers++;
    if (!(await claimPush(day, s._id))) {
      counts.alreadyPushed++;
      continue;
    }
    try {
      if (s.kind === 'room') {
        await queueRoomMessage(
          { id: s.roomId! },
          'daily-quiz',
          [{ kind: 'text', text: dailyText(day, question, yesterday, true) }],
          `dailyquiz:${day}`,
        );
        counts.rooms++;
      } else {
        await notifyResident(s.residentId!, dailyText(day, question, yesterday, false), `dailyquiz:${day}`);
        counts.residents++;
      }
    } catch (err) {
      // Give the claim back so the next run retries; the outbox dedupe key still prevents a double.
      counts.failed++;
      logger.warn({ err, contact: s._id }, 'daily question push failed');
      await DailyQuizPush.deleteOne({ _id: `${day}:${s._id}` }).catch(() => undefined);
    }
  }
  return counts;
}

const claimPush = (day: string, contact: string): Promise<boolean> =>
  claimOnce(DailyQuizPush, { _id: `${day}:${contact}`, day, at: now() });

/** Today's question for a resident who asks (H5 or bot), without the answer. */
export async function todaysQuestion(at: Date = now()): Promise<DailyQuestionDoc | undefined> {
  return questionOfDay(dayKey(at));
}
