import crypto from 'node:crypto';
import { startTestApp, type TestApp } from '../harness/app';
import { COMMUNITIES, staffSession } from '../factories';
import { surveyDefinition, validAnswers } from '../surveys/factories';

/** 入户调查 test data: frames, a sampled survey, enumerators and their visits. */

/** A community's centre (content/regions.yaml): interviews there are 0 m away. */
export const CENTRES: Record<string, { lat: number; lng: number }> = {
  [COMMUNITIES[0]]: { lat: 29.8731, lng: 121.5602 },
  [COMMUNITIES[1]]: { lat: 29.8768, lng: 121.5655 },
};

/** A frame CSV: `buildings` × `units` × `rooms` households of one community. */
export function frameCsv(community: string, buildings: number, units: number, rooms: number): string {
  const lines = ['社区编码或名称,楼栋,单元,户/室,备注'];
  for (let b = 1; b <= buildings; b++)
    for (let u = 1; u <= units; u++) for (let r = 1; r <= rooms; r++) lines.push(`${community},${b},${u},${r}0${r},`);
  return lines.join('\n');
}

export function upload(app: TestApp, token: string, body: string | Buffer, filename = 'households.csv') {
  const form = new FormData();
  form.append('file', new Blob([typeof body === 'string' ? body : new Uint8Array(body)]), filename);
  return app.request('POST', '/api/v1/fieldwork/households/import', undefined, { token, raw: form });
}

/** The day a month ago: the survey opened then, so interviews may be dated in the past weeks. */
const monthAgo = () => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

/** Creates and opens (a month ago) a survey with targets; returns its id. */
export async function sampledSurvey(app: TestApp, office: string, over: Record<string, unknown> = {}): Promise<string> {
  const def = surveyDefinition({ opensAt: monthAgo(), targets: { [COMMUNITIES[0]]: 4, [COMMUNITIES[1]]: 3 }, ...over });
  const created = await app.post('/api/v1/surveys', def, { token: office });
  if (created.status !== 201) throw new Error(`create survey failed: ${JSON.stringify(created.body)}`);
  const opened = await app.post(`/api/v1/surveys/${created.body.id}/open`, {}, { token: office });
  if (opened.status !== 200) throw new Error(`open survey failed: ${JSON.stringify(opened.body)}`);
  return created.body.id;
}

export async function enumerator(app: TestApp): Promise<{ token: string; id: string }> {
  const s = await staffSession(app, 'enumerator');
  return { token: s.token, id: s.username.toLowerCase() };
}

export interface Drawn {
  id: string;
  regionCode: string;
  role: 'sample' | 'reserve';
  address: string;
  position: number;
}

export async function draw(
  app: TestApp,
  office: string,
  surveyId: string,
  body: Record<string, unknown> = { seed: 'fixed-seed' },
): Promise<Drawn[]> {
  const res = await app.post(`/api/v1/surveys/${surveyId}/fieldwork/draws`, body, { token: office });
  if (res.status !== 201) throw new Error(`draw failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items.flatMap((d: { households: Drawn[] }) => d.households);
}

export async function assign(app: TestApp, office: string, surveyId: string, body: Record<string, unknown>) {
  const res = await app.post(`/api/v1/surveys/${surveyId}/fieldwork/assignments`, body, { token: office });
  if (res.status !== 200) throw new Error(`assign failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let hour = 0;
/**
 * Interview times an hour and a half apart, going back from yesterday, so one enumerator's
 * interviews never trip the per-hour flag unless a test means to.
 */
export function slot(minutes = 15): { startedAt: string; endedAt: string } {
  const start = Date.now() - 86_400_000 - ++hour * 90 * 60_000;
  return { startedAt: new Date(start).toISOString(), endedAt: new Date(start + minutes * 60_000).toISOString() };
}

/** A visit body; completed ones carry the survey factory's valid answers. */
export function visitBody(surveyId: string, householdId: string, regionCode: string, over: Record<string, unknown> = {}) {
  const outcome = (over.outcome as string | undefined) ?? 'completed';
  return {
    surveyId,
    householdId,
    outcome,
    ...slot(),
    position: CENTRES[regionCode],
    ...(outcome === 'completed' ? { answers: validAnswers({ suggestion: null }) } : {}),
    ...over,
  };
}

export const visit = (app: TestApp, token: string, body: Record<string, unknown>, key: string = crypto.randomUUID()) =>
  app.post('/api/v1/fieldwork/visits', body, { token, headers: { 'idempotency-key': key } });

/** Two communities' frames: 5 buildings × 2 units × 4 rooms (40) and 3 × 2 × 5 (30). */
export async function twoFrames(app: TestApp, office: string): Promise<void> {
  for (const csv of [frameCsv(COMMUNITIES[0], 5, 2, 4), frameCsv(COMMUNITIES[1], 3, 2, 5)]) {
    const res = await upload(app, office, csv);
    if (res.status !== 200) throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** A started app with an office session and both communities' frames imported: what every fieldwork test starts from. */
export async function startFramedApp(): Promise<{ app: TestApp; office: string }> {
  const app = await startTestApp();
  const office = (await staffSession(app, 'office')).token;
  await twoFrames(app, office);
  return { app, office };
}
