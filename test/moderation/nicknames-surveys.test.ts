import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { openSurvey, respond, validAnswers } from '../surveys/factories';
import { messagesOf, queue } from './factories';

let app: TestApp;
let office: string;
beforeAll(async () => {
  app = await startTestApp();
  office = (await staffSession(app, 'office')).token;
});
afterAll(() => app.close());

const approve = (id: string) => app.post(`/api/v1/moderation/items/${encodeURIComponent(id)}/approve`, {}, { token: office });
const reject = (id: string, reason: string) =>
  app.post(`/api/v1/moderation/items/${encodeURIComponent(id)}/reject`, { reason }, { token: office });

describe('nicknames', () => {
  it('keeps the old nickname while a flagged one waits, and applies it when the office approves', async () => {
    const r = await residentSession(app, { nickname: '热心市民' });
    const res = await app.patch('/api/v1/me', { nickname: '加vx领红包' }, { token: r.token });
    expect(res.status).toBe(200);
    expect(res.body.nickname).toBe('热心市民');
    const held = (await queue(app, office)).find((i) => i.ref === r.id);
    expect(held).toMatchObject({ kind: 'nickname', kindName: '昵称', excerpt: '昵称：加vx领红包', source: 'words' });
    expect((await messagesOf(app, r.token))[0]).toContain('正在审核，通过后将公开');

    await approve(held.id);
    expect((await app.get('/api/v1/me', { token: r.token })).body.nickname).toBe('加vx领红包');
  });

  it('leaves the nickname unchanged on rejection and tells the resident why', async () => {
    const r = await residentSession(app, { nickname: '文明使者' });
    await app.patch('/api/v1/me', { nickname: '你妈的' }, { token: r.token });
    await reject(`nickname:${r.id}`, '昵称含有不文明用语');
    expect((await app.get('/api/v1/me', { token: r.token })).body.nickname).toBe('文明使者');
    const told = (await messagesOf(app, r.token))[0];
    expect(told).toContain('未通过审核。原因：昵称含有不文明用语');
    // a later clean nickname goes through at once
    const ok = await app.patch('/api/v1/me', { nickname: '文明小卫士' }, { token: r.token });
    expect(ok.body.nickname).toBe('文明小卫士');
  });
});

describe('survey text answers', () => {
  async function exportedCells(surveyId: string): Promise<string> {
    const res = await fetch(`${app.baseUrl}/api/v1/surveys/${surveyId}/responses.xlsx`, { headers: { authorization: `Bearer ${office}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    return (wb.getWorksheet('答卷')!.getSheetValues() as unknown[][]).flat().map(String).join('|');
  }

  it('masks a flagged answer in the staff export until approved, and keeps a rejected one masked', async () => {
    const { id } = await openSurvey(app, {}, office);
    const a = await residentSession(app);
    const b = await residentSession(app);
    expect((await respond(app, id, a.token, validAnswers({ suggestion: '管理的都是废物东西' }))).status).toBe(201);
    expect((await respond(app, id, b.token, validAnswers({ suggestion: '兼职日结 加qq 55667788' }))).status).toBe(201);
    let cells = await exportedCells(id);
    expect(cells).not.toContain('废物东西');
    expect(cells).not.toContain('55667788');
    expect(cells).toContain('（内容审核中）');

    const items = (await queue(app, office)).filter(
      (i) => i.kind === 'survey-answer' && ['废物东西', '55667788'].some((w) => i.excerpt.includes(w)),
    );
    expect(items).toHaveLength(2);
    const [first, second] = items.sort((x, y) => (x.excerpt.includes('废物') ? -1 : y.excerpt.includes('废物') ? 1 : 0));
    await approve(first.id);
    await reject(second.id, '含有广告信息');
    cells = await exportedCells(id);
    expect(cells).toContain('管理的都是废物东西');
    expect(cells).not.toContain('55667788');
    expect(cells).toContain('（内容未通过审核，已隐藏）');
  });

  it('never names the resident behind an anonymous survey’s flagged answer', async () => {
    const { id } = await openSurvey(app, { anonymous: true }, office);
    const r = await residentSession(app);
    await respond(app, id, r.token, validAnswers({ suggestion: '这些王八蛋' }));
    const item = (await queue(app, office)).find((i) => i.excerpt === '这些王八蛋');
    expect(item.ref).not.toContain(r.id);
    expect(await messagesOf(app, r.token)).not.toEqual(expect.arrayContaining([expect.stringContaining('审核')]));
  });
});
