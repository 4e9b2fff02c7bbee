import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';

/**
 * Who receives the daily question: _id = the residentId, or `room:<roomId>` for a WeChat group room
 * that opted in. Subscribing inserts, unsubscribing deletes: point operations only.
 */
export const DailyQuizSubscription = defineModel('DailyQuizSubscription', 'dailyquiz_subscriptions', {
  _id: String,
  kind: { type: String, enum: ['resident', 'room'], required: true },
  residentId: { type: String, default: null },
  roomId: { type: String, default: null },
  createdAt: { type: Date, required: true },
});
export type SubscriptionDoc = DocOf<typeof DailyQuizSubscription>;

/** "Pushed today": _id `<day>:<contact>` (contact = residentId or `room:<roomId>`); the insert is the guard. */
export const DailyQuizPush = defineModel('DailyQuizPush', 'dailyquiz_pushes', {
  _id: String,
  day: { type: String, required: true },
  at: { type: Date, required: true },
});

/**
 * The question of a day, _id = the day: chosen once (first insert wins), so every instance, every
 * contact and tomorrow's "昨日答案" agree even if the bank changes in between.
 */
export const DailyQuestion = defineModel('DailyQuestion', 'dailyquiz_days', {
  _id: String,
  quizId: { type: String, required: true },
  questionId: { type: String, required: true },
  type: { type: String, required: true },
  text: { type: String, required: true },
  options: { type: [new Schema({ key: String, text: String }, { _id: false })], default: [] },
  answer: { type: [String], default: [] },
  explanation: { type: String, default: null },
  createdAt: { type: Date, required: true },
});
export type DailyQuestionDoc = DocOf<typeof DailyQuestion>;

/**
 * A resident's answer to a day's question: _id `<day>:<residentId>`. The first answer counts,
 * whether it came from chat or H5; the insert is the guard against a second one.
 */
export const DailyQuizAnswer = defineModel('DailyQuizAnswer', 'dailyquiz_answers', {
  _id: String,
  day: { type: String, required: true },
  residentId: { type: String, required: true },
  choice: { type: String, required: true },
  correct: { type: Boolean, required: true },
  at: { type: Date, required: true },
});
export type DailyAnswerDoc = DocOf<typeof DailyQuizAnswer>;
