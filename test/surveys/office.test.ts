import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { startTestApp, type TestApp } from '../harness/app';
import { adminToken, COMMUNITIES, residentSession, staffSession } from '../factories';
import { openSurvey, respond, surveyDefinition } from './factories';
import { contentDir } from '../../src/core/content';
import { syncSurveys } from '../../src/modules/surveys/surveys.content';
import { flushAudit } from '../../src/modules/audit';

let app: TestApp;
let office: string;
beforeAll(async () => {
  app = await startTestApp();
  office = (await staffSession(app, 'office')).token;
});
afterAll(() => app.close());

const create = (body: Record<string, unknown>) => app.post('/api/v1/surveys', body, { token: office });

describe('defining a survey', () => {
  it('creates a draft that the office sees with its window, targets and response count', async () => {
    const res = await create(surveyDefinition({ targets: { [COMMUNITIES[0]]: 40 } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      open: false,
      opensAt: null,
      responses: 0,
      locked: false,
      rev: 1,
      source: 'office',
      targets: { [COMMUNITIES[0]]: 40 },
      chat: true,
    });
    const list = await app.get('/api/v1/surveys', { token: office });
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(res.body.id);
  });

  it.each([
    ['an unknown indicator', { indicator: 'aw-nothing' }, /questions\.0\.indicator.*aw-nothing 不存在/],
    [
      'an awareness question without an aware option',
      {
        options: [
          { key: 'A', text: '知道' },
          { key: 'B', text: '不知道' },
        ],
      },
      /知晓题至少要把一个选项标记为「知晓」（aware）/,
    ],
    ['a judge question', { type: 'judge', indicator: undefined, options: undefined }, /问卷题型只能是/],
    [
      'an option key repeated',
      {
        options: [
          { key: 'A', text: '知道', aware: true },
          { key: 'A', text: '不知道' },
        ],
      },
      /选项键重复/,
    ],
  ])('refuses %s with 400 naming the field', async (_name, change, message) => {
    const def = surveyDefinition();
    def.questions = [{ ...def.questions[0], ...change } as (typeof def.questions)[number], ...def.questions.slice(1)];
    const res = await create(def);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.error)).toMatch(message);
  });

  it('refuses duplicate question ids and targets that are not communities', async () => {
    const def = surveyDefinition();
    const dup = await create({ ...def, questions: [def.questions[0], def.questions[0]] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toMatch(/题目编号 aware 重复/);
    const bad = await create(surveyDefinition({ targets: { '330201': 10 } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('targets.330201');
  });

  it('is for the office only: residents and unit staff get 403, no session 401', async () => {
    const resident = await residentSession(app);
    const unit = await staffSession(app, 'unit', 'cgj');
    expect((await app.post('/api/v1/surveys', surveyDefinition(), { token: resident.token })).status).toBe(403);
    expect((await app.post('/api/v1/surveys', surveyDefinition(), { token: unit.token })).status).toBe(403);
    expect((await app.post('/api/v1/surveys', surveyDefinition())).status).toBe(401);
    const { id } = await openSurvey(app, {}, office);
    for (const p of ['results', 'sample', 'admin', 'responses.xlsx'])
      expect((await app.get(`/api/v1/surveys/${id}/${p}`, { token: resident.token })).status).toBe(403);
    expect((await app.post(`/api/v1/surveys/${id}/close`, {}, { token: unit.token })).status).toBe(403);
  });
});

describe('editing a survey', () => {
  it('edits questions while no one has answered, and locks them after the first response', async () => {
    const { id } = await openSurvey(app, {}, office);
    const def = surveyDefinition();
    const edited = await app.patch(
      `/api/v1/surveys/${id}`,
      { title: '改过的标题', questions: def.questions.slice(0, 4) },
      { token: office },
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: '改过的标题', questionCount: 4, rev: 2 });

    const r = await residentSession(app, { regionCode: COMMUNITIES[0] });
    expect((await respond(app, id, r.token, { aware: 'A', support: 'A', env: 'B', overall: 3 })).status).toBe(201);
    const locked = await app.patch(`/api/v1/surveys/${id}`, { questions: def.questions }, { token: office });
    expect(locked.status).toBe(409);
    expect(locked.body.error).toMatchObject({ code: 'SURVEY_LOCKED', message: expect.stringMatching(/已有居民作答/) });
    expect((await app.patch(`/api/v1/surveys/${id}`, { anonymous: true }, { token: office })).body.error.code).toBe('SURVEY_LOCKED');

    // The window, the targets and the texts stay editable.
    const later = await app.patch(
      `/api/v1/surveys/${id}`,
      { targets: { [COMMUNITIES[0]]: 30 }, closesAt: '2099-12-31', description: '补充说明' },
      { token: office },
    );
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({
      locked: true,
      responses: 1,
      targets: { [COMMUNITIES[0]]: 30 },
      closesAt: '2099-12-31T00:00:00.000+08:00',
      description: '补充说明',
      rev: 2,
    });
    const sample = await app.get(`/api/v1/surveys/${id}/sample`, { token: office });
    expect(sample.body.items).toEqual([
      expect.objectContaining({ code: COMMUNITIES[0], target: 30, achieved: 1, percent: 3.3, met: false }),
    ]);
  });

  it('refuses a window that ends before it starts', async () => {
    const { id } = await openSurvey(app, {}, office);
    const res = await app.patch(`/api/v1/surveys/${id}`, { opensAt: '2030-02-01', closesAt: '2030-01-01' }, { token: office });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('closesAt');
  });

  it('closes a survey: it stays listed as not open and takes no more responses', async () => {
    const { id } = await openSurvey(app, {}, office);
    const closed = await app.post(`/api/v1/surveys/${id}/close`, {}, { token: office });
    expect(closed.body).toMatchObject({ open: false, closedAt: expect.stringMatching(/\+08:00$/) });
    const r = await residentSession(app);
    const item = (await app.get('/api/v1/surveys', { token: r.token })).body.items.find((i: { id: string }) => i.id === id);
    expect(item).toMatchObject({ open: false, responded: false });
    expect((await respond(app, id, r.token)).body.error.code).toBe('SURVEY_CLOSED');
  });
});

describe('what the builder reads and copies', () => {
  it('shows why a survey is locked and how far its sample is, capped per community', async () => {
    const { id } = await openSurvey(app, { targets: { [COMMUNITIES[0]]: 1, [COMMUNITIES[1]]: 5 } }, office);
    const draft = (await app.get(`/api/v1/surveys/${id}/admin`, { token: office })).body;
    expect(draft).toMatchObject({ locked: false, lockedReason: null, consoleOwned: true, sample: { target: 6, achievedOfTarget: 0 } });
    for (const community of [COMMUNITIES[0], COMMUNITIES[0], COMMUNITIES[1]]) {
      const r = await residentSession(app, { regionCode: community });
      expect((await respond(app, id, r.token)).status).toBe(201);
    }
    const answered = (await app.get(`/api/v1/surveys/${id}/admin`, { token: office })).body;
    expect(answered).toMatchObject({
      responses: 3,
      locked: true,
      lockedReason: expect.stringMatching(/已有居民作答.*开放时间、样本目标等仍可修改/),
      sample: { target: 6, achievedOfTarget: 2 },
    });
  });

  it('copies a survey into a new draft with the same questions and targets, and the copy is in the audit log', async () => {
    const { id } = await openSurvey(app, { targets: { [COMMUNITIES[2]]: 30 } }, office);
    const r = await residentSession(app);
    expect((await respond(app, id, r.token)).status).toBe(201);
    const copy = await app.post(`/api/v1/surveys/${id}/copy`, {}, { token: office });
    expect(copy.status).toBe(201);
    const original = (await app.get(`/api/v1/surveys/${id}/admin`, { token: office })).body;
    expect(copy.body.id).not.toBe(id);
    expect(copy.body).toMatchObject({
      title: `${original.title}（副本）`,
      open: false,
      opensAt: null,
      closesAt: null,
      responses: 0,
      locked: false,
      rev: 1,
      source: 'office',
      targets: { [COMMUNITIES[2]]: 30 },
    });
    expect(copy.body.questions).toEqual(original.questions);
    // the copy can be edited freely although the original is locked
    expect(
      (await app.patch(`/api/v1/surveys/${copy.body.id}`, { questions: surveyDefinition().questions.slice(0, 2) }, { token: office }))
        .status,
    ).toBe(200);
    expect((await app.post('/api/v1/surveys/no-such-survey/copy', {}, { token: office })).status).toBe(404);
    await flushAudit();
    const audit = await app.get(`/api/v1/audit?q=${encodeURIComponent('复制问卷')}`, { token: await adminToken(app) });
    expect(audit.body.items.some((e: { path: string; target: Record<string, string> }) => e.target.id === id)).toBe(true);
  });
  it('puts an edit in the audit log with the values it replaced', async () => {
    const { id } = await openSurvey(app, { title: '改名之前', targets: { [COMMUNITIES[0]]: 30 } }, office);
    expect(
      (await app.patch(`/api/v1/surveys/${id}`, { title: '改名之后', targets: { [COMMUNITIES[0]]: 40 } }, { token: office })).status,
    ).toBe(200);
    await flushAudit();
    const audit = await app.get(`/api/v1/audit?q=${encodeURIComponent('修改问卷')}&pageSize=100`, { token: await adminToken(app) });
    const entry = audit.body.items.find((e: { target: Record<string, string> }) => e.target.id === id);
    expect(entry).toMatchObject({ changes: { title: '改名之后' }, before: { title: '改名之前', targets: { [COMMUNITIES[0]]: 30 } } });
  });
});

describe('content files and console edits', () => {
  it('never lets a changed file overwrite a survey edited in the console; an untouched one still follows its file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-surveys-'));
    fs.cpSync(contentDir(), dir, { recursive: true });
    const write = (id: string, title: string) =>
      fs.writeFileSync(path.join(dir, 'surveys', `${id}.yaml`), YAML.stringify({ ...surveyDefinition({ id, title }) }));
    const [edited, untouched] = ['console-kept-' + Date.now().toString(36), 'file-led-' + Date.now().toString(36)];
    write(edited, '文件里的标题');
    write(untouched, '文件里的标题');
    process.env.WM_CONTENT_DIR = dir;
    try {
      expect(await syncSurveys()).toMatch(/2 new/);
      const patched = await app.patch(`/api/v1/surveys/${edited}`, { title: '文明办改过的标题' }, { token: office });
      expect(patched.body).toMatchObject({ source: 'content', consoleOwned: true, editedAt: expect.stringMatching(/\+08:00$/) });
      write(edited, '文件的新标题');
      write(untouched, '文件的新标题');
      expect(await syncSurveys()).toMatch(/1 updated, 1 kept as edited in the console/);
      expect((await app.get(`/api/v1/surveys/${edited}/admin`, { token: office })).body.title).toBe('文明办改过的标题');
      expect((await app.get(`/api/v1/surveys/${untouched}/admin`, { token: office })).body).toMatchObject({
        title: '文件的新标题',
        consoleOwned: false,
      });
    } finally {
      delete process.env.WM_CONTENT_DIR;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the shipped questionnaires', () => {
  it('loads the awareness questionnaire and the short chat survey from content/surveys', async () => {
    const list = await app.get('/api/v1/surveys');
    const byId = Object.fromEntries(list.body.items.map((i: { id: string }) => [i.id, i]));
    expect(byId['civic-awareness-2026']).toMatchObject({ open: true, anonymous: true, chat: false });
    expect(byId['pulse-weekly']).toMatchObject({ open: true, chat: true });
    expect(byId['pulse-weekly'].questionCount).toBeGreaterThanOrEqual(3);
    expect(byId['pulse-weekly'].questionCount).toBeLessThanOrEqual(5);

    const full = (await app.get('/api/v1/surveys/civic-awareness-2026')).body;
    const kinds = new Set(full.questions.map((q: { indicator?: string }) => q.indicator?.slice(0, 3)).filter(Boolean));
    expect([...kinds].sort()).toEqual(['aw-', 'sa-', 'sp-']);
    expect(full.questions.map((q: { demographic?: string }) => q.demographic).filter(Boolean)).toEqual([
      'age',
      'gender',
      'community',
      'occupation',
    ]);
    const admin = (await app.get('/api/v1/surveys/civic-awareness-2026/admin', { token: office })).body;
    expect(Object.keys(admin.targets)).toHaveLength(15);
  });

  it('syncs idempotently and, once answered, takes only the window and targets from a changed file', async () => {
    expect(await syncSurveys()).toMatch(/0 new, 0 updated/);
    const r = await residentSession(app);
    expect(
      (await respond(app, 'pulse-weekly', r.token, { 'report-channel': 'A', 'environment-change': 4, 'volunteer-willing': 'A' })).status,
    ).toBe(201);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-surveys-'));
    fs.cpSync(contentDir(), dir, { recursive: true });
    const file = path.join(dir, 'surveys', 'pulse-weekly.yaml');
    const def = YAML.parse(fs.readFileSync(file, 'utf8'));
    def.title = '新标题';
    def.questions = def.questions.slice(0, 2);
    def.targets = { [COMMUNITIES[1]]: 12 };
    fs.writeFileSync(file, YAML.stringify(def));
    process.env.WM_CONTENT_DIR = dir;
    try {
      expect(await syncSurveys()).toMatch(/1 updated/);
      const admin = (await app.get('/api/v1/surveys/pulse-weekly/admin', { token: office })).body;
      expect(admin).toMatchObject({ title: '文明创建微调查：身边的变化', questionCount: 4, targets: { [COMMUNITIES[1]]: 12 } });
      fs.writeFileSync(file, YAML.stringify({ ...def, questions: [{ ...def.questions[0], indicator: 'aw-unknown' }] }));
      await expect(syncSurveys()).rejects.toThrow(/surveys\/pulse-weekly\.yaml: questions\.0\.indicator: 指标 aw-unknown 不存在/);
    } finally {
      delete process.env.WM_CONTENT_DIR;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the contract', () => {
  it('publishes the survey endpoints in the OpenAPI document', async () => {
    const doc = await app.get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const p of [
      '/api/v1/surveys',
      '/api/v1/surveys/{id}',
      '/api/v1/surveys/{id}/responses',
      '/api/v1/surveys/{id}/results',
      '/api/v1/surveys/{id}/sample',
      '/api/v1/surveys/{id}/copy',
    ])
      expect(paths).toContain(p);
    expect(doc.body.paths['/api/v1/surveys/{id}/responses'].post.responses['201']).toBeDefined();
  });
});
