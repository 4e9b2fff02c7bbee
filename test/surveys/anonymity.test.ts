import mongoose from 'mongoose';
import ExcelJS from 'exceljs';
import { useTestApp } from '../harness/app';
import { snapshotDatabase, written } from '../harness/snapshot';
import { COMMUNITIES, residentSession } from '../factories';
import { openSurvey, respond, surveyDefinition, validAnswers } from './factories';
import { dayKey } from '../../src/core/time';

const app = useTestApp();

const tokenSubject = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).residentId as string;
const IP_PATTERNS = [/127\.0\.0\.1/, /::1\b/, /::ffff:/];

describe('an anonymous survey', () => {
  it('holds no identity with the answers in any collection it writes', async () => {
    const community = { id: 'home', type: 'text', demographic: 'community', text: '您居住在哪个社区？' };
    const { id } = await openSurvey(app, surveyDefinition({ anonymous: true, questions: [...surveyDefinition().questions, community] }));
    const r = await residentSession(app, { regionCode: COMMUNITIES[2] });
    const subject = tokenSubject(r.token);
    expect(subject).toBe(r.id);

    const before = await snapshotDatabase(app);
    const res = await respond(app, id, r.token, validAnswers({ home: COMMUNITIES[2] }), { 'idempotency-key': 'anon-1' });
    expect(res.status).toBe(201);
    expect(res.body.anonymous).toBe(true);
    const docs = written(before, await snapshotDatabase(app));

    const stored = docs.filter((d) => d.collection === 'survey_responses');
    expect(stored).toHaveLength(1);
    const response = JSON.parse(stored[0]!.json) as { _id: string; day: string; at?: unknown; residentId?: unknown; regionCode: string };
    expect(response.residentId).toBeUndefined();
    expect(response.at).toBeUndefined();
    expect(response.day).toBe(dayKey(new Date()));
    expect(response.regionCode).toBe(COMMUNITIES[2]);
    expect(response._id).toMatch(/^[0-9a-f]{24}$/);
    expect(res.body.id).not.toContain(response._id);
    const guardHash = res.body.id.split(':').pop() as string;

    const identities = [r.id, subject];
    for (const d of docs) {
      for (const ip of IP_PATTERNS) expect({ doc: d.key, ip: ip.test(d.json) }).toEqual({ doc: d.key, ip: false });
      const namesResident = identities.some((x) => d.json.includes(x));
      const namesResponse = d.json.includes(response._id);
      // Nothing that names the resident leads to the response, and nothing of the response names the resident.
      expect({ doc: d.key, namesResident, namesResponse }).not.toMatchObject({ namesResident: true, namesResponse: true });
      if (namesResponse) expect({ doc: d.key, hash: d.json.includes(guardHash) }).toEqual({ doc: d.key, hash: false });
      if (['survey_responses', 'indicator_responses'].includes(d.collection))
        expect({ doc: d.key, namesResident }).toEqual({ doc: d.key, namesResident: false });
    }

    // The response is recorded for the rates with its indicator answers, its community and the day only.
    const recorded = docs.filter((d) => d.collection === 'indicator_responses').map((d) => JSON.parse(d.json));
    expect(recorded).toHaveLength(1);
    expect(Object.keys(recorded[0]).sort()).toEqual(['_id', 'answers', 'day', 'instrumentId', 'regionCode', 'source']);
    expect(recorded[0]).toMatchObject({ _id: `survey:${response._id}`, day: response.day, regionCode: COMMUNITIES[2] });
    expect(recorded[0].answers.map((a: { indicator: string }) => a.indicator).sort()).toEqual([
      'aw-campaign',
      'sa-environment',
      'sa-overall',
      'sp-campaign',
    ]);
    // Participation names the resident (the participation rate counts people) but not the response.
    const participation = docs.filter((d) => d.collection === 'participations').map((d) => JSON.parse(d.json));
    expect(participation).toEqual([expect.objectContaining({ residentId: r.id, kind: 'survey', regionCode: COMMUNITIES[2] })]);
    expect(participation[0]._id).toBe(`survey:${res.body.id}`);
  });

  it('still takes exactly one response per resident, also from 20 concurrent submissions', async () => {
    const { id } = await openSurvey(app, { anonymous: true });
    const r = await residentSession(app);
    const results = await Promise.all(Array.from({ length: 20 }, () => respond(app, id, r.token)));
    expect(results.filter((x) => x.status === 201)).toHaveLength(1);
    expect(results.filter((x) => x.status === 409 && x.body.error.code === 'ALREADY_RESPONDED')).toHaveLength(19);
    expect(await mongoose.connection.db!.collection('survey_responses').countDocuments({ surveyId: id })).toBe(1);
    expect((await app.get(`/api/v1/surveys/${id}`, { token: r.token })).body.responded).toBe(true);
    const other = await residentSession(app);
    expect((await app.get(`/api/v1/surveys/${id}`, { token: other.token })).body.responded).toBe(false);
    expect((await respond(app, id, other.token)).status).toBe(201);
  });

  it('exports its responses without identity', async () => {
    const { id, office } = await openSurvey(app, { anonymous: true });
    const r = await residentSession(app, { regionCode: COMMUNITIES[0], nickname: '匿名测试人' });
    expect((await respond(app, id, r.token)).status).toBe(201);
    const res = await fetch(`${app.baseUrl}/api/v1/surveys/${id}/responses.xlsx`, { headers: { authorization: `Bearer ${office}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('答卷')!;
    const cells = (sheet.getSheetValues() as unknown[][]).flat().map(String).join('|');
    expect(sheet.rowCount).toBe(2);
    expect(cells).toContain('乱扔垃圾；占道经营');
    expect(cells).not.toContain(r.id);
    expect(cells).not.toContain('匿名测试人');
    expect(cells).not.toContain('居民编号');
  });
});

describe('a named survey, for contrast', () => {
  it('keeps who answered and when, and exports it for the office', async () => {
    const { id, office } = await openSurvey(app, { anonymous: false });
    const r = await residentSession(app, { nickname: '实名测试人' });
    const res = await respond(app, id, r.token);
    expect(res.body.id).toBe(`${id}:${r.id}`);
    const doc = await mongoose.connection.db!.collection('survey_responses').findOne({ _id: res.body.id } as never);
    expect(doc).toMatchObject({ residentId: r.id, anonymous: false });
    expect(doc!.at).toBeInstanceOf(Date);
    const xlsx = await fetch(`${app.baseUrl}/api/v1/surveys/${id}/responses.xlsx`, { headers: { authorization: `Bearer ${office}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const cells = (wb.getWorksheet('答卷')!.getSheetValues() as unknown[][]).flat().map(String).join('|');
    expect(cells).toContain(r.id);
    expect(cells).toContain('实名测试人');
  });
});
