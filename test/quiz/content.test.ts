import { loadContentFile, loadContentFolder } from '../../src/core/content';
import { indicatorsFileSchema } from '../../src/modules/catalog/catalog.schema';
import { quizFileSchema } from '../../src/modules/quiz/quiz.schema';

/** Checks of the shipped question bank that a careless edit would break (facts are checked by people). */
const files = loadContentFolder('quizzes', quizFileSchema);
const questions = files.flatMap(([, f]) => f.questions);
const indicators = loadContentFile('indicators.yaml', indicatorsFileSchema).indicators;

describe('the shipped question bank', () => {
  it('has at least 80 questions across the campaign topics, each with an explanation', () => {
    expect(questions.length).toBeGreaterThanOrEqual(80);
    const topics = new Map<string, number>();
    for (const q of questions) topics.set(q.topic ?? '', (topics.get(q.topic ?? '') ?? 0) + 1);
    for (const t of ['文明城市创建', '核心价值观', '文明交通', '垃圾分类', '公共卫生', '志愿服务', '文明餐桌', '网络文明'])
      expect([t, (topics.get(t) ?? 0) >= 10]).toEqual([t, true]);
    for (const q of questions) expect([q.id, (q.explanation ?? '').length >= 10]).toEqual([q.id, true]);
  });

  it('tags some questions with awareness indicators that exist', () => {
    const tagged = questions.filter((q) => q.indicator);
    expect(tagged.length).toBeGreaterThanOrEqual(20);
    const awareness = new Set(indicators.filter((i) => i.kind === 'awareness').map((i) => i.code));
    for (const q of tagged) expect([q.id, awareness.has(q.indicator!)]).toEqual([q.id, true]);
    expect(new Set(tagged.map((q) => q.indicator)).size).toBeGreaterThanOrEqual(8);
  });

  it('explains a judge question starting with the verdict its answer gives', () => {
    for (const q of questions.filter((x) => x.type === 'judge'))
      expect([q.id, q.explanation!.slice(0, 2)]).toEqual([q.id, q.answer![0] === 'A' ? '对。' : '错。']);
  });

  it('does not put every right answer behind the same letter', () => {
    const singles = questions.filter((q) => q.type === 'single').map((q) => q.answer![0]);
    for (const key of ['A', 'B', 'C']) expect(singles.filter((k) => k === key).length).toBeGreaterThanOrEqual(5);
  });

  it('gives each file a draw its bank can fill', () => {
    for (const [rel, f] of files) {
      for (const [topic, n] of Object.entries(f.draw.mix))
        expect([rel, topic, f.questions.filter((q) => q.topic === topic).length >= n]).toEqual([rel, topic, true]);
      expect(f.questions.length).toBeGreaterThanOrEqual(f.draw.size);
    }
  });
});
