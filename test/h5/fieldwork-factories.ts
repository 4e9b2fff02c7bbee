import type { TestApp } from '../harness/app';
import { COMMUNITIES, staffSession } from '../factories';
import { assign, draw, enumerator, frameCsv, sampledSurvey, upload } from '../fieldwork/factories';
import { surveyDefinition } from '../surveys/factories';

/** 入户调查 browser-test data on top of the fieldwork factories. */

/** A gender question, so the interview asks the respondent's demographics. */
export const genderQuestion = {
  id: 'gender',
  type: 'single',
  demographic: 'gender',
  text: '受访者性别',
  options: [
    { key: 'A', text: '男' },
    { key: 'B', text: '女' },
  ],
};

let building = 10;

/**
 * An open survey (with a demographic question) with a household target in one community, a fresh
 * frame imported and drawn (seeded), and the community assigned to a new enumerator (password
 * password-123). Returns what a test needs, with the households as the enumerator sees them.
 */
export async function assignedFieldwork(app: TestApp, opts: { target?: number; community?: string } = {}) {
  const community = opts.community ?? COMMUNITIES[0];
  const office = (await staffSession(app, 'office')).token;
  const surveyId = await sampledSurvey(app, office, {
    targets: { [community]: opts.target ?? 2 },
    questions: [genderQuestion, ...surveyDefinition().questions],
  });
  const res = await upload(app, office, frameCsv(community, 1, 1, 6).replaceAll(`${community},1,`, `${community},${++building},`));
  if (res.status !== 200) throw new Error(`import failed: ${JSON.stringify(res.body)}`);
  await draw(app, office, surveyId, { regionCodes: [community], seed: 'test-seed' });
  const who = await enumerator(app);
  await assign(app, office, surveyId, { enumeratorId: who.id, regionCode: community });
  const mine = await app.get('/api/v1/fieldwork/my-assignments', { token: who.token });
  const households = mine.body.items[0].households as Array<{ id: string; address: string; role: 'sample' | 'reserve' }>;
  return { surveyId, office, enumerator: { username: who.id, token: who.token }, community, households };
}
