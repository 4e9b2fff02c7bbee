/** A question as chat shows it: the quiz flow's attempt questions and the daily question both fit. */
export interface ChoiceQuestion {
  type: string;
  options: ReadonlyArray<{ key?: string | null; text?: string | null }>;
}

const keysOf = (q: ChoiceQuestion) => q.options.map((o) => o.key ?? '');

/** How to answer, said once (the problem texts below end with it). */
export function choiceHint(q: ChoiceQuestion): string {
  if (q.type === 'judge') return '请回复“对”或“错”。';
  const keys = keysOf(q);
  if (q.type === 'multiple') return `请回复全部正确选项的字母，如“${keys.slice(0, 2).join('')}”。`;
  return `请回复 ${keys[0]}–${keys[keys.length - 1]} 中的一个字母。`;
}

/** Accepts "A", "a", "A C", "AC", "选A", "对/错"; anything else is explained, not sent to the service. */
export function readChoice(q: ChoiceQuestion, text: string): string | { problem: string } {
  const cleaned = text.replace(/^(我选|选择|选|答案是|答案为|答案)[:：]?/, '').replace(/[。.!！?？"“”]/g, '').trim();
  const keys = keysOf(q);
  if (q.type === 'judge') {
    if (/^(对|正确|是|√|✓|a|t|true|y)$/i.test(cleaned)) return 'A';
    if (/^(错|错误|不对|否|×|✗|b|f|false|n)$/i.test(cleaned)) return 'B';
    return { problem: `“${text}”不是有效的回答。${choiceHint(q)}` };
  }
  const letters = cleaned.toUpperCase().replace(/[\s,，、;；]+/g, '');
  if (!letters || !/^[A-Z]+$/.test(letters)) return { problem: `“${text}”不是有效的选项。${choiceHint(q)}` };
  const unknown = [...letters].filter((k) => !keys.includes(k));
  if (unknown.length) return { problem: `本题没有选项 ${[...new Set(unknown)].join('、')}。${choiceHint(q)}` };
  if (q.type === 'single' && new Set(letters).size > 1) return { problem: `这是单选题，只能选一个选项。${choiceHint(q)}` };
  return letters;
}

/** Does this text look like an answer to a choice question at all (so a flow may take it as one)? */
export const looksLikeChoice = (text: string) => /^(我选|选择|选|答案是|答案为|答案)?[:：]?\s*([a-hA-H][\s,，、]*){1,8}[。.!！]?$|^(对|错|正确|错误|√|×)$/.test(text.trim());

/** The correct answer with its text: "B. 文明用语", or "错" for a true/false question. */
export function answerWithText(q: ChoiceQuestion, keys: readonly string[]): string {
  if (q.type === 'judge') return keys[0] === 'A' ? '对' : '错';
  return keys.map((k) => `${k}. ${q.options.find((o) => o.key === k)?.text ?? ''}`.trim()).join('；');
}
