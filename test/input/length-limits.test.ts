import { startTestApp, type TestApp } from '../harness/app';
import { residentSession } from '../factories';
import { submitTipoff } from '../tipoffs/factories';
import { registration } from '../volunteers/factories';

let app: TestApp;
let resident: { token: string; id: string };
beforeAll(async () => {
  app = await startTestApp();
  resident = await residentSession(app);
});
afterAll(() => app.close());

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

/** The refusal names the field, in Chinese, and nothing was cut and stored instead. */
function expectRefused(res: { status: number; body: unknown }, path: string, message: string): void {
  expect(res.status).toBe(400);
  const { error } = res.body as ErrorBody;
  expect(error.code).toBe('VALIDATION_FAILED');
  expect(error.details).toContainEqual({ path, message });
}

describe('over-long resident input is refused by name, never cut', () => {
  it('refuses a 1,200-character tip-off description', async () => {
    const res = await submitTipoff(app, resident.token, { description: '垃'.repeat(1200) });
    expectRefused(res, 'description', '描述最多 500 个字');
    expect((await app.get<{ items: unknown[] }>('/api/v1/tipoffs/mine', { token: resident.token })).body.items).toHaveLength(0);
  });

  it('takes a description of exactly 500 characters whole', async () => {
    const res = await submitTipoff(app, resident.token, { description: '垃'.repeat(500) });
    expect(res.status).toBe(201);
    expect((res.body as { description: string }).description).toHaveLength(500);
  });

  it('refuses a 201-character tip-off address', async () => {
    expectRefused(await submitTipoff(app, resident.token, { address: '路'.repeat(201) }), 'address', '地址最多 200 个字');
  });

  it('refuses a 200-character nickname and keeps the old one', async () => {
    const before = (await app.get<{ nickname: string }>('/api/v1/me', { token: resident.token })).body.nickname;
    expectRefused(await app.patch('/api/v1/me', { nickname: '名'.repeat(200) }, { token: resident.token }), 'nickname', '昵称最多 20 个字');
    expect((await app.get<{ nickname: string }>('/api/v1/me', { token: resident.token })).body.nickname).toBe(before);
  });

  it("refuses a volunteer's over-long name and skill", async () => {
    const r = await residentSession(app);
    expectRefused(
      await app.post('/api/v1/volunteers', registration({ realName: '张'.repeat(31) }), { token: r.token }),
      'realName',
      '姓名最多 30 个字',
    );
    expectRefused(
      await app.post('/api/v1/volunteers', registration({ skills: ['技'.repeat(21)] }), { token: r.token }),
      'skills.0',
      '每项技能最多 20 个字',
    );
  });
});
