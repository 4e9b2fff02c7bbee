import { comingSoon } from './flow';

/** Placeholder until the quiz feature replaces this file with its real flow (same name, keywords and menu). */
export const quizFlow = comingSoon({
  name: 'quiz',
  keywords: ['答题', '知识问答', '问答', '考试'],
  menu: { order: 1, label: '知识问答' },
  promise: '上线后，您可以在这里参加文明城市知识问答，答对题目还能赢积分。',
});
