import { logger } from '../../src/core/logger';
import { flushAudit } from '../../src/modules/audit';
import { syncQuizContent } from '../../src/modules/quiz/quiz.content';
import { Quiz, QuizQuestionModel } from '../../src/modules/quiz/quiz.model';
import { startTestApp, type TestApp } from '../harness/app';
import { adminToken, residentSession, staffSession } from '../factories';
import { CONTENT_QUIZ, createQuiz, SMALL_BANK, startAttempt, type TestQuestion } from './factories';

/** The office's question bank editor, through the API: the table, edits and revisions, retire/restore, console ownership. */
let app: TestApp;
let office: string;
beforeAll(async () => {
  app = await startTestApp();
  office = (await staffSession(app, 'office')).token;
});
afterAll(() => app.close());

const bankUrl = (quizId: string, query = '') => `/api/v1/quizzes/${quizId}/questions${query ? `?${query}` : ''}`;
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((q) => q.id);
const drawnIds = async (quizId: string) =>
  (await startAttempt(app, (await residentSession(app)).token, quizId)).questions.map((q) => q.id).sort();

/** The small bank and nine more 文明交通 questions: eight judge questions and one single tagged with an indicator. */
const BIGGER_BANK: TestQuestion[] = [
  ...SMALL_BANK,
  ...Array.from({ length: 8 }, (_, i): TestQuestion => ({
    id: `extra${i + 1}`,
    type: 'judge',
    text: `第 ${i + 1} 道补充判断题：文明出行人人有责。`,
    answer: ['A'],
    explanation: '对。文明出行人人有责。',
    topic: '文明交通',
  })),
  {
    id: 'car1',
    type: 'single',
    text: '机动车行经人行横道时应当？',
    options: [
      { key: 'A', text: '减速礼让行人' },
      { key: 'B', text: '鸣笛催促' },
    ],
    answer: ['A'],
    topic: '文明交通',
    indicator: 'aw-garbage',
  },
];

describe('the bank table', () => {
  it('searches stems and options, filters by type, indicator and status, and pages with a total', async () => {
    const quiz = await createQuiz(app, { questions: BIGGER_BANK, token: office });
    expect((await app.del(`/api/v1/quizzes/${quiz.id}/questions/extra8`, { token: office })).status).toBe(204);

    const byWord = await app.get(bankUrl(quiz.id, `q=${encodeURIComponent('礼让行人')}`), { token: office });
    expect([byWord.status, ids(byWord.body), byWord.body.total]).toEqual([200, ['car1'], 1]);
    expect(ids((await app.get(bankUrl(quiz.id, 'type=multiple'), { token: office })).body)).toEqual(['m1']);
    expect(ids((await app.get(bankUrl(quiz.id, 'indicator=aw-garbage'), { token: office })).body).sort()).toEqual(['car1', 's1']);
    expect((await app.get(bankUrl(quiz.id, 'indicator=none'), { token: office })).body.total).toBe(10);
    expect(ids((await app.get(bankUrl(quiz.id, 'status=retired'), { token: office })).body)).toEqual(['extra8']);

    const page2 = await app.get(bankUrl(quiz.id, 'type=judge&page=2&pageSize=4&sort=id&order=desc'), { token: office });
    expect(page2.body.total).toBe(9);
    expect(ids(page2.body)).toEqual(['extra5', 'extra4', 'extra3', 'extra2']);
  });

  it('refuses a bad query in Chinese, naming the parameter', async () => {
    const quiz = await createQuiz(app, { token: office });
    const res = await app.get(bankUrl(quiz.id, 'type=essay&pageSize=0'), { token: office });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/^查询参数/);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['pageSize', 'type']);
  });
});

describe('creating a quiz with its draw rules', () => {
  it('keeps the size, topic mix and points, and lists them with the bank topics for the office only', async () => {
    const created = await app.post(
      '/api/v1/quizzes',
      { title: '文明交通专项', description: '每次 3 题，其中 2 题文明交通', draw: { size: 3, mix: { 文明交通: 2 } }, pointsPerCorrect: 5 },
      { token: office },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: '文明交通专项',
      drawSize: 3,
      pointsPerCorrect: 5,
      draw: { size: 3, mix: { 文明交通: 2 } },
      source: 'office',
      topics: {},
    });
    for (const q of BIGGER_BANK) await app.post(`/api/v1/quizzes/${created.body.id}/questions`, q, { token: office });
    const listed = (await app.get('/api/v1/quizzes?includeRetired=true', { token: office })).body.items.find(
      (q: { id: string }) => q.id === created.body.id,
    );
    expect(listed).toMatchObject({ questionCount: 12, topics: { 文明交通: 10, 垃圾分类: 1, 核心价值观: 1 } });
    const drawn = await startAttempt(app, (await residentSession(app)).token, created.body.id);
    expect(drawn.questions).toHaveLength(3);
    expect(drawn.questions.filter((q) => q.topic === '文明交通').length).toBeGreaterThanOrEqual(2);
    const forResidents = (await app.get('/api/v1/quizzes')).body.items.find((q: { id: string }) => q.id === created.body.id);
    expect(forResidents).not.toHaveProperty('draw');
  });

  it('explains bad rules in Chinese', async () => {
    const res = await app.post('/api/v1/quizzes', { title: '短', draw: { size: 0 }, pointsPerCorrect: -1 }, { token: office });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['draw.size', 'pointsPerCorrect', 'title']);
    for (const d of res.body.error.details) expect(d.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('editing questions without rescoring earlier answers', () => {
  it('changes the answer of a question nobody has drawn in place', async () => {
    const quiz = await createQuiz(app, { token: office });
    const res = await app.patch(`/api/v1/quizzes/${quiz.id}/questions/s1`, { answer: ['A'] }, { token: office });
    expect(res.body).toMatchObject({ id: 's1', answer: ['A'], used: false, revisionOf: null });
    expect(res.body).not.toHaveProperty('revisedFrom');
  });

  it('edits the wording of a drawn question in place, and revises it on a scoring change: old retired, new drawn', async () => {
    const quiz = await createQuiz(app, { token: office });
    const { token } = await residentSession(app);
    const first = await startAttempt(app, token, quiz.id);
    expect((await app.get(bankUrl(quiz.id, 'q=s1'), { token: office })).body.items[0]).toMatchObject({ used: true });

    const wording = await app.patch(
      `/api/v1/quizzes/${quiz.id}/questions/s1`,
      { text: '废荧光灯管属于哪一类垃圾？', explanation: '灯管含汞。' },
      { token: office },
    );
    expect(wording.body).toMatchObject({ id: 's1', text: '废荧光灯管属于哪一类垃圾？', status: 'active' });

    const options = SMALL_BANK[0]!.options!.map((o) => (o.key === 'D' ? { ...o, text: '大件垃圾' } : o));
    const revised = await app.patch(`/api/v1/quizzes/${quiz.id}/questions/s1`, { options }, { token: office });
    expect(revised.body).toMatchObject({ id: 's1-r2', revisedFrom: 's1', revisionOf: 's1', indicator: 'aw-garbage', used: false });
    const old = (await app.get(bankUrl(quiz.id, 'q=s1'), { token: office })).body.items.find((q: { id: string }) => q.id === 's1');
    expect(old).toMatchObject({ status: 'retired', replacedBy: 's1-r2', answer: ['B'] });
    expect(await drawnIds(quiz.id)).toEqual(['j1', 'm1', 's1-r2']);
    // the earlier attempt still grades by what it drew
    const answer = await app.post(`/api/v1/quiz-attempts/${first.attemptId}/answers`, { questionId: 's1', choice: ['B'] }, { token });
    expect(answer.body).toMatchObject({ correct: true });
    // a revision of a revision counts on from the root
    await drawnIds(quiz.id);
    const again = await app.patch(`/api/v1/quizzes/${quiz.id}/questions/s1-r2`, { indicator: null }, { token: office });
    expect(again.body).toMatchObject({ id: 's1-r3', revisionOf: 's1-r2', indicator: null });
  });

  it('refuses an edit that breaks the question, in Chinese, naming the field', async () => {
    const quiz = await createQuiz(app, { token: office });
    const res = await app.patch(`/api/v1/quizzes/${quiz.id}/questions/m1`, { answer: ['A'] }, { token: office });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'answer', message: '多选题至少有两个正确选项' }]);
    const empty = await app.patch(`/api/v1/quizzes/${quiz.id}/questions/m1`, {}, { token: office });
    expect(empty.body.error.message).toContain('没有要修改的内容');
  });
});

describe('retiring and restoring', () => {
  it('stops a retired question being drawn, draws it again once restored, and logs both in Chinese', async () => {
    const admin = await adminToken(app);
    const quiz = await createQuiz(app, { token: office });
    expect((await app.del(`/api/v1/quizzes/${quiz.id}/questions/j1`, { token: office })).status).toBe(204);
    expect(await drawnIds(quiz.id)).toEqual(['m1', 's1']);
    const restored = await app.post(`/api/v1/quizzes/${quiz.id}/questions/j1/restore`, {}, { token: office });
    expect(restored.body).toMatchObject({ id: 'j1', status: 'active', source: 'office' });
    expect(await drawnIds(quiz.id)).toEqual(['j1', 'm1', 's1']);
    expect((await app.post(`/api/v1/quizzes/${quiz.id}/questions/nope/restore`, {}, { token: office })).status).toBe(404);

    await flushAudit();
    const audit = (await app.get(`/api/v1/audit?q=${encodeURIComponent('题目')}&pageSize=100`, { token: admin })).body.items;
    const actions = audit
      .filter((e: { target: { id: string; questionId?: string } }) => e.target.id === quiz.id && e.target.questionId === 'j1')
      .map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['下线题目（保留作答记录，不再抽到）', '恢复题目（重新参与抽题）']));
  });

  it('records the question as it was before an edit in the 操作日志', async () => {
    const admin = await adminToken(app);
    const quiz = await createQuiz(app, { token: office });
    await app.patch(`/api/v1/quizzes/${quiz.id}/questions/j1`, { text: '后排乘客也必须系安全带。' }, { token: office });
    await flushAudit();
    const items = (await app.get(`/api/v1/audit?q=${encodeURIComponent('修改题目')}&pageSize=100`, { token: admin })).body.items;
    const mine = items.find((e: { target: { id: string; questionId: string } }) => e.target.id === quiz.id && e.target.questionId === 'j1');
    expect(mine).toMatchObject({
      changes: { text: '后排乘客也必须系安全带。' },
      before: { text: '后排乘客可以不系安全带。', answer: 'B' },
    });
  });

  it('records a quiz edit with its draw rule before and after', async () => {
    const admin = await adminToken(app);
    const quiz = await createQuiz(app, { token: office, size: 3 });
    await app.patch(`/api/v1/quizzes/${quiz.id}`, { draw: { size: 2, mix: { 垃圾分类: 1 } }, pointsPerCorrect: 4 }, { token: office });
    await flushAudit();
    const items = (await app.get(`/api/v1/audit?q=${encodeURIComponent('修改答题')}&pageSize=100`, { token: admin })).body.items;
    const mine = items.find((e: { target: { id: string } }) => e.target.id === quiz.id);
    expect(mine).toMatchObject({
      action: '修改答题（标题、抽题规则、积分、状态）',
      changes: { draw: { size: 2, mix: { 垃圾分类: 1 } }, pointsPerCorrect: 4 },
      before: { draw: { size: 3, mix: {} }, pointsPerCorrect: 2, status: 'active' },
    });
  });
});

describe('content sync and the console', () => {
  it('never overwrites what the console edited when the file changes, and says so in one info line', async () => {
    await app.patch(`/api/v1/quizzes/${CONTENT_QUIZ}/questions/wm-02`, { explanation: '工作台改写的解析。' }, { token: office });
    await app.patch(`/api/v1/quizzes/${CONTENT_QUIZ}`, { title: '工作台改过的标题' }, { token: office });
    // as if the file had changed since the sync last wrote these two records
    await QuizQuestionModel.updateOne({ _id: `${CONTENT_QUIZ}:wm-02` }, { $set: { hash: 'older-file' } });
    await Quiz.updateOne({ _id: CONTENT_QUIZ }, { $set: { hash: 'older-file' } });
    const lines: string[] = [];
    const spy = jest.spyOn(logger, 'info').mockImplementation(((_obj: unknown, msg?: string) => void lines.push(msg ?? '')) as never);
    try {
      expect(await syncQuizContent()).toMatch(/written: 0$/);
    } finally {
      spy.mockRestore();
    }
    expect(lines.filter((l) => l.includes('wm-02'))).toEqual(['quiz content: 1 道题已在工作台新增或修改，跳过文件中的版本（wm-02）']);
    expect(lines).toContain(`quiz content: 答题 ${CONTENT_QUIZ} 已在工作台修改，跳过文件中的版本`);
    const bank = (await app.get(bankUrl(CONTENT_QUIZ, 'q=wm-02'), { token: office })).body.items;
    expect(bank.find((q: { id: string }) => q.id === 'wm-02')).toMatchObject({ explanation: '工作台改写的解析。', source: 'office' });
    expect((await app.get(`/api/v1/quizzes/${CONTENT_QUIZ}`)).body.title).toBe('工作台改过的标题');
  });
});
