import { questionSchema, type Question } from '../../src/modules/questionnaire/questionnaire.schema';
import { indicatorValueOf, isCorrect, normalizeAnswer, presentQuestion } from '../../src/modules/questionnaire/questionnaire.service';

const q = (over: Partial<Question> & Pick<Question, 'type'>): Question =>
  questionSchema.parse({
    id: 'q1',
    text: '示例题目',
    options: [
      { key: 'A', text: '甲' },
      { key: 'B', text: '乙' },
      { key: 'C', text: '丙' },
      { key: 'D', text: '丁' },
    ],
    ...over,
  });

describe('questionnaire engine', () => {
  describe('answers', () => {
    it('accepts A, a, "A C", "AC", "a,c" and arrays for a multiple-choice question', () => {
      const m = q({ type: 'multiple', answer: ['A', 'C'] });
      for (const raw of ['A C', 'AC', 'a,c', 'c、a', ['A', 'C'], ['c', 'a']]) expect(normalizeAnswer(m, raw)).toEqual(['A', 'C']);
      expect(normalizeAnswer(q({ type: 'single' }), 'b')).toEqual(['B']);
    });

    it('accepts 对/错 for judge questions', () => {
      const j = questionSchema.parse({ id: 'j', type: 'judge', text: '判断题目', answer: ['A'] });
      expect(normalizeAnswer(j, '对')).toEqual(['A']);
      expect(normalizeAnswer(j, '错')).toEqual(['B']);
      expect(presentQuestion(j, { revealMarks: false }).options).toEqual([
        { key: 'A', text: '对' },
        { key: 'B', text: '错' },
      ]);
    });

    it('rejects an unknown option, two choices on a single question and an out-of-range scale, naming the question', () => {
      expect(() => normalizeAnswer(q({ type: 'single' }), 'E')).toThrow(/q1.*没有选项 E/);
      expect(() => normalizeAnswer(q({ type: 'single' }), 'AB')).toThrow(/只能选一个/);
      const s = questionSchema.parse({ id: 's', type: 'scale', text: '满意度', scale: { min: 1, max: 5 } });
      expect(() => normalizeAnswer(s, 6)).toThrow(/1–5/);
      expect(normalizeAnswer(s, '4')).toBe(4);
    });
  });

  describe('scoring', () => {
    it('scores a multiple-choice answer correct only when it is exactly the right set', () => {
      const m = q({ type: 'multiple', answer: ['A', 'C'] });
      expect(isCorrect(m, ['A', 'C'])).toBe(true);
      expect(isCorrect(m, ['A'])).toBe(false);
      expect(isCorrect(m, ['A', 'B', 'C'])).toBe(false);
    });

    it('never shows a quiz answer or explanation to the respondent', () => {
      const shown = presentQuestion(q({ type: 'single', answer: ['B'], explanation: '因为……', indicator: 'aw-garbage' }), {
        revealMarks: false,
      });
      expect(JSON.stringify(shown)).not.toMatch(/answer|explanation|因为|aw-garbage/);
    });
  });

  describe('indicators', () => {
    it('derives aware = correct for quizzes and aware/positive/score from survey options and scales', () => {
      expect(indicatorValueOf(q({ type: 'single', answer: ['B'], indicator: 'aw-x' }), ['B'], 'quiz')).toEqual({
        positive: true,
        score: null,
      });
      const sv = questionSchema.parse({
        id: 'k',
        type: 'single',
        text: '是否知道',
        indicator: 'aw-x',
        options: [
          { key: 'A', text: '知道', aware: true },
          { key: 'B', text: '不知道' },
        ],
      });
      expect(indicatorValueOf(sv, ['B'], 'survey')).toEqual({ positive: false, score: null });
      const scale = questionSchema.parse({ id: 's', type: 'scale', text: '满意度', indicator: 'sa-x', scale: { min: 1, max: 5 } });
      expect(indicatorValueOf(scale, 4, 'survey')).toEqual({ positive: true, score: 75 });
      expect(indicatorValueOf(scale, 3, 'survey')).toEqual({ positive: false, score: 50 });
    });
  });
});
