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
    // Answers 1–9 of each attempt are measured. The tenth also finishes the attempt (scores it,
    // grants points, updates the leaderboards), which over HTTP is a separate request the HTTP
    // target never sends; so it is sent unmeasured, before "答题" starts the next attempt.
    step: (i) => {
      const p = i % (QUIZ_SIZE - 1);
      const before: Exchange[] = p === 0 ? [...(i > 0 ? [['A', /答题完成/] as Exchange] : []), ['答题', /第 1\/\d+ 题/]] : [];
      return { before, measured: ['A', /回答(正确|错误)/] };
    },
  },
};
