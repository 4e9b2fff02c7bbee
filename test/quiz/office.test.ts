import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { CONTENT_QUIZ, createQuiz, SMALL_BANK, startAttempt } from './factories';
import { syncQuizContent } from '../../src/modules/quiz/quiz.content';

let app: TestApp;
let office: string;
beforeAll(async () => {
  app = await startTestApp();
  office = (await staffSession(app, 'office')).token;
});
afterAll(() => app.close());

const answerOf = async (token: string, attemptId: string, questionId: string, choice: unknown) =>
  (await app.post(`/api/v1/quiz-attempts/${attemptId}/answers`, { questionId, choice }, { token })).body;

describe('managing quizzes', () => {
  it('creates a quiz, refuses a taken id and a topic mix larger than the draw', async () => {
    const created = await app.post(
      '/api/v1/quizzes',
      { id: 'office-new', title: '垃圾分类专项答题', draw: { size: 5, mix: { 垃圾分类: 3 } } },
      { token: office },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'office-new',
      title: '垃圾分类专项答题',
      questionCount: 0,
      drawSize: 5,
      pointsPerCorrect: 2,
      status: 'active',
    });
    expect((await app.post('/api/v1/quizzes', { id: 'office-new', title: '重复' }, { token: office })).status).toBe(409);
    const bad = await app.post('/api/v1/quizzes', { title: '抽题规则有误', draw: { size: 2, mix: { 垃圾分类: 3 } } }, { token: office });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: 'draw.mix', message: '各主题题数之和不能超过每次题数' });
    const generated = await app.post('/api/v1/quizzes', { title: '自动编号' }, { token: office });
    expect(generated.body.id).toMatch(/^quiz-[0-9a-f]{8}$/);
  });

  it('edits a quiz: title, draw size and points take effect on the next attempt', async () => {
    const quiz = await createQuiz(app, { token: office });
    const res = await app.patch(
      `/api/v1/quizzes/${quiz.id}`,
      { title: '改过的标题', draw: { size: 2 }, pointsPerCorrect: 7 },
      { token: office },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: '改过的标题', drawSize: 2, pointsPerCorrect: 7 });
    const { token } = await residentSession(app);
    const attempt = await startAttempt(app, token, quiz.id);
    expect(attempt.questions).toHaveLength(2);
    expect((attempt as unknown as { title: string }).title).toBe('改过的标题');
  });

  it('retires a quiz: gone for residents, still listed for the office', async () => {
    const quiz = await createQuiz(app, { token: office });
    expect((await app.del(`/api/v1/quizzes/${quiz.id}`, { token: office })).status).toBe(204);
    const { token } = await residentSession(app);
    expect((await app.get('/api/v1/quizzes', { token })).body.items.map((q: { id: string }) => q.id)).not.toContain(quiz.id);
    expect((await app.get(`/api/v1/quizzes/${quiz.id}`)).status).toBe(404);
    expect((await app.post(`/api/v1/quizzes/${quiz.id}/attempts`, {}, { token })).status).toBe(404);
    const all = await app.get('/api/v1/quizzes?includeRetired=true', { token: office });
    expect(all.body.items.find((q: { id: string }) => q.id === quiz.id)).toMatchObject({ status: 'retired' });
    expect((await app.get('/api/v1/quizzes?includeRetired=true', { token })).status).toBe(403);
    // and back
    expect((await app.patch(`/api/v1/quizzes/${quiz.id}`, { status: 'active' }, { token: office })).body.status).toBe('active');
    expect((await app.get(`/api/v1/quizzes/${quiz.id}`)).status).toBe(200);
  });

  it('lets only office and admin staff manage quizzes', async () => {
    const quiz = await createQuiz(app, { token: office });
    const resident = await residentSession(app);
    const unit = await staffSession(app, 'unit', 'hwc');
    const admin = await staffSession(app, 'admin');
    const body = { title: '越权修改' };
    expect((await app.patch(`/api/v1/quizzes/${quiz.id}`, body)).status).toBe(401);
    expect((await app.patch(`/api/v1/quizzes/${quiz.id}`, body, { token: resident.token })).status).toBe(403);
    expect((await app.patch(`/api/v1/quizzes/${quiz.id}`, body, { token: unit.token })).status).toBe(403);
    expect((await app.get(`/api/v1/quizzes/${quiz.id}/questions`, { token: resident.token })).status).toBe(403);
    expect((await app.patch(`/api/v1/quizzes/${quiz.id}`, { title: '管理员修改' }, { token: admin.token })).status).toBe(200);
  });
});

describe('managing questions', () => {
  it('adds a question and refuses a bad one, naming the field', async () => {
    const quiz = await createQuiz(app, { questions: [], token: office });
    const url = `/api/v1/quizzes/${quiz.id}/questions`;
    const added = await app.post(url, SMALL_BANK[0], { token: office });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: 's1', answer: ['B'], indicator: 'aw-garbage', status: 'active', source: 'office' });
    expect((await app.post(url, SMALL_BANK[0], { token: office })).status).toBe(409);
    const notAnOption = await app.post(url, { ...SMALL_BANK[0], id: 's2', answer: ['F'] }, { token: office });
    expect(notAnOption.status).toBe(400);
    expect(notAnOption.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'answer', message: '答案 F 不在选项中' })]),
    );
    const noAnswer = await app.post(url, { ...SMALL_BANK[0], id: 's3', answer: undefined }, { token: office });
    expect(noAnswer.body.error.details).toEqual([{ path: 'answer', message: '请填写正确答案' }]);
    const survey = await app.post(
      url,
      { id: 'sc', type: 'scale', text: '满意度如何？', scale: { min: 1, max: 5 }, answer: [] },
      { token: office },
    );
    expect(survey.body.error.message).toMatch(/只支持单选、多选、判断题/);
    const indicator = await app.post(url, { ...SMALL_BANK[0], id: 's4', indicator: 'sa-overall' }, { token: office });
    expect(indicator.body.error.message).toBe('指标 sa-overall 不是知晓类指标');
  });

  it('edits a drawn question into a new revision: new attempts are graded by the new answer, attempts already started by the old', async () => {
    const quiz = await createQuiz(app, { token: office });
    const { token } = await residentSession(app);
    const before = await startAttempt(app, token, quiz.id);
    const edited = await app.patch(
      `/api/v1/quizzes/${quiz.id}/questions/s1`,
      { answer: ['C'], explanation: '（题目已修订）' },
      { token: office },
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: 's1-r2',
      revisedFrom: 's1',
      revisionOf: 's1',
      answer: ['C'],
      explanation: '（题目已修订）',
      text: SMALL_BANK[0]!.text,
      status: 'active',
      used: false,
    });
    const after = await startAttempt(app, token, quiz.id);
    expect(after.questions.map((q) => q.id).sort()).toEqual(['j1', 'm1', 's1-r2']);
    expect(await answerOf(token, after.attemptId, 's1-r2', 'C')).toMatchObject({ correct: true, explanation: '（题目已修订）' });
    expect(await answerOf(token, before.attemptId, 's1', 'B')).toMatchObject({ correct: true, explanation: '含汞，属于有害垃圾。' });
    const broken = await app.patch(`/api/v1/quizzes/${quiz.id}/questions/s1-r2`, { answer: ['A', 'B'] }, { token: office });
    expect(broken.status).toBe(400);
    expect((await app.patch(`/api/v1/quizzes/${quiz.id}/questions/nope`, { text: '不存在的题目' }, { token: office })).status).toBe(404);
  });

  it('retires a question so that it is no longer drawn, and brings it back', async () => {
    const quiz = await createQuiz(app, { token: office });
    expect((await app.del(`/api/v1/quizzes/${quiz.id}/questions/m1`, { token: office })).status).toBe(204);
    const { token } = await residentSession(app);
    expect((await startAttempt(app, token, quiz.id)).questions.map((q) => q.id).sort()).toEqual(['j1', 's1']);
    expect((await app.get(`/api/v1/quizzes/${quiz.id}`)).body.questionCount).toBe(2);
    const back = await app.patch(`/api/v1/quizzes/${quiz.id}/questions/m1`, { status: 'active' }, { token: office });
    expect(back.body).toMatchObject({ id: 'm1', status: 'active' });
    expect((await startAttempt(app, token, quiz.id)).questions).toHaveLength(3);
  });
});

describe('content sync', () => {
  it('is idempotent, and keeps what the office edited', async () => {
    expect(await syncQuizContent()).toMatch(/questions: 100, written: 0$/);
    const res = await app.patch(
      `/api/v1/quizzes/${CONTENT_QUIZ}/questions/wm-01`,
      { explanation: '办公室补充的解析。' },
      { token: office },
    );
    expect(res.body).toMatchObject({ source: 'office' });
    expect(await syncQuizContent()).toMatch(/written: 0$/);
    const items = (await app.get(`/api/v1/quizzes/${CONTENT_QUIZ}/questions`, { token: office })).body.items;
    expect(items.find((q: { id: string }) => q.id === 'wm-01').explanation).toBe('办公室补充的解析。');
  });
});

describe('the API description', () => {
  it('publishes the import path with its literal colon', async () => {
    const doc = (await app.get('/api/v1/openapi.json')).body;
    expect(doc.paths['/api/v1/quizzes/{id}/questions:import'].post.requestBody.content).toHaveProperty(['multipart/form-data']);
    expect(doc.paths['/api/v1/quiz-attempts/{attemptId}/answers']).toBeDefined();
  });
});
