import { z } from 'zod';
import { AppError } from '../../src/core/errors';
import type { AnswerValue } from '../../src/modules/questionnaire';
import { submitResponse, findSurvey, hasResponded, isChatSurvey, isOpen, listSurveys, type SurveyDoc } from '../../src/modules/surveys';
import { texts } from '../texts';
import { defineFlow, type FlowContext } from './flow';
import { BACK_WORDS, readReply, SKIP_WORDS, summaryLines, surveyQuestionLines } from './survey-chat';

const answerValue = z.union([z.array(z.string()), z.number(), z.string()]);
const data = z.object({
  surveys: z.array(z.string()).default([]),
  surveyId: z.string().optional(),
  index: z.number().int().min(0).default(0),
  answers: z.record(z.string(), answerValue).default({}),
});
type Data = z.infer<typeof data>;
type Ctx = FlowContext<Data>;

const anonymityNote = (s: SurveyDoc) => (s.anonymous ? '本问卷匿名填写，不会记录您的身份。' : '');
const minutes = (s: SurveyDoc) => Math.max(1, Math.round(s.questions.length / 4));

/** The open surveys as a numbered list, marking those already answered. */
async function showList(ctx: Ctx): Promise<void> {
  const open = (await listSurveys()).filter((s) => isOpen(s));
  if (!open.length) {
    ctx.state.clear();
    return ctx.reply.text('目前没有正在进行的问卷，敬请关注。', texts.menuHint);
  }
  const done = await Promise.all(open.map((s) => hasResponded(s, ctx.resident._id)));
  const labels = open.map(
    (s, i) => `${s.title}（${s.questions.length} 题，约 ${minutes(s)} 分钟${s.anonymous ? '，匿名' : ''}）${done[i] ? '✓已填写' : ''}`,
  );
  ctx.reply.text('【问卷调查】正在进行的问卷：', ctx.numbered(labels), '回复序号参与，您的意见会直接汇总给市文明办。', texts.backHint);
  ctx.state.set('pick', { surveys: open.map((s) => s._id), index: 0, answers: {} });
}

async function begin(ctx: Ctx, s: SurveyDoc): Promise<void> {
  if (await hasResponded(s, ctx.resident._id)) {
    ctx.state.clear();
    return ctx.reply.text(`您已经填写过「${s.title}」了，感谢您的参与！`, '回复“问卷”查看其他问卷，或回复“菜单”回到主菜单。');
  }
  if (!isChatSurvey(s)) {
    ctx.state.clear();
    ctx.reply.text(`「${s.title}」共 ${s.questions.length} 题，请点击下面的链接在网页中填写。${anonymityNote(s)}`);
    return ctx.reply.link({
      title: s.title,
      description: `共 ${s.questions.length} 题，约 ${minutes(s)} 分钟。${anonymityNote(s)}`,
      url: ctx.h5Link(`/survey/${s._id}`),
    });
  }
  const intro = [`「${s.title}」共 ${s.questions.length} 题。`, s.description ?? '', anonymityNote(s), '回复“返回”可随时退出。']
    .filter(Boolean)
    .join('');
  ctx.reply.text(intro);
  ask(ctx, s, { surveys: [], surveyId: s._id, index: 0, answers: {} });
}

function ask(ctx: Ctx, s: SurveyDoc, d: Data): void {
  // A community question is answered by the community the resident already chose.
  const q = s.questions[d.index];
  if (q?.demographic === 'community' && ctx.resident.regionCode && d.answers[q.id] === undefined) {
    return ask(ctx, s, { ...d, answers: { ...d.answers, [q.id]: ctx.resident.regionCode }, index: d.index + 1 });
  }
  if (!q) return confirm(ctx, s, d);
  ctx.reply.text(...surveyQuestionLines(q, d.index, s.questions.length));
  ctx.state.set('answer', d);
}

function confirm(ctx: Ctx, s: SurveyDoc, d: Data): void {
  ctx.reply.text(
    '请确认您的回答：',
    ...summaryLines(s.questions, d.answers as Record<string, AnswerValue>),
    '回复 1 提交，回复 2 重新填写。',
  );
  ctx.state.set('confirm', d);
}

function onAnswer(ctx: Ctx, s: SurveyDoc, d: Data): void {
  const q = s.questions[d.index];
  if (!q) return confirm(ctx, s, d);
  if (BACK_WORDS.has(ctx.text)) {
    const prev = Math.max(0, d.index - 1);
    const { [s.questions[prev]!.id]: _dropped, ...answers } = d.answers;
    return ask(ctx, s, { ...d, index: prev, answers });
  }
  if (SKIP_WORDS.has(ctx.text)) {
    if (q.required !== false) return ctx.reply.text('这道题为必答题，请作答。');
    const { [q.id]: _skipped, ...answers } = d.answers;
    return ask(ctx, s, { ...d, index: d.index + 1, answers });
  }
  if (ctx.inbound.kind !== 'text') return ctx.reply.text('请用文字回复这道题。');
  const read = readReply(q, ctx.inbound.text);
  if ('problem' in read) return ctx.reply.text(read.problem);
  ask(ctx, s, { ...d, index: d.index + 1, answers: { ...d.answers, [q.id]: read.value } });
}

async function submit(ctx: Ctx, s: SurveyDoc, d: Data): Promise<void> {
  ctx.state.clear();
  try {
    const result = await submitResponse(ctx.resident._id, s._id, d.answers);
    const points = result.pointsAwarded ? `您获得了 ${result.pointsAwarded} 积分，回复“我的”查看。` : '';
    ctx.reply.text('✅ 提交成功！', result.thanks, points, texts.menuHint);
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    ctx.reply.text(err.message, '回复“问卷”查看其他问卷。');
  }
}

/** 问卷调查: lists open surveys; short ones are answered here question by question, long ones open in H5. */
export const surveyFlow = defineFlow<Data>({
  name: 'survey',
  keywords: ['问卷', '问卷调查', '调查'],
  menu: { order: 4, label: '问卷调查' },
  data,
  start: showList,
  async onMessage(ctx) {
    const state = ctx.state.get();
    if (!state) return showList(ctx);
    if (state.step === 'pick') {
      const id = ctx.pick(state.data.surveys, (x) => x);
      const s = id ? await findSurvey(id) : undefined;
      if (!s) return ctx.reply.text(`请回复列表中的序号（1-${state.data.surveys.length}）。`);
      if (!isOpen(s)) return ctx.reply.text(`「${s.title}」已经结束了，请选择其他问卷。`);
      return begin(ctx, s);
    }
    const s = state.data.surveyId ? await findSurvey(state.data.surveyId) : undefined;
    if (!s || !isOpen(s)) {
      ctx.state.clear();
      return ctx.reply.text('这份问卷已经结束了，感谢您的关注。', texts.menuHint);
    }
    if (state.step === 'answer') return onAnswer(ctx, s, state.data);
    if (ctx.text === '1' || ctx.text === '提交') return submit(ctx, s, state.data);
    if (ctx.text === '2' || ctx.text === '重新填写') return ask(ctx, s, { ...state.data, index: 0, answers: {} });
    ctx.reply.text('请回复 1 提交，或回复 2 重新填写。');
  },
});
