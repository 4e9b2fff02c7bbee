import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Who receives the daily question: _id = the residentId, or `room:<roomId>` for a WeChat group room
 * that opted in. Subscribing inserts, unsubscribing deletes: point operations only.
 */
const subscriptionSchema = new Schema(
  {
    _id: String,
    kind: { type: String, enum: ['resident', 'room'], required: true },
    residentId: { type: String, default: null },
    roomId: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type SubscriptionDoc = InferSchemaType<typeof subscriptionSchema> & { _id: string };
export const DailyQuizSubscription = mongoose.model('DailyQuizSubscription', subscriptionSchema, 'dailyquiz_subscriptions');

/** "Pushed today": _id `<day>:<contact>` (contact = residentId or `room:<roomId>`); the insert is the guard. */
const pushSchema = new Schema({ _id: String, day: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });
export const DailyQuizPush = mongoose.model('DailyQuizPush', pushSchema, 'dailyquiz_pushes');

/**
 * The question of a day, _id = the day: chosen once (first insert wins), so every instance, every
 * contact and tomorrow's "昨日答案" agree even if the bank changes in between.
 */
const daySchema = new Schema(
  {
    _id: String,
    quizId: { type: String, required: true },
    questionId: { type: String, required: true },
    type: { type: String, required: true },
    text: { type: String, required: true },
    options: { type: [{ _id: false, key: String, text: String }], default: [] },
    answer: { type: [String], default: [] },
    explanation: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type DailyQuestionDoc = InferSchemaType<typeof daySchema> & { _id: string };
export const DailyQuestion = mongoose.model('DailyQuestion', daySchema, 'dailyquiz_days');

/**
 * A resident's answer to a day's question: _id `<day>:<residentId>`. The first answer counts,
 * whether it came from chat or H5; the insert is the guard against a second one.
 */
const answerSchema = new Schema(
  {
    _id: String,
    day: { type: String, required: true },
    residentId: { type: String, required: true },
    choice: { type: String, required: true },
    correct: { type: Boolean, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export type DailyAnswerDoc = InferSchemaType<typeof answerSchema> & { _id: string };
export const DailyQuizAnswer = mongoose.model('DailyQuizAnswer', answerSchema, 'dailyquiz_answers');
