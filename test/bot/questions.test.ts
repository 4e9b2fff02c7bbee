import { startTestApp, type TestApp } from '../harness/app';
import { contact, said } from './helpers';
import { createQuiz } from '../quiz/factories';
import { openSurvey } from '../surveys/factories';
import { createEngine, type Engine } from '../../bots/engine';

/**
 * The quiz flow and the survey flow ask and read questions with one renderer and one reader: the
 * same question is shown alike, and every way of answering it is taken (or refused) alike.
 */

let app: TestApp;
let engine: Engine;
beforeAll(async () => {
  app = await startTestApp();
  engine = createEngine();
});
afterAll(() => app.close());

const OPTIONS = ['乱扔垃圾', '乱停乱放', '占道经营', '不文明养犬'].map((text, i) => ({ key: 'ABCD'[i]!, text }));
const SINGLE = { id: 'worst', type: 'single' as const, text: '您身边最突出的不文明现象是？', options: OPTIONS };
const MULTIPLE = { id: 'several', type: 'multiple' as const, text: '您身边常见的不文明现象有哪些？', options: OPTIONS };

/** The number a list in the chat gives a title. */
function numberOf(list: string, title: string): string {
  const m = new RegExp(`(\\d+)\\. ${title}`).exec(list);
  if (!m) throw new Error(`"${title}" is not in the list:\n${list}`);
  return m[1]!;
}

let seq = 0;
/** One question asked by both flows: a one-question quiz whose answer is `answer`, and a one-question chat survey. */
async function askedByBoth(question: typeof SINGLE | typeof MULTIPLE, answer: string[]) {
  const quiz = await createQuiz(app, { questions: [{ ...question, answer }] });
  await openSurvey(app, { title: `同题问卷 ${++seq}`, chat: true, questions: [question] });
  const titles = {
    quiz: (await app.get(`/api/v1/quizzes/${quiz.id}`, { token: quiz.token })).body.title as string,
    survey: `同题问卷 ${seq}`,
  };
  let contacts = 0;
  /** Opens the question in a flow for a new contact; returns the question as shown and the contact. */
  const open = async (flow: 'quiz' | 'survey') => {
    const c = contact(engine, `same-${flow}-${seq}-${++contacts}`);
    const list = said(await c.say(flow === 'quiz' ? '答题' : '问卷'));
    const shown = said(await c.say(numberOf(list, titles[flow])));
    return { c, shown };
  };
  return { open };
}

describe('one question chat for quizzes and surveys', () => {
  describe('a single choice', () => {
    let both: Awaited<ReturnType<typeof askedByBoth>>;
    beforeAll(async () => {
      both = await askedByBoth(SINGLE, ['B']);
    });

    it('is shown alike: numbered question, lettered options, one hint', async () => {
      const block =
        '第 1/1 题（单选题）：您身边最突出的不文明现象是？\nA. 乱扔垃圾\nB. 乱停乱放\nC. 占道经营\nD. 不文明养犬\n请回复 A–D 中的一个字母。';
      expect((await both.open('quiz')).shown).toContain(block);
      expect((await both.open('survey')).shown).toContain(block);
    });

    it.each(['B', 'b', 'Ｂ', '2', '２', '选B', '我选 b。', '答案：B', '乱停乱放'])(
      'takes “%s” as option B in both flows',
      async (reply) => {
        const quiz = await both.open('quiz');
        expect(said(await quiz.c.say(reply))).toContain('✅ 回答正确！');
        const survey = await both.open('survey');
        expect(said(await survey.c.say(reply))).toMatch(/请确认您的回答[\s\S]*→ B\. 乱停乱放\n/);
      },
    );

    it.each([
      ['E', '本题没有选项 E。请回复 A–D 中的一个字母。'],
      ['5', '本题没有第 5 个选项。请回复 A–D 中的一个字母。'],
      ['随便', '“随便”不是有效的选项。请回复 A–D 中的一个字母。'],
      ['AB', '这是单选题，只能选一个选项。请回复 A–D 中的一个字母。'],
      ['1 3', '这是单选题，只能选一个选项。请回复 A–D 中的一个字母。'],
    ])('refuses “%s” in both flows with the same words', async (reply, problem) => {
      const quiz = await both.open('quiz');
      expect(said(await quiz.c.say(reply))).toBe(problem);
      const survey = await both.open('survey');
      expect(said(await survey.c.say(reply))).toBe(problem);
    });
  });

  describe('a multiple choice', () => {
    let both: Awaited<ReturnType<typeof askedByBoth>>;
    beforeAll(async () => {
      both = await askedByBoth(MULTIPLE, ['A', 'C']);
    });

    it('is shown alike, with how to pick several', async () => {
      const block =
        '第 1/1 题（多选题）：您身边常见的不文明现象有哪些？\nA. 乱扔垃圾\nB. 乱停乱放\nC. 占道经营\nD. 不文明养犬\n可多选，请回复所选选项的字母，如“AB”或“A B”。';
      expect((await both.open('quiz')).shown).toContain(block);
      expect((await both.open('survey')).shown).toContain(block);
    });

    it.each(['AC', 'ca', 'a c', 'A、C', 'a，c', 'A;C', 'ＡＣ', '13', '1 3', '1、3', '1,3', '１３', '31', '乱扔垃圾、占道经营', '选AC'])(
      'takes “%s” as options A and C in both flows',
      async (reply) => {
        const quiz = await both.open('quiz');
        expect(said(await quiz.c.say(reply))).toContain('✅ 回答正确！');
        const survey = await both.open('survey');
        expect(said(await survey.c.say(reply))).toMatch(/→ A\. 乱扔垃圾；C\. 占道经营\n/);
      },
    );

    it.each([
      ['ACF', '本题没有选项 F。'],
      ['17', '本题没有第 7 个选项。'],
    ])('refuses “%s” in both flows with the same words', async (reply, problem) => {
      const quiz = await both.open('quiz');
      expect(said(await quiz.c.say(reply))).toBe(`${problem}可多选，请回复所选选项的字母，如“AB”或“A B”。`);
      const survey = await both.open('survey');
      expect(said(await survey.c.say(reply))).toBe(`${problem}可多选，请回复所选选项的字母，如“AB”或“A B”。`);
    });
  });
});
