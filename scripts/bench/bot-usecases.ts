/** A message a contact sends and the reply that ends the exchange. */
export type Exchange = [text: string, done: RegExp];

/** One exchange the bot benchmark measures, and the HTTP target that does the same through the API. */
export interface BotUseCase {
  id: string;
  label: string;
  /** the service target measured over HTTP for the comparison */
  httpTarget: string;
  /** what each contact says first, unmeasured (first contact creates the resident) */
  setup: Exchange[];
  /** the i-th measured exchange of a contact, and what it must say before it, unmeasured */
  step(i: number): { before: Exchange[]; measured: Exchange };
}

const ANY = /./;
const QUIZ_SIZE = 10;

export const botUseCases: Record<string, BotUseCase> = {
  me: {
    id: 'me',
    label: '我的 (points and participation)',
    httpTarget: 'me',
    setup: [['你好', ANY]],
    step: () => ({ before: [], measured: ['我的', /积分：\d+ 分/] }),
  },
  quiz: {
    id: 'quiz',
    label: 'quiz answer (one question answered in chat)',
    httpTarget: 'quiz-answer',
    setup: [['你好', ANY]],
    // Every tenth answer finishes the attempt; the next starts a new one ("答题" → question 1).
    step: (i) => ({ before: i % QUIZ_SIZE === 0 ? [['答题', /第 1\/\d+ 题/]] : [], measured: ['A', /回答(正确|错误)/] }),
  },
};
