import { useTestApp } from '../harness/app';
import { residentSession } from '../factories';
import { contact, said } from '../bot/helpers';
import { createEngine } from '../../bots/engine';
import { createRoomQueue, type RoomPost } from '../../bots/room-queue';
import { Pacer } from '../../bots/send-queue';
import { setClock } from '../../src/core/time';
import { dailyQuizJobs } from '../../src/modules/dailyquiz/dailyquiz.jobs';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { OutboxMessage } from '../../src/modules/outbox/outbox.model';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { RoomMessage } from '../../src/modules/rooms/rooms.model';
import { DailyQuestion } from '../../src/modules/dailyquiz/dailyquiz.model';
import { getMe } from '../../src/modules/residents/residents.service';
import type { RoomRef } from '../../src/modules/rooms/rooms.service';

const app = useTestApp();

const engine = createEngine();
const runnerA = createJobRunner({ jobs: dailyQuizJobs, instanceId: 'a' });
const runnerB = createJobRunner({ jobs: dailyQuizJobs, instanceId: 'b' });
const dailyMessages = async (day: string) => (await OutboxMessage.find().lean()).filter((m) => String(m._id).endsWith(`:dailyquiz:${day}`));

describe('daily question (quiz.daily-push)', () => {
  it('subscribes by bot keyword, in a room and with the H5 switch, and unsubscribes with 退订', async () => {
    const h5 = await residentSession(app);
    expect((await app.get('/api/v1/me/daily-quiz', { token: h5.token })).body).toEqual({ subscribed: false });
    expect((await app.request('PUT', '/api/v1/me/daily-quiz', { subscribed: true }, { token: h5.token })).body).toEqual({
      subscribed: true,
    });
    expect((await app.get('/api/v1/me/daily-quiz', { token: h5.token })).body).toEqual({ subscribed: true });
    expect((await app.request('PUT', '/api/v1/me/daily-quiz', { subscribed: 'yes' }, { token: h5.token })).status).toBe(400);

    const wang = contact(engine, 'dq-wang', 'wechaty');
    expect(said(await wang.say('订阅每日一题'))).toMatch(/订阅成功/);
    expect(said(await wang.say('订阅每日一题'))).toMatch(/已经订阅/);
    const li = contact(engine, 'dq-li', 'wechaty');
    await li.say('订阅每日一题');
    expect(said(await li.say('退订'))).toMatch(/已退订/);

    const member = contact(engine, 'dq-room-member', 'wechaty');
    expect(said(await member.say('订阅每日一题', { room: { id: 'room-liuan', mentioned: false } }))).toMatch(/本群每天上午/);
    expect(said(await member.say('每日一题'))).toMatch(/【今日一题】/);
  });

  it("pushes today's question once per contact and day, across runs and instances, and not to who unsubscribed", async () => {
    const h5 = (await residentSession(app)).id;
    await app.request('PUT', '/api/v1/me/daily-quiz', { subscribed: true }, { token: (await residentSession(app)).token });
    const wang = (await findResidentByIdentity('wechaty', 'dq-wang'))!._id;
    const li = (await findResidentByIdentity('wechaty', 'dq-li'))!._id;

    const at = new Date('2026-11-10T08:30:00+08:00');
    setClock(() => at);
    const [a, b] = await Promise.all([runnerA.runOccurrence('quiz.daily-push', at), runnerB.runOccurrence('quiz.daily-push', at)]);
    const run = a ?? b;
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(run).toMatchObject({ status: 'ok', counts: { subscribers: 4, residents: 3, rooms: 1, alreadyPushed: 0 } });

    const today = await dailyMessages('2026-11-10');
    const to = today.map((m) => m.residentId);
    expect(to).toContain(wang);
    expect(to).not.toContain(li);
    expect(to).not.toContain(h5); // never subscribed
    expect(today[0]!.text).toMatch(/^【每日一题】11月10日/);
    expect(today[0]!.text).not.toMatch(/昨日答案/);
    // pushed by the bot where the resident talks to it, left for H5 otherwise
    expect(today.find((m) => m.residentId === wang)!.status).toBe('pending');

    // a run-now later the same day pushes nobody again
    const again = await runnerB.runOccurrence('quiz.daily-push', new Date('2026-11-10T12:00:00+08:00'));
    expect(again!.counts).toMatchObject({ residents: 0, rooms: 0, alreadyPushed: 4 });
    expect(await dailyMessages('2026-11-10')).toHaveLength(3);
    expect(await RoomMessage.countDocuments({ room: 'id:room-liuan' })).toBe(1);

    // the next day: a new question, with yesterday's answer
    setClock(() => new Date('2026-11-11T08:30:00+08:00'));
    const next = await runnerA.runOccurrence('quiz.daily-push', new Date('2026-11-11T08:30:00+08:00'));
    expect(next!.counts).toMatchObject({ residents: 3, rooms: 1 });
    const tomorrow = await dailyMessages('2026-11-11');
    expect(tomorrow[0]!.text).toMatch(/昨日答案：[A-H]\./);
    setClock(undefined);
  });

  it("posts the room message through the bot's room queue, once", async () => {
    const posted: Array<{ room: RoomRef; post: RoomPost }> = [];
    const queue = createRoomQueue({ pacer: new Pacer(0), deliver: async (room, post) => void posted.push({ room, post }) });
    setClock(() => new Date('2026-11-11T08:31:00+08:00'));
    const first = await queue.drainOnce();
    expect(first.sent).toBe(2); // the two days' messages, oldest first
    expect(posted.map((p) => p.room)).toEqual([{ id: 'room-liuan' }, { id: 'room-liuan' }]);
    expect(posted[0]!.post).toMatchObject({ kind: 'text', text: expect.stringMatching(/【每日一题】11月10日[\s\S]*群里回复“退订”/) });
    expect((await queue.drainOnce()).sent).toBe(0);
    expect(await RoomMessage.countDocuments({ status: 'sent' })).toBe(2);
    setClock(undefined);
  });
});

describe('answering the daily question, in chat and in H5 alike', () => {
  const day = '2026-11-12';
  const at = new Date(`${day}T09:00:00+08:00`);
  beforeEach(() => setClock(() => at));
  afterEach(() => setClock(undefined));

  const question = async () => {
    const today = await app.get('/api/v1/daily-quiz/today', { token: (await residentSession(app)).token });
    expect(today.status).toBe(200);
    return (await DailyQuestion.findById(day).lean())!;
  };
  const wrongOf = (q: { type: string; answer: string[]; options: Array<{ key?: string | null }> }) =>
    q.options.map((o) => o.key!).find((k) => !q.answer.includes(k))!;
  const chatReply = (q: { type: string; answer: string[] }, keys: string[]) =>
    q.type === 'judge' ? (keys[0] === 'A' ? '对' : '错') : keys.join('');

  it('takes a letter sent after the question as the answer, shows the right answer with its text, and grants the point once', async () => {
    const q = await question();
    const c = contact(engine, 'dq-answer-right');
    expect(said(await c.say('每日一题'))).toMatch(q.type === 'judge' ? /直接回复“对”或“错”作答/ : /直接回复选项字母作答/);
    const right = said(await c.say(chatReply(q, q.answer)));
    expect(right).toMatch(/【今日一题】✅ 回答正确！/);
    expect(right).toContain('获得 1 积分！');
    expect(right).not.toMatch(/没听懂/);
    const again = said(await c.say(chatReply(q, q.answer)));
    expect(again).toContain('您今天已经答过这道题，以第一次作答为准。');
    await app.flush();
    const resident = (await findResidentByIdentity('chat', 'dq-answer-right'))!;
    expect((await getMe(resident._id)).points).toBe(1);
  });

  it('tells a wrong answer the right one with its text, and H5 then shows the first answer', async () => {
    const q = await question();
    const c = contact(engine, 'dq-answer-wrong');
    await c.say('你好'); // a first message is always welcomed with the menu
    const wrong = wrongOf(q);
    const reply = said(await c.say(chatReply(q, [wrong])));
    const shown =
      q.type === 'judge'
        ? q.answer[0] === 'A'
          ? '对'
          : '错'
        : q.answer.map((k) => `${k}. ${q.options.find((o) => o.key === k)!.text}`).join('；');
    expect(reply).toContain(`❌ 回答错误，正确答案是：${shown}。`);
  });

  it('counts the first answer from H5 and chat alike: a later one from the other side gets the first result back', async () => {
    const q = await question();
    const h5 = await residentSession(app);
    const first = await app.request('POST', '/api/v1/daily-quiz/answer', { choice: q.answer.join('').toLowerCase() }, { token: h5.token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ day, correct: true, points: 1, alreadyAnswered: false, answer: q.answer });
    const second = await app.request('POST', '/api/v1/daily-quiz/answer', { choice: wrongOf(q) }, { token: h5.token });
    expect(second.body).toMatchObject({ correct: true, points: 0, alreadyAnswered: true });
    const today = await app.get('/api/v1/daily-quiz/today', { token: h5.token });
    expect(today.body.myAnswer).toMatchObject({ choice: [...q.answer].sort().join(''), correct: true });
  });

  it('refuses an option the question does not have, in Chinese', async () => {
    await question();
    const h5 = await residentSession(app);
    const bad = await app.request('POST', '/api/v1/daily-quiz/answer', { choice: 'Z' }, { token: h5.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/本题没有选项 Z/);
    expect((await app.request('POST', '/api/v1/daily-quiz/answer', {}, { token: h5.token })).status).toBe(400);
  });
});
