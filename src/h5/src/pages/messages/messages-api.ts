import { api } from '../../api';
import type { DailyAnswerView, DailyQuestionView } from '../../../../modules/dailyquiz/dailyquiz.schema';
import type { MessageList, OutboxMessageView } from '../../../../modules/outbox/outbox.schema';

/** 消息 and 每日一题: the resident's notifications and their daily-question subscription. */
export type { OutboxMessageView };

export const listMessages = (cursor?: string | null) =>
  api.get<MessageList>(`/api/v1/me/messages?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
export const dailyQuizSubscribed = async () => (await api.get<{ subscribed: boolean }>('/api/v1/me/daily-quiz')).subscribed;
export const setDailyQuiz = async (subscribed: boolean) =>
  (await api.put<{ subscribed: boolean }>('/api/v1/me/daily-quiz', { subscribed })).subscribed;

/** "今天 08:30", "昨天 20:15", "11月3日 09:00", "2025年11月3日" — times shown in Beijing time. */
export function when(iso: string, today = new Date()): string {
  const [date = '', time = ''] = iso.split('T');
  const hm = time.slice(0, 5);
  const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const todayKey = local(today);
  const yesterdayKey = local(new Date(today.getTime() - 86_400_000));
  if (date === todayKey) return `今天 ${hm}`;
  if (date === yesterdayKey) return `昨天 ${hm}`;
  const [y, m, d] = date.split('-').map(Number);
  return y === Number(todayKey.slice(0, 4)) ? `${m}月${d}日 ${hm}` : `${y}年${m}月${d}日`;
}

export type { DailyQuestionView, DailyAnswerView };
/** Today's question (null when there is none today), with the resident's answer once given. */
export const todaysQuestion = () => api.get<DailyQuestionView>('/api/v1/daily-quiz/today', { silent: true }).catch(() => null);
export const answerToday = (choice: string) => api.post<DailyAnswerView>('/api/v1/daily-quiz/answer', { choice }, { silent: true });
