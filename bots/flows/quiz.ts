import { z } from 'zod';
import { AppError } from '../../src/core/errors';
import {
  listQuizSummaries,
  readLeaderboard,
  type AttemptQuestion,
  type AttemptView,
  type QuizSummary,
  answerQuestion,
  findOpenAttempt,
  finishAttempt,
  getAttempt,
  loadAttempt,
  presentAttemptQuestion,
  startAttempt,
} from '../../src/modules/quiz';
import { choiceLabel, questionLines, readChoice } from './questions';
import { defineFlow, type FlowContext } from './flow';

/**
 * 知识问答 in chat: one question per message as every questionnaire asks it (questions.ts), feedback with the explanation and
 * the running score. The attempt lives in the database (quiz service), so "返回" abandons the chat
 * but not the attempt: the next "答题" offers to continue it.
 */
const data = z.object({
  quizId: z.string().optional(),
  attemptId: z.string().optional(),
  /** question id → answered correctly, for the answers given in this chat (saves reading them back) */
  answered: z.record(z.string(), z.boolean()).optional(),
});
type Data = z.infer<typeof data>;
type Ctx = FlowContext<Data>;

const LEADERBOARD_WORDS = new Set(['排行榜', '答题排行', '答题排行榜']);

/** Where the chat is in an attempt: its questions and which of them are answered (correctly or not). */
interface Progress {
  attemptId: string;
  quizId: string;
  questions: AttemptQuestion[];
  answered: Record<string, boolean>;
}

const progressOf = (view: AttemptView): Progress => ({
  attemptId: view.attemptId,
  quizId: view.quizId,
  questions: view.questions,
  answered: Object.fromEntries(Object.entries(view.answers).map(([id, a]) => [id, a.correct])),
});

const nextQuestion = (p: Progress) => p.questions.findIndex((q) => !(q.id in p.answered));

async function ask(ctx: Ctx, view: AttemptView | Progress, ...before: string[]): Promise<void> {
  const p = 'answers' in view ? progressOf(view) : view;
  const i = nextQuestion(p);
  if (i < 0) return finish(ctx, p.attemptId);
  ctx.reply.text(...before, questionLines(p.questions[i]!, i, p.questions.length).join('\n'));
  ctx.state.set('answer', { quizId: p.quizId, attemptId: p.attemptId, answered: p.answered });
}

async function begin(ctx: Ctx, quiz: QuizSummary): Promise<void> {
  const attempt = await startAttempt(ctx.resident._id, quiz.id);
  const view = await getAttempt(ctx.resident._id, attempt.attemptId);
  const intro = [
    `【${quiz.title}】`,
    `本次共 ${view.questions.length} 题，每答对 1 题得 ${quiz.pointsPerCorrect} 积分。`,
    '回复“返回”可随时退出，下次回复“答题”可以接着答。',
  ];
  await ask(ctx, view, intro.join('\n'));
}

async function finish(ctx: Ctx, attemptId: string): Promise<void> {
  const r = await finishAttempt(ctx.resident._id, attemptId);
  const points = r.scored
    ? `获得 ${r.pointsAwarded} 积分！`
    : r.pointsAwarded === 0 && r.correctCount > 0
      ? `今天的 ${r.dailyLimit} 次计分机会已用完，本次不计积分，明天再来吧。`
      : '本次没有获得积分，再接再厉！';
  ctx.state.clear();
  ctx.reply.text(
    `🎉 答题完成！答对 ${r.correctCount}/${r.total} 题，得分 ${r.score} 分。`,
    points,
    '回复“答题”再来一次，回复“排行榜”查看排名，回复“菜单”查看其他功能。',
  );
}

async function offerResume(ctx: Ctx, quiz: QuizSummary): Promise<boolean> {
  const open = await findOpenAttempt(ctx.resident._id, quiz.id);
  if (!open || open.answered >= open.total) return false;
  if (ctx.text === '继续答题') {
    await ask(ctx, await getAttempt(ctx.resident._id, open.attemptId), `好的，我们接着答「${quiz.title}」。`);
    return true;
  }
  ctx.reply.text(`您有一次未完成的「${quiz.title}」，已答 ${open.answered}/${open.total} 题。`, ctx.numbered(['继续答题', '重新开始']));
  ctx.state.set('resume', { quizId: quiz.id, attemptId: open.attemptId });
  return true;
}

async function choose(ctx: Ctx, quiz: QuizSummary): Promise<void> {
  if (!(await offerResume(ctx, quiz))) await begin(ctx, quiz);
}

async function showLeaderboard(ctx: Ctx, quizzes: QuizSummary[]): Promise<void> {
  const quiz = quizzes[0]!;
  const board = await readLeaderboard(quiz.id, { period: 'week', limit: 10, residentId: ctx.resident._id });
  const rows = board.items.map((e) => `${e.rank}. ${e.nickname}　${e.score} 分${e.me ? '（我）' : ''}`);
  const mine = board.me
    ? `您本周的最好成绩：${board.me.score} 分${board.me.rank ? `，排名第 ${board.me.rank}` : ''}。`
    : '您本周还没有计分的答题成绩，回复“答题”参加吧。';
  ctx.reply.text(`【${quiz.title} · 本周排行榜】`, rows.length ? rows.join('\n') : '本周还没有人上榜，快来争第一！', mine);
  ctx.reply.link({ title: '答题排行榜', description: '查看本月和总排行榜、各区排行', url: ctx.h5Link(`/quiz/${quiz.id}/leaderboard`) });
}

async function start(ctx: Ctx): Promise<void> {
  const quizzes = await listQuizSummaries();
  if (!quizzes.length) return ctx.reply.text('暂时没有可以参加的知识问答，敬请期待。');
  if (LEADERBOARD_WORDS.has(ctx.text)) return showLeaderboard(ctx, quizzes);
  if (quizzes.length === 1) return choose(ctx, quizzes[0]!);
  for (const q of quizzes) if (await offerResume(ctx, q)) return;
  ctx.reply.text('请选择要参加的知识问答（回复序号）：', ctx.numbered(quizzes.map((q) => `${q.title}（${q.drawSize} 题）`)));
  ctx.state.set('pick', {});
}

/**
 * Where the attempt stands: from the chat's own record of its answers plus one read of the attempt,
 * or (resumed, or answered elsewhere meanwhile) from every answer stored.
 */
async function progressFor(ctx: Ctx, attemptId: string, answered: Record<string, boolean> | undefined) {
  if (answered) {
    const attempt = await loadAttempt(ctx.resident._id, attemptId);
    const progress: Progress = {
      attemptId,
      quizId: attempt.quizId,
      questions: attempt.questions.map(presentAttemptQuestion),
      answered: { ...answered },
    };
    return { attempt, progress, finished: Boolean(attempt.finishedAt) };
  }
  const view = await getAttempt(ctx.resident._id, attemptId);
  return { attempt: undefined, progress: progressOf(view), finished: Boolean(view.result) };
}

async function onAnswer(ctx: Ctx, attemptId: string, answered: Record<string, boolean> | undefined): Promise<void> {
  const { attempt, progress, finished } = await progressFor(ctx, attemptId, answered);
  if (finished) {
    ctx.state.clear();
    return ctx.reply.text('这次答题已经结束啦。回复“答题”再来一次。');
  }
  const i = nextQuestion(progress);
  if (i < 0) return finish(ctx, attemptId);
  const q = progress.questions[i]!;
  const read = readChoice(q, ctx.inbound.kind === 'text' ? ctx.inbound.text : '');
  if ('problem' in read) return ctx.reply.text(read.problem);
  let result;
  try {
    result = await answerQuestion(ctx.resident._id, attemptId, q.id, read.value, { attempt, resident: ctx.resident });
  } catch (err) {
    // Answered meanwhile (in H5, or a duplicate message): move on to the next question.
    if (err instanceof AppError && err.code === 'ALREADY_ANSWERED') return ask(ctx, await getAttempt(ctx.resident._id, attemptId));
    throw err;
  }
  progress.answered[q.id] = result.correct;
  const marks = Object.values(progress.answered);
  const verdict = result.correct ? '✅ 回答正确！' : `❌ 回答错误，正确答案是：${choiceLabel(q, result.correctChoice)}。`;
  const feedback = [
    verdict,
    ...(result.explanation ? [`解析：${result.explanation}`] : []),
    `当前成绩：已答 ${marks.length}/${result.total} 题，答对 ${marks.filter(Boolean).length} 题。`,
  ].join('\n');
  if (marks.length >= result.total) {
    ctx.reply.text(feedback);
    return finish(ctx, attemptId);
  }
  await ask(ctx, progress, feedback);
}

export const quizFlow = defineFlow<Data>({
  name: 'quiz',
  keywords: ['答题', '知识问答', '问答', '考试', '继续答题', '排行榜', '答题排行'],
  menu: { order: 1, label: '知识问答' },
  data,
  start,
  async onMessage(ctx) {
    const state = ctx.state.get();
    if (!state) return start(ctx);
    const { quizId, attemptId, answered } = state.data;
    if (state.step === 'answer' && attemptId) return onAnswer(ctx, attemptId, answered);
    if (state.step === 'resume' && quizId && attemptId) {
      const picked = ctx.text === '继续' ? '继续答题' : ctx.pick(['继续答题', '重新开始'], (s) => s);
      const quiz = (await listQuizSummaries()).find((q) => q.id === quizId);
      if (!quiz) {
        ctx.state.clear();
        return ctx.reply.text('这个答题已经下线了。回复“答题”看看其他答题。');
      }
      if (picked === '继续答题') return ask(ctx, await getAttempt(ctx.resident._id, attemptId), '好的，我们接着答。');
      if (picked === '重新开始') return begin(ctx, quiz);
      return ctx.reply.text('请回复 1（继续答题）或 2（重新开始）。');
    }
    const quizzes = await listQuizSummaries();
    const quiz = ctx.pick(quizzes, (q) => q.title);
    if (!quiz) return ctx.reply.text(`请回复列表中的序号（1-${quizzes.length}）。`);
    await choose(ctx, quiz);
  },
});
