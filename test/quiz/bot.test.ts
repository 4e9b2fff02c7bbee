import { startTestApp, type TestApp } from '../harness/app';
import { contact, said } from '../bot/helpers';
import { createEngine, type Engine } from '../../bots/engine';
import { findResidentByIdentity, getMe } from '../../src/modules/residents/residents.service';
import { answerQuestion, getAttempt } from '../../src/modules/quiz/quiz.service';
import { questionAsked, rightReply, wrongReply } from './bot-helpers';
import { createQuiz } from './factories';

let app: TestApp;
let engine: Engine;
beforeAll(async () => {
  app = await startTestApp();
  engine = createEngine();
});
afterAll(() => app.close());

describe('知识问答 in chat', () => {
  it('runs a whole quiz: one lettered question per message, feedback, explanation, running score, result and points', async () => {
    const c = contact(engine, 'quiz-whole');
    const intro = said(await c.say('答题'));
    expect(intro).toMatch(/【创建全国文明城市知识问答】\n本次共 10 题，每答对 1 题得 2 积分。/);
    expect(intro).toMatch(/第 1\/10 题（(单选题|多选题|判断题)）/);
    let last = intro;
    for (let i = 0; i < 10; i++) {
      const q = await questionAsked('chat', 'quiz-whole');
      expect(q.index).toBe(i);
      if (q.type !== 'judge') expect(last).toMatch(/\nA\. .+\nB\. .+/);
      else expect(last).toMatch(/请回复“对”或“错”/);
      last = said(await c.say(rightReply(q, i)));
      expect(last).toMatch(/✅ 回答正确！\n解析：.{10,}/);
      expect(last).toContain(`当前成绩：已答 ${i + 1}/10 题，答对 ${i + 1} 题。`);
      if (i < 9) expect(last).toContain(`第 ${i + 2}/10 题`);
    }
    expect(last).toMatch(/答题完成！答对 10\/10 题，得分 100 分。\n获得 20 积分！/);
    await app.flush();
    const resident = await findResidentByIdentity('chat', 'quiz-whole');
    expect(await getMe(resident!._id)).toMatchObject({ points: 20, participation: { quizzes: 1 } });
    // the conversation is back at the menu: a number picks a menu item again
    expect(said(await c.say('5'))).toMatch(/【我的】[\s\S]*积分：20 分/);
  });

  it('shows the right answer, with its text, after a wrong one', async () => {
    const c = contact(engine, 'quiz-wrong');
    await c.say('知识问答');
    const q = await questionAsked('chat', 'quiz-wrong');
    const reply = said(await c.say(wrongReply(q)));
    const right = q.type === 'judge' ? (q.answer[0] === 'A' ? '对' : '错') : q.answer.map((k) => `${k}. ${q.optionTexts[k]}`).join('；');
    expect(reply).toContain(`❌ 回答错误，正确答案是：${right}。`);
    expect(reply).toContain('当前成绩：已答 1/10 题，答对 0 题。');
  });

  it('moves on when the question it asked was answered in H5 meanwhile, and counts that answer in the score', async () => {
    const c = contact(engine, 'quiz-both');
    await c.say('答题');
    const first = await questionAsked('chat', 'quiz-both');
    expect(said(await c.say(rightReply(first, 0)))).toContain('当前成绩：已答 1/10 题，答对 1 题。');
    // The chat now asks question 2; the same resident answers it (wrongly) in H5 first.
    const second = await questionAsked('chat', 'quiz-both');
    expect(second.index).toBe(1);
    const resident = await findResidentByIdentity('chat', 'quiz-both');
    const view = await getAttempt(resident!._id, second.attemptId);
    await answerQuestion(resident!._id, second.attemptId, view.questions[1]!.id, wrongReply(second));
    const moved = said(await c.say(rightReply(second, 0)));
    expect(moved).toContain('第 3/10 题');
    const third = await questionAsked('chat', 'quiz-both');
    expect(said(await c.say(rightReply(third, 0)))).toContain('当前成绩：已答 3/10 题，答对 2 题。');
  });

  it('explains input it cannot take as an answer, and keeps asking the same question', async () => {
    const c = contact(engine, 'quiz-input');
    await c.say('答题');
    const q = await questionAsked('chat', 'quiz-input');
    if (q.type === 'judge') {
      expect(said(await c.say('也许吧'))).toMatch(/“也许吧”不是有效的回答。请回复“对”或“错”。/);
    } else {
      expect(said(await c.say('Z'))).toMatch(/本题没有选项 Z。/);
      // the hint after the refusal tells a multiple choice apart (可多选，请回复…) from a single one (请回复…)
      const hint = q.type === 'multiple' ? '可多选，请回复' : '请回复';
      expect(said(await c.say('我不知道'))).toContain(`“我不知道”不是有效的选项。${hint}`);
      if (q.type === 'single') expect(said(await c.say('AB'))).toMatch(/这是单选题，只能选一个选项。/);
    }
    expect((await questionAsked('chat', 'quiz-input')).index).toBe(0);
    expect(said(await c.say(rightReply(q, 1)))).toMatch(/✅ 回答正确！/);
  });

  it('can be abandoned with 返回 and resumed later where it stopped', async () => {
    const c = contact(engine, 'quiz-resume');
    await c.say('答题');
    for (let i = 0; i < 2; i++) await c.say(rightReply(await questionAsked('chat', 'quiz-resume'), i));
    const { attemptId } = await questionAsked('chat', 'quiz-resume');
    expect(said(await c.say('返回'))).toMatch(/已退出当前操作[\s\S]*主菜单/);
    const offer = said(await c.say('答题'));
    expect(offer).toMatch(/您有一次未完成的「创建全国文明城市知识问答」，已答 2\/10 题。\n1\. 继续答题\n2\. 重新开始/);
    expect(said(await c.say('3'))).toMatch(/请回复 1（继续答题）或 2（重新开始）/);
    expect(said(await c.say('1'))).toMatch(/好的，我们接着答。\n第 3\/10 题/);
    expect((await questionAsked('chat', 'quiz-resume')).attemptId).toBe(attemptId);
    // "继续答题" resumes straight away from anywhere
    await c.say('菜单');
    expect(said(await c.say('继续答题'))).toMatch(/我们接着答「创建全国文明城市知识问答」。\n第 3\/10 题/);
  });

  it('starts over on 重新开始 with a fresh attempt', async () => {
    const c = contact(engine, 'quiz-restart');
    await c.say('答题');
    await c.say(rightReply(await questionAsked('chat', 'quiz-restart'), 0));
    const first = (await questionAsked('chat', 'quiz-restart')).attemptId;
    await c.say('返回');
    await c.say('答题');
    expect(said(await c.say('重新开始'))).toMatch(/本次共 10 题[\s\S]*第 1\/10 题/);
    expect((await questionAsked('chat', 'quiz-restart')).attemptId).not.toBe(first);
  });

  it('shows this week’s leaderboard with a link to the full boards', async () => {
    const c = contact(engine, 'quiz-board');
    const replies = await c.say('排行榜');
    const text = said(replies);
    expect(text).toMatch(/【创建全国文明城市知识问答 · 本周排行榜】/);
    expect(text).toMatch(/1\. \S+　100 分/); // the whole-quiz test above scored 100
    expect(text).toMatch(/您本周还没有计分的答题成绩/);
    expect(replies.some((r) => r.kind === 'link' && /\/h5\/link\?t=/.test(r.url))).toBe(true);
  });

  it('asks which quiz to take when there are several', async () => {
    const second = await createQuiz(app);
    const c = contact(engine, 'quiz-pick');
    const list = said(await c.say('答题'));
    expect(list).toMatch(/请选择要参加的知识问答（回复序号）：\n1\. 创建全国文明城市知识问答（10 题）\n2\. 测试答题 \d+（3 题）/);
    expect(said(await c.say('2'))).toMatch(/【测试答题 \d+】\n本次共 3 题/);
    expect((await questionAsked('chat', 'quiz-pick', second.id)).total).toBe(3);
  });
});
