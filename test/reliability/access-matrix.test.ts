import { setConfig } from '../../src/config';
import { signLinkToken } from '../../src/core/auth';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { submitOk, transition } from '../tipoffs/factories';
import { createActivity, volunteerSession } from '../volunteers/factories';
import { intended, roles, type Fixtures, type Role } from './access-table';
import { writeFindings } from './artifacts';

/**
 * The role × endpoint access matrix: every operation in GET /api/v1/openapi.json, called by an
 * anonymous client, a resident, a volunteer, a unit user of another unit, a unit user, the office,
 * an admin and a 调查员 (enumerator), checked against the intended table in access-table.ts.
 */
let app: TestApp;
let tokens: Record<Role, string | undefined>;
let fixtures: Fixtures;
let operations: string[];

beforeAll(async () => {
  app = await startTestApp();
  setConfig({ OPEN311_API_KEYS: ['matrix-key'] });
  const resident = await residentSession(app, { regionCode: '330201001001' });
  const volunteer = await volunteerSession(app);
  const [unit, otherUnit, office, admin, enumerator] = await Promise.all([
    staffSession(app, 'unit', 'hwc'),
    staffSession(app, 'unit', 'jjd'),
    staffSession(app, 'office'),
    staffSession(app, 'admin'),
    staffSession(app, 'enumerator'),
  ]);
  tokens = {
    anonymous: undefined,
    resident: resident.token,
    volunteer: volunteer.token,
    otherUnit: otherUnit.token,
    unit: unit.token,
    office: office.token,
    admin: admin.token,
    enumerator: enumerator.token,
  };
  // A tip-off by the resident, accepted and so assigned to its category's unit (hwc), the unit user's.
  const t = await submitOk(app, resident.token, { categoryCode: 'littering' });
  const accepted = await transition(app, office.token, t.id, { action: 'accept' });
  if (accepted.status !== 200 || accepted.body.unitCode !== 'hwc')
    throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body).slice(0, 300)}`);
  if (accepted.body.status !== 'assigned') {
    const assigned = await transition(app, office.token, t.id, { action: 'assign', unitCode: 'hwc' });
    if (assigned.status !== 200) throw new Error(`assign: ${assigned.status} ${JSON.stringify(assigned.body).slice(0, 300)}`);
  }
  const attempt = await app.post('/api/v1/quizzes/wenming-basics/attempts', {}, { token: resident.token });
  const activity = await createActivity(app, { capacity: 5 });
  fixtures = {
    tipoffId: t.id,
    photoId: t.photos[0].id,
    attemptId: attempt.body.attemptId,
    questionId: attempt.body.questions[0].id,
    activityId: activity.id,
    checkinCode: activity.checkinCode,
    linkToken: signLinkToken(resident.id),
    openApiKey: 'matrix-key',
  };
  const spec = (await app.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
}, 120_000);
afterAll(async () => {
  setConfig({ OPEN311_API_KEYS: [] });
  await app.close();
});

const placeholder = (path: string) => path.replace(/\{format\}/g, 'json').replace(/\{(\w+)\}/g, 'x1');

describe('the role × endpoint access matrix', () => {
  it('has an intended row for every published operation', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.filter((op) => !intended[op])).toEqual([]);
  });

  it('lets in exactly the intended callers, everywhere', async () => {
    const mismatches: string[] = [];
    const matrix: Record<string, Record<Role, number>> = {};
    const ordered = [...operations].sort((a, b) => Number(Boolean(intended[a]?.last)) - Number(Boolean(intended[b]?.last)));
    for (const op of ordered) {
      const row = intended[op];
      if (!row) continue;
      const [method, template] = op.split(' ') as [string, string];
      const path = row.path ? row.path(fixtures) : placeholder(template);
      matrix[op] = {} as Record<Role, number>;
      for (const role of roles) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : (row.body?.(fixtures) ?? {});
        const res = await app.request(method, path, body, { token: tokens[role] });
        matrix[op][role] = res.status;
        const refused = row.object ? [401, 403, 404] : [401, 403];
        const letIn = !refused.includes(res.status);
        const shouldLetIn = row.allow.includes(role);
        if (letIn !== shouldLetIn)
          mismatches.push(
            `${op} as ${role}: ${res.status} ${res.body?.error?.code ?? ''} (intended: ${shouldLetIn ? 'allowed' : 'refused'})`,
          );
        // A refusal says who you are not: 401 without a session, 403 (or 404 for an object) with one.
        if (!shouldLetIn && role === 'anonymous' && res.status !== 401) mismatches.push(`${op} as anonymous: ${res.status}, expected 401`);
      }
    }
    writeFindings('access-matrix', { roles, operations: operations.length, mismatches, matrix });
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('lists a tip-off to the unit it is assigned to and not to another unit', async () => {
    const ids = async (token: string) =>
      ((await app.get('/api/v1/tipoffs?limit=100', { token })).body.items as Array<{ id: string }>).map((t) => t.id);
    expect(await ids(tokens.unit!)).toContain(fixtures.tipoffId);
    expect(await ids(tokens.otherUnit!)).not.toContain(fixtures.tipoffId);
    expect(await ids(tokens.office!)).toContain(fixtures.tipoffId);
  });
});
