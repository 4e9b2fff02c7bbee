/** One exchange the bot benchmark measures, and the HTTP target that does the same through the API. */
export interface BotUseCase {
  id: string;
  label: string;
  /** the service target measured over HTTP for the comparison */
  httpTarget: string;
  /** what each contact says first, unmeasured (first contact creates the resident, opens a flow) */
  setup: string[];
  /** the text of the i-th measured message of a contact */
  say(i: number): string;
  /** the bot's reply that ends the exchange */
  done: RegExp;
}

export const botUseCases: Record<string, BotUseCase> = {
  me: {
    id: 'me',
    label: '我的 (points and participation)',
    httpTarget: 'me',
    setup: ['你好'],
    say: () => '我的',
    done: /积分：\d+ 分/,
  },
};
