import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import type { TestApp } from '../harness/app';
import { snapshotDatabase, written } from '../harness/snapshot';
import { COMMUNITIES } from '../factories';
import { assign, draw, enumerator, sampledSurvey, slot, startFramedApp, visit, visitBody } from './factories';

/**
 * An anonymous survey interviewed at households: the fieldwork record keeps the household and the
 * enumerator, the response keeps neither, and nothing written or answered joins the two.
 */
let app: TestApp;
let office: string;
beforeAll(async () => ({ app, office } = await startFramedApp()));
afterAll(() => app.close());

async function anonymousFieldwork() {
  const surveyId = await sampledSurvey(app, office, { anonymous: true });
  const drawn = await draw(app, office, surveyId);
  const e = await enumerator(app);
  await assign(app, office, surveyId, { enumeratorId: e.id, regionCode: COMMUNITIES[0] });
  return { surveyId, e, sample: drawn.filter((h) => h.regionCode === COMMUNITIES[0] && h.role === 'sample') };
}

/** No document names both the response and the household (or the enumerator, or the visit). */
function expectUnlinked(docs: Array<{ key: string; collection: string; json: string }>, responseId: string, identities: string[]) {
  for (const d of docs) {
    const namesResponse = d.json.includes(responseId);
    const namesWho = identities.filter((x) => d.json.includes(x));
    expect({ doc: d.key, link: namesResponse && namesWho.length > 0 }).toEqual({ doc: d.key, link: false });
  }
}

describe('an anonymous survey interviewed at households', () => {
  it('stores the household and the enumerator only with the fieldwork record, never with the answers', async () => {
    const { surveyId, e, sample } = await anonymousFieldwork();
    const h = sample[0]!;
    const before = await snapshotDatabase(app);
    const res = await visit(app, e.token, visitBody(surveyId, h.id, COMMUNITIES[0]), 'anon-visit-1');
    expect(res.status).toBe(201);
    expect(res.body.flags).toEqual([]);
    const docs = written(before, await snapshotDatabase(app));

    const stored = docs.filter((d) => d.collection === 'survey_responses').map((d) => JSON.parse(d.json));
    expect(stored).toHaveLength(1);
    const response = stored[0];
    expect(response).toMatchObject({ anonymous: true, mode: 'household', regionCode: COMMUNITIES[0] });
    expect(response._id).toMatch(/^[0-9a-f]{24}$/);
    expect(response.at).toBeUndefined();
    expect(response.residentId).toBeUndefined();
    expectUnlinked(docs, response._id, [h.id, e.id, res.body.id]);
    // The fieldwork records name the household but not the response.
    const visitDoc = docs.find((d) => d.collection === 'fieldwork_visits')!;
    expect(JSON.parse(visitDoc.json)).not.toHaveProperty('responseId');
    // The statistics record only the community, the day and the mode.
    const recorded = docs.filter((d) => d.collection === 'indicator_responses').map((d) => JSON.parse(d.json));
    expect(Object.keys(recorded[0]).sort()).toEqual(['_id', 'answers', 'day', 'instrumentId', 'mode', 'regionCode', 'source']);
    // The answer (and its stored replay) says nothing of the response either.
    expect(JSON.stringify(res.body)).not.toContain(response._id);
  });

  it('drops the link a flagged interview needs for review once the office decides', async () => {
    const { surveyId, e, sample } = await anonymousFieldwork();
    const h = sample[1]!;
    const { startedAt } = slot();
    const before = await snapshotDatabase(app);
    const res = await visit(
      app,
      e.token,
      visitBody(surveyId, h.id, COMMUNITIES[0], { startedAt, endedAt: new Date(Date.parse(startedAt) + 5_000).toISOString() }),
    );
    expect(res.body.review).toBe('pending');
    expect((await app.post(`/api/v1/fieldwork/interviews/${res.body.id}/review`, { decision: 'accepted' }, { token: office })).status).toBe(
      200,
    );
    const docs = written(before, await snapshotDatabase(app));
    const response = docs.filter((d) => d.collection === 'survey_responses').map((d) => JSON.parse(d.json))[0];
    expect(response.hold).toBeUndefined();
    expectUnlinked(docs, response._id, [h.id, e.id, res.body.id]);
    expect(docs.filter((d) => d.collection === 'fieldwork_held')).toEqual([]);
  });

  it('answers no endpoint or export with a household or an enumerator beside the answers', async () => {
    const { surveyId, e, sample } = await anonymousFieldwork();
    expect((await visit(app, e.token, visitBody(surveyId, sample[2]!.id, COMMUNITIES[0]))).status).toBe(201);
    const responseIds = (await mongoose.connection.db!.collection('survey_responses').find({ surveyId }).toArray()).map((r) =>
      String(r._id),
    );
    expect(responseIds.length).toBeGreaterThan(0);
    const bodies = await Promise.all(
      [
        `/api/v1/surveys/${surveyId}/fieldwork/interviews`,
        `/api/v1/surveys/${surveyId}/fieldwork/progress`,
        `/api/v1/surveys/${surveyId}/results`,
        `/api/v1/surveys/${surveyId}/fieldwork/draws`,
      ].map(async (p) => JSON.stringify((await app.get(p, { token: office })).body)),
    );
    for (const b of bodies) for (const id of responseIds) expect(b).not.toContain(id);
    const xlsx = await fetch(`${app.baseUrl}/api/v1/surveys/${surveyId}/responses.xlsx`, {
      headers: { authorization: `Bearer ${office}` },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const cells = wb.worksheets
      .flatMap((ws) => ws.getSheetValues().flat())
      .map(String)
      .join('|');
    for (const x of [sample[2]!.id, e.id, '单元']) expect(cells).not.toContain(x);
  });
});
